#!/usr/bin/env python3
"""to_sqlite.py - sql/athena/detections/prepare.sql as SQLite SQL, so that
the logic of the Athena normalisation views can be compared with the local
one (ext/norm.c) on the same records (tests/athena/views_diff.sh).

    python3 tests/athena/to_sqlite.py [--v2] [--tables] < prepare.sql > views.sql
    python3 tests/athena/to_sqlite.py --v2-trino < prepare.sql > prepare_v2.sql

Only the constructs prepare.sql uses are translated, each by one rule
that maps a Trino form to the SQLite form of the same meaning:

    CREATE OR REPLACE VIEW v AS        CREATE TEMP VIEW athena_v AS
    FROM vpc_flow_logs                 FROM flows (the vpcflow table; its
                                       hidden dt column is the S3 folder)
    TRY_CAST(x AS IPADDRESS)           x
    contains('cidr', x)                ip_in_cidr(x, 'cidr')
    bitwise_and(x, n)                  (x & n)
    a IS [NOT] DISTINCT FROM b         a IS [NOT] b  (negated: DISTINCT = IS NOT)
    a view name in FROM/JOIN/IN        athena_<name> (no clash with the
                                       local TEMP tables of the same names)

With --tables each view becomes a TEMP TABLE (CREATE TEMP TABLE athena_v
AS the same query): the same rows, each computed once, as a CTAS in
Athena would; SQLite would otherwise recompute vpcflow_days and its
self-joins for every reference (minutes instead of seconds).

The vpcflow_protocol view (VALUES with a column list, which SQLite lacks)
names VALUES' columns column1, column2. With --v2 the six v5 field names are replaced as the header
of prepare.sql tells a v2 user to (CAST(NULL AS ...)); --v2-trino does
only that, leaving Trino SQL (checked against the DDL of v2 files). Anything else
that is Trino-only makes SQLite fail, which fails the test: the
translation never guesses.
"""
import re
import sys

V5_FIELDS = {
    'tcp_flags': 'CAST(NULL AS integer)',
    'pkt_srcaddr': 'CAST(NULL AS varchar)',
    'pkt_dstaddr': 'CAST(NULL AS varchar)',
    'pkt_src_aws_service': 'CAST(NULL AS varchar)',
    'pkt_dst_aws_service': 'CAST(NULL AS varchar)',
    'flow_direction': 'CAST(NULL AS varchar)',
}


def v2_days(s):
    """The six v5 columns of a vpcflow_days statement as CAST(NULL ...)."""
    head, sep, rest = s.partition('FROM vpc_flow_logs')
    for f, repl in V5_FIELDS.items():
        # the column, not the output name after AS
        head = re.sub(r'(?<![\w.])(?<!AS )%s(?!\w)' % f, repl, head)
    return head + sep + rest


def main():
    if '--v2-trino' in sys.argv[1:]:
        # prepare.sql still in Trino SQL, for a v2 table
        text = sys.stdin.read()
        a = text.index('CREATE OR REPLACE VIEW vpcflow_days')
        b = text.index(';', a)
        sys.stdout.write(text[:a] + v2_days(text[a:b]) + text[b:])
        return
    v2 = '--v2' in sys.argv[1:]
    kind = 'TABLE' if '--tables' in sys.argv[1:] else 'VIEW'
    text = sys.stdin.read()
    text = re.sub(r'--[^\n]*', '', text)
    stmts = [s.strip() for s in text.split(';') if s.strip()]
    views = [re.match(r'CREATE OR REPLACE VIEW (\w+)', s).group(1) for s in stmts]
    out = []
    for s in stmts:
        name = re.match(r'CREATE OR REPLACE VIEW (\w+)', s).group(1)
        if name == 'vpcflow_protocol':
            # VALUES with a column list: SQLite names them column1, column2
            s = re.sub(r'SELECT protocol, name FROM \(VALUES(.*)\) AS p \(protocol, name\)',
                       r'SELECT column1 AS protocol, column2 AS name FROM (VALUES\1)', s, flags=re.S)
        if v2 and name == 'vpcflow_days':
            s = v2_days(s)
        s = re.sub(r'CREATE OR REPLACE VIEW (\w+) AS',
                   r'CREATE TEMP %s athena_\1 AS' % kind, s)
        s = s.replace('FROM vpc_flow_logs', 'FROM flows')
        for v in views:
            s = re.sub(r'(FROM|JOIN) %s\b' % v, r'\1 athena_%s' % v, s)
        s = re.sub(r'TRY_CAST\((.+?) AS IPADDRESS\)', r'\1', s)
        s = re.sub(r"contains\(('[^']+'), (\w+)\)", r'ip_in_cidr(\2, \1)', s)
        s = re.sub(r'bitwise_and\(([\w.]+), (\d+)\)', r'(\1 & \2)', s)
        s = s.replace('IS NOT DISTINCT FROM', 'IS')
        s = s.replace('IS DISTINCT FROM', 'IS NOT')
        out.append(s + ';')
    sys.stdout.write('\n\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
