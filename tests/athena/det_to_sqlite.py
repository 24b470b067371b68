#!/usr/bin/env python3
"""det_to_sqlite.py - an Athena detection (sql/athena/detections/NAME.sql)
as SQLite SQL over the translated views of to_sqlite.py, so that its
findings can be compared with the local detection's on the same data
(tests/athena/views_diff.sh). Only detections whose Trino functions have
a one-to-one SQLite form are translated; any other Trino construct is
left as is and makes SQLite fail, which fails the test.

    python3 tests/athena/det_to_sqlite.py < brute_force.sql > q.sql

Rules (each keeps the meaning):
    format(                     printf(            (same conversions)
    date_format(from_unixtime(X, 'UTC'), 'F')
                                strftime('F'', X, 'unixepoch') with the
                                MySQL-style %i -> %M, %s -> %S
    greatest( / least(          max( / min(        (SQLite's scalar forms)
    count_if(C)                 coalesce(sum(CASE WHEN C THEN 1 ELSE 0 END), 0)
    ARRAY[a, b]                 json_array(a, b)
    contains(A, x)              (x IN (SELECT value FROM json_each(A)))
    bitwise_and(x, n)           (x & n)
    IS [NOT] DISTINCT FROM      IS NOT / IS
    FROM/JOIN view              FROM/JOIN athena_view
"""
import re
import sys

VIEWS = ['flows_n', 'flows_t', 'att_port', 'pair', 'vpcflow_span', 'vpcflow_protocol',
         'vpcflow_days', 'vpcflow_eni', 'vpcflow_translator', 'ioc', 'zones', 'allowed']


def call_spans(s, name):
    """(start, open paren, end) of each call name(...) in s, innermost last."""
    out = []
    for m in re.finditer(r'\b%s\(' % re.escape(name), s):
        depth, i = 0, m.end() - 1
        while i < len(s):
            if s[i] == '(':
                depth += 1
            elif s[i] == ')':
                depth -= 1
                if depth == 0:
                    break
            elif s[i] == "'":
                i = s.index("'", i + 1)
                while i + 1 < len(s) and s[i + 1] == "'":
                    i = s.index("'", i + 2)
            i += 1
        out.append((m.start(), m.end() - 1, i))
    return out


def split_args(body):
    args, depth, cur, i = [], 0, '', 0
    while i < len(body):
        c = body[i]
        if c == "'":
            j = body.index("'", i + 1)
            while j + 1 < len(body) and body[j + 1] == "'":
                j = body.index("'", j + 2)
            cur += body[i:j + 1]
            i = j + 1
            continue
        if c in '([':
            depth += 1
        elif c in ')]':
            depth -= 1
        if c == ',' and depth == 0:
            args.append(cur.strip())
            cur = ''
        else:
            cur += c
        i += 1
    args.append(cur.strip())
    return args


def rewrite_calls(s, name, fn):
    while True:
        spans = [sp for sp in call_spans(s, name)]
        if not spans:
            return s
        a, p, e = spans[-1]          # the last one: no call of `name` inside it
        s = s[:a] + fn(split_args(s[p + 1:e])) + s[e + 1:]


def main():
    s = sys.stdin.read()
    s = re.sub(r'--[^\n]*', '', s)
    for v in VIEWS:
        s = re.sub(r'\b(FROM|JOIN) %s\b' % v, r'\1 athena_%s' % v, s)

    def datefmt(args):
        inner = call_spans(args[0], 'from_unixtime')
        assert inner and args[0].startswith('from_unixtime('), args[0]
        x = split_args(args[0][len('from_unixtime('):-1])
        assert x[1] == "'UTC'", x
        f = args[1].replace('%i', '%M').replace('%s', '%S')
        return "strftime(%s, %s, 'unixepoch')" % (f, x[0])
    s = rewrite_calls(s, 'date_format', datefmt)
    s = rewrite_calls(s, 'count_if', lambda a: 'coalesce(sum(CASE WHEN %s THEN 1 ELSE 0 END), 0)' % a[0])
    s = rewrite_calls(s, 'contains', lambda a: '(%s IN (SELECT value FROM json_each(%s)))' % (a[1], a[0]))
    s = rewrite_calls(s, 'bitwise_and', lambda a: '(%s & %s)' % (a[0], a[1]))
    s = re.sub(r'ARRAY\[([^\]]*)\]', r'json_array(\1)', s)
    s = re.sub(r'\bformat\(', 'printf(', s)
    s = re.sub(r'\bgreatest\(', 'max(', s)
    s = re.sub(r'\bleast\(', 'min(', s)
    s = s.replace('IS NOT DISTINCT FROM', 'IS').replace('IS DISTINCT FROM', 'IS NOT')
    sys.stdout.write(s.strip().rstrip(';') + ';\n')


if __name__ == '__main__':
    main()
