"""vpcflow through Python's sqlite3 module (Debian's /usr/bin/python3).

Usage: python3 tests/python/test_vpcflow.py path/to/vpcflow.so
Run from the repository root. Expected values are worked out by hand in
fixtures/README.md, or computed here from data this script writes itself.
Prints one line per failure and a final "python: N passed, M failed".
"""
import gzip
import os
import sqlite3
import sys
import tempfile

SO = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "./vpcflow.so")
TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def connect():
    db = sqlite3.connect(":memory:")
    db.enable_load_extension(True)
    db.load_extension(SO)
    db.enable_load_extension(False)
    return db


def one(db, sql, *args):
    return db.execute(sql, args).fetchone()


def expect_error(db, sql, fragment):
    try:
        db.execute(sql).fetchall()
    except sqlite3.Error as e:
        assert fragment in str(e), "error %r lacks %r" % (str(e), fragment)
        return
    raise AssertionError("no error from %s" % sql)


@test
def basic_counts_and_sums():
    db = connect()
    assert one(db, "SELECT count(*), sum(bytes), sum(packets) FROM vpcflow('fixtures/v2/basic.log')") == (8, 17706, 28)
    rows = db.execute("SELECT action, count(*), sum(bytes) FROM vpcflow('fixtures/v2/basic.log')"
                      " GROUP BY action ORDER BY action").fetchall()
    assert rows == [(None, 2, None), ("ACCEPT", 4, 17406), ("REJECT", 2, 300)], rows


@test
def python_types():
    db = connect()
    row = one(db, "SELECT version, account_id, srcport, bytes, start, action, log_line"
                  " FROM vpcflow('fixtures/v2/basic.log') WHERE log_line = 2")
    assert row == (2, "012345678901", 49152, 5000, 1700000000, "ACCEPT", 2), row
    assert [type(v) for v in row] == [int, str, int, int, int, str, int]
    row = one(db, "SELECT srcaddr, srcport, bytes, action, log_status"
                  " FROM vpcflow('fixtures/v2/basic.log') WHERE log_status = 'NODATA'")
    assert row == (None, None, None, None, "NODATA"), row


@test
def bound_path_parameter():
    db = connect()
    n = one(db, "SELECT count(*) FROM vpcflow(?)", "fixtures/misc/name with spaces.log")[0]
    assert n == 1
    fmt = "instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr"
    assert one(db, "SELECT count(*), count(instance_id) FROM vpcflow(?, ?)",
               "fixtures/custom/nat6_headerless.txt", fmt) == (3, 1)


@test
def log_file_and_line():
    db = connect()
    rows = db.execute("SELECT log_file, log_line FROM vpcflow('fixtures/gzip/multi.log.gz')").fetchall()
    assert rows == [("fixtures/gzip/multi.log.gz", n) for n in (2, 3, 5, 6)], rows


@test
def create_union_columns():
    db = connect()
    db.execute("CREATE VIRTUAL TABLE temp.u USING vpcflow('fixtures/union')")
    cols = [(r[1], r[2], r[6]) for r in db.execute("SELECT * FROM pragma_table_xinfo('u')")]
    names = [c[0] for c in cols if c[2] == 0]
    assert names == ["version", "account_id", "srcaddr", "bytes", "action", "log_status",
                     "vpc_id", "packets", "mystery_field"], names
    assert ("log_file", "TEXT", 1) in cols and ("log_line", "INTEGER", 1) in cols, cols
    assert one(db, "SELECT sum(bytes), sum(packets), count(mystery_field) FROM u") == (1000, 7, 1)


@test
def errors_table():
    db = connect()
    assert one(db, "SELECT count(*) FROM vpcflow('fixtures/bad/wrong_count.log')")[0] == 2
    rows = db.execute("SELECT file, line, reason FROM vpcflow_errors ORDER BY line").fetchall()
    f = "fixtures/bad/wrong_count.log"
    assert rows == [(f, 3, "wrong field count: expected 14, found 13"),
                    (f, 4, "wrong field count: expected 14, found 15"),
                    (f, 5, "wrong field count: expected 14, found 13")], rows
    # a second scan adds nothing; a new connection starts empty
    db.execute("SELECT count(*) FROM vpcflow('fixtures/bad/wrong_count.log')").fetchall()
    assert one(db, "SELECT count(*) FROM vpcflow_errors")[0] == 3
    assert one(connect(), "SELECT count(*) FROM vpcflow_errors")[0] == 0


@test
def strict_mode_raises():
    db = connect()
    expect_error(db, "SELECT count(*) FROM vpcflow('fixtures/bad/not_integer.log', NULL, 1)",
                 "vpcflow: fixtures/bad/not_integer.log:2: not an integer in srcport: 'abc'")


@test
def missing_path_and_no_match():
    db = connect()
    expect_error(db, "SELECT * FROM vpcflow('nope.log')",
                 "vpcflow: cannot open 'nope.log': No such file or directory")
    expect_error(db, "SELECT * FROM vpcflow('x/*.zz')", "vpcflow: no files match 'x/*.zz'")


@test
def direct_only():
    db = connect()
    db.execute("CREATE VIEW v AS SELECT count(*) FROM vpcflow('fixtures/v2/basic.log')")
    expect_error(db, "SELECT * FROM v", 'unsafe use of virtual table "vpcflow"')
    db.execute("CREATE TEMP VIEW tv AS SELECT count(*) FROM vpcflow('fixtures/v2/basic.log')")
    assert one(db, "SELECT * FROM tv")[0] == 8


@test
def whole_tree_totals():
    db = connect()
    # scenario/ and parquet/ have tests of their own (fixtures/README.md)
    got = one(db, "SELECT count(*), count(DISTINCT log_file), sum(bytes), sum(packets) FROM vpcflow('fixtures/') "
                  "WHERE log_file NOT GLOB 'fixtures/scenario/*' AND log_file NOT GLOB 'fixtures/parquet/*'")
    assert got == (155, 69, 23651950, 17887), got


@test
def truncated_gzip():
    db = connect()
    assert one(db, "SELECT count(*), sum(bytes) FROM vpcflow('fixtures/gzip/truncated.log.gz')") == (2, 30)
    rows = db.execute("SELECT line, reason FROM vpcflow_errors ORDER BY line IS NULL, line").fetchall()
    assert rows == [(4, "incomplete last line of a truncated gzip stream"),
                    (None, "truncated gzip stream (unexpected end of file)")], rows


@test
def generated_file_matches_python_arithmetic():
    """Write 3000 records (plain and gzip) and compare with sums done here."""
    lines, total, accepted, ms = [], 0, 0, 0
    for i in range(3000):
        b = (i * 7919) % 100000
        action = "ACCEPT" if i % 3 else "REJECT"
        start = 1700000000 + i
        if i % 10 == 0:          # millisecond epochs on every tenth line
            startf, ms = str(start * 1000 + 999), ms + 1
        else:
            startf = str(start)
        lines.append("2 123456789012 eni-0f%015d 10.0.%d.%d 10.1.0.1 %d 443 6 %d %d %s %d %s OK"
                     % (i % 7, i % 256, i % 200, 1024 + i, 1 + i % 5, b, startf, start + 60, action))
        total += b
        accepted += action == "ACCEPT"
    text = "\n".join(lines) + "\n"
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "a.log"), "w") as f:
            f.write(text)
        with gzip.open(os.path.join(d, "b.log.gz"), "wt") as f:
            f.write(text)
        db = connect()
        got = one(db, "SELECT count(*), sum(bytes), sum(action = 'ACCEPT'), sum(\"end\" - start),"
                      " count(DISTINCT log_file) FROM vpcflow(?)", d)
        assert got == (6000, 2 * total, 2 * accepted, 6000 * 60, 2), got
        assert one(db, "SELECT count(*) FROM vpcflow_errors")[0] == 0


def main():
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    passed = failed = 0
    for fn in TESTS:
        try:
            fn()
            passed += 1
        except Exception as e:  # report every failure, keep going
            failed += 1
            print("FAILED: %s: %s: %s" % (fn.__name__, type(e).__name__, e))
    print("python: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
