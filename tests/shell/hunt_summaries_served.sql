-- att_port and pair (sql/summaries.sql: views of the day's
-- vpcflow_att_port and vpcflow_pair, ext/day_summary.c) against the SQL
-- they stand for, written here as the independent expectation: GROUP BY
-- over flows_t, in ORDER BY of the key (NULL first, text in BINARY order,
-- blobs last), every column with its type, row for row. Two different
-- days on one connection (the re-analysis prepare.sql documents): the
-- second must show its own rows, never the first day's kept ones.
-- `flows` is a plain table here (prepare.sql takes any table with
-- vpcflow's column names), 3,000 records from small pools, so groups fold
-- many records and every NULL rule meets a NULL: protocol, dstport,
-- action, start, "end", bytes, packets, services, blob addresses.
-- Expected: the reference's row counts (a GROUP BY computed by SQLite),
-- 0 differences, and the two days' summaries differ. (Before any day is
-- prepared: hunt_summaries_noday.)

CREATE TEMP TABLE gen(seed INTEGER);
-- Records from pools (so groups fold many records); every 29th, 37th,
-- 41st, 53rd and 59th record has a NULL (action, packets, bytes, start,
-- "end") and a destination of its own (198.18.x.y, public), so that some
-- groups hold only NULLs there; each NULL-action record is answered by a
-- SYN-ACK (answered = 1, the case where `action = 'REJECT' OR answered = 0`
-- is NULL).
CREATE TEMP VIEW gen_flows AS
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000),
g AS (SELECT i, i * (SELECT seed FROM gen) AS j,
             i % 29 = 0 OR i % 37 = 0 OR i % 41 = 0 OR i % 53 = 0 OR i % 59 = 0 AS own
        FROM n),
f AS (
SELECT i, j, 5 AS version, '123456789012' AS account_id, 'eni-' || (j % 4) AS interface_id,
       CASE WHEN i % 97 = 0 THEN X'0a000001' WHEN j % 3 = 0 AND NOT own THEN '203.0.113.' || (j % 7)
            ELSE '10.0.0.' || (j % 5) END AS srcaddr,
       CASE WHEN own THEN '198.18.' || (i / 256) || '.' || (i % 256)
            WHEN i % 89 = 0 THEN X'0a000002' WHEN j % 4 = 0 THEN '10.0.1.' || (j % 3)
            ELSE '198.51.100.' || (j % 6) END AS dstaddr,
       CASE WHEN j % 5 = 0 THEN 443 ELSE 40000 + j % 11 END AS srcport,
       CASE WHEN i % 31 = 0 THEN NULL WHEN j % 5 = 0 THEN 40000 + j % 11
            WHEN j % 3 = 0 THEN 22 WHEN j % 3 = 1 THEN 80 ELSE 443 END AS dstport,
       CASE WHEN i % 43 = 0 THEN NULL WHEN j % 13 = 0 THEN 17 WHEN j % 17 = 0 THEN 1 ELSE 6 END AS protocol,
       CASE WHEN i % 37 = 0 THEN NULL ELSE 1 + j % 9 END AS packets,
       CASE WHEN i % 41 = 0 THEN NULL ELSE 40 * (1 + j % 9) + j % 1000 END AS bytes,
       CASE WHEN i % 53 = 0 THEN NULL ELSE 1700000000 + (j * 7) % 7200 END AS start,
       CASE WHEN i % 59 = 0 THEN NULL ELSE 1700000000 + (j * 7) % 7200 + j % 60 END AS "end",
       CASE WHEN i % 29 = 0 THEN NULL WHEN j % 4 = 0 THEN 'REJECT' ELSE 'ACCEPT' END AS action,
       'OK' AS log_status,
       CASE WHEN i % 29 = 0 THEN 2 WHEN j % 6 = 0 THEN 18 WHEN j % 6 = 1 THEN 2 END AS tcp_flags,
       NULL AS pkt_srcaddr, NULL AS pkt_dstaddr,
       CASE WHEN j % 23 = 0 THEN 'S3' WHEN j % 19 = 0 THEN 'AMAZON' END AS pkt_src_aws_service,
       CASE WHEN j % 21 = 0 THEN 'DYNAMODB' END AS pkt_dst_aws_service,
       CASE WHEN j % 2 = 0 THEN 'ingress' ELSE 'egress' END AS flow_direction
  FROM g)
SELECT version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes,
       start, "end", action, log_status, tcp_flags, pkt_srcaddr, pkt_dstaddr, pkt_src_aws_service,
       pkt_dst_aws_service, flow_direction
  FROM (SELECT 2 * i AS o, * FROM f
        UNION ALL
        -- the answer to each NULL-action attempt
        SELECT 2 * i + 1, i, j, version, account_id, interface_id, dstaddr, srcaddr, dstport, srcport, protocol,
               packets, bytes, start, "end", 'ACCEPT', log_status, 18, NULL, NULL, NULL, NULL, 'ingress'
          FROM f WHERE i % 29 = 0)
 ORDER BY o;

-- The expectation, and the comparison: row number, every column, its type.
CREATE TEMP VIEW ref_ap AS
SELECT row_number() OVER (ORDER BY src, dst, protocol, dstport, dst_service) AS k,
       src, dst, protocol, dstport, dst_service,
       count(*) AS n, count(action) AS n_action, sum(action = 'REJECT') AS rejected,
       sum(action = 'ACCEPT') AS accepted,
       count(action = 'REJECT' OR answered = 0) AS n_failed, sum(action = 'REJECT' OR answered = 0) AS failed,
       sum(answered) AS answered, max(answered) AS answered_max,
       sum(action = 'ACCEPT' AND answered = 1) AS acc_answered, sum(conn_start) AS conns,
       min(start) AS t0, max(start) AS t1, src_private, dst_private
  FROM flows_t WHERE resp = 0 GROUP BY src, dst, protocol, dstport, dst_service
 ORDER BY src, dst, protocol, dstport, dst_service;
CREATE TEMP VIEW ref_pair AS
SELECT row_number() OVER (ORDER BY src, dst, src_service, dst_service) AS k,
       src, dst, src_service, dst_service, count(*) AS n, sum(bytes) AS bytes, sum(packets) AS packets,
       min(start) AS t0, max("end") AS t1, src_private, dst_private
  FROM flows_t WHERE NOT (src_private AND dst_private) GROUP BY src, dst, src_service, dst_service
 ORDER BY src, dst, src_service, dst_service;
-- Each summary's rows, numbered in the order it gives them (its columns
-- by name), then its reference's, every value beside its type; the typed
-- projection is written once, over both sides. k numbers the rows of each
-- side, so no side repeats a row and, with D the distinct rows of typed_*,
--   2 D - (the summary's rows) - (the reference's rows)
--     = (the summary's rows not in the reference) + (the reference's not
--       in the summary),
-- what EXCEPT both ways would count; and a different row count is a
-- difference of its own.
CREATE TEMP VIEW typed_ap AS
SELECT k, src, typeof(src) AS a, dst, typeof(dst) AS b, protocol, typeof(protocol) AS c, dstport, typeof(dstport) AS d,
       dst_service, typeof(dst_service) AS e, n, typeof(n) AS f, n_action, typeof(n_action) AS g,
       rejected, typeof(rejected) AS h, accepted, typeof(accepted) AS i, n_failed, typeof(n_failed) AS j,
       failed, typeof(failed) AS l, answered, typeof(answered) AS m, answered_max, typeof(answered_max) AS o,
       acc_answered, typeof(acc_answered) AS p, conns, typeof(conns) AS q, t0, typeof(t0) AS r, t1, typeof(t1) AS s,
       src_private, typeof(src_private) AS t, dst_private, typeof(dst_private) AS u
  FROM (SELECT row_number() OVER () AS k, src, dst, protocol, dstport, dst_service, n, n_action, rejected,
               accepted, n_failed, failed, answered, answered_max, acc_answered, conns, t0, t1,
               src_private, dst_private FROM att_port
        UNION ALL SELECT * FROM ref_ap);
CREATE TEMP VIEW typed_pair AS
SELECT k, src, typeof(src) AS a, dst, typeof(dst) AS b, src_service, typeof(src_service) AS c,
       dst_service, typeof(dst_service) AS d, n, typeof(n) AS e, bytes, typeof(bytes) AS f,
       packets, typeof(packets) AS g, t0, typeof(t0) AS h, t1, typeof(t1) AS i,
       src_private, typeof(src_private) AS j, dst_private, typeof(dst_private) AS l
  FROM (SELECT row_number() OVER () AS k, src, dst, src_service, dst_service, n, bytes, packets, t0, t1,
               src_private, dst_private FROM pair
        UNION ALL SELECT * FROM ref_pair);
CREATE TEMP VIEW check_served AS
SELECT 'att_port' AS t, (SELECT count(*) FROM ref_ap) AS ref_rows,
       2 * (SELECT count(*) FROM (SELECT DISTINCT * FROM typed_ap))
       - (SELECT count(*) FROM att_port) - (SELECT count(*) FROM ref_ap)
       + abs((SELECT count(*) FROM ref_ap) - (SELECT count(*) FROM att_port)) AS differences
UNION ALL
SELECT 'pair', (SELECT count(*) FROM ref_pair),
       2 * (SELECT count(*) FROM (SELECT DISTINCT * FROM typed_pair))
       - (SELECT count(*) FROM pair) - (SELECT count(*) FROM ref_pair)
       + abs((SELECT count(*) FROM ref_pair) - (SELECT count(*) FROM pair));
-- what the data exercises (a data set that meets no NULL would prove little)
CREATE TEMP VIEW check_cover AS
SELECT (SELECT count(*) FROM ref_ap WHERE n > 1) > 0 AS folds,
       (SELECT count(*) FROM ref_ap WHERE protocol IS NULL) > 0 AS proto_null,
       (SELECT count(*) FROM ref_ap WHERE dstport IS NULL) > 0 AS port_null,
       (SELECT count(*) FROM ref_ap WHERE rejected IS NULL) > 0 AS action_null,
       (SELECT count(*) FROM ref_ap WHERE failed IS NULL) > 0 AS failed_null,
       (SELECT count(*) FROM ref_ap WHERE acc_answered IS NULL) > 0 AS acc_null,
       (SELECT count(*) FROM ref_ap WHERE t0 IS NULL) > 0 AS start_null,
       (SELECT count(*) FROM ref_ap WHERE typeof(src) = 'blob' OR typeof(dst) = 'blob') > 0 AS blobs,
       (SELECT count(*) FROM ref_pair WHERE bytes IS NULL OR packets IS NULL) > 0 AS sum_null,
       (SELECT count(*) FROM ref_pair WHERE t1 IS NULL) > 0 AS end_null,
       (SELECT count(*) FROM ref_pair WHERE src_service IS NOT NULL AND dst_service IS NOT NULL) > 0 AS services;

-- The rows come in key order, so an ORDER BY or GROUP BY on a prefix of
-- the key, ascending, skips SQLite's sorter (smBestIndex); the answers,
-- in order, must be those of the same query over flows_t; any other order
-- is sorted by SQLite.
CREATE TEMP VIEW check_order AS
SELECT 'GROUP BY src, dst' AS q, count(*) AS differences FROM (
  SELECT * FROM (SELECT row_number() OVER () AS k, * FROM (SELECT src, dst, sum(n), min(t0) FROM att_port GROUP BY src, dst))
  EXCEPT SELECT row_number() OVER (ORDER BY src, dst), src, dst, count(*), min(start)
           FROM flows_t WHERE resp = 0 GROUP BY src, dst)
UNION ALL
SELECT 'pair GROUP BY src, dst, src_service', count(*) FROM (
  SELECT * FROM (SELECT row_number() OVER () AS k, * FROM (SELECT src, dst, src_service, sum(bytes) FROM pair GROUP BY 1, 2, 3))
  EXCEPT SELECT row_number() OVER (ORDER BY src, dst, src_service), src, dst, src_service, sum(bytes)
           FROM flows_t WHERE NOT (src_private AND dst_private) GROUP BY src, dst, src_service)
UNION ALL
SELECT 'ORDER BY dst, src, protocol, dstport, dst_service DESC', count(*) FROM (
  SELECT * FROM (SELECT row_number() OVER () AS k, src, dst, protocol, dstport, dst_service
                   FROM (SELECT * FROM att_port ORDER BY dst, src, protocol, dstport, dst_service DESC))
  EXCEPT SELECT row_number() OVER (ORDER BY dst, src, protocol, dstport, dst_service DESC), src, dst, protocol, dstport, dst_service
           FROM flows_t WHERE resp = 0 GROUP BY src, dst, protocol, dstport, dst_service)
UNION ALL
SELECT 'GROUP BY src, protocol', count(*) FROM (
  SELECT * FROM (SELECT row_number() OVER () AS k, * FROM (SELECT src, protocol, sum(n) FROM att_port GROUP BY src, protocol))
  EXCEPT SELECT row_number() OVER (ORDER BY src, protocol), src, protocol, count(*)
           FROM flows_t WHERE resp = 0 GROUP BY src, protocol);

-- day 1
INSERT INTO gen VALUES (1);
CREATE TEMP TABLE flows AS SELECT * FROM gen_flows;
.read sql/prepare.sql
.read sql/summaries.sql
.mode list
.headers on
SELECT 'day 1' AS day, * FROM check_served;
SELECT * FROM check_cover;
SELECT * FROM check_order;
.headers off
-- the plans: no sorter for the first two, a sorter for the others
EXPLAIN QUERY PLAN SELECT src, dst, sum(n) FROM att_port GROUP BY src, dst;
EXPLAIN QUERY PLAN SELECT src, dst, src_service, sum(bytes) FROM pair GROUP BY 1, 2, 3;
EXPLAIN QUERY PLAN SELECT src FROM att_port ORDER BY src DESC;
EXPLAIN QUERY PLAN SELECT src, protocol, sum(n) FROM att_port GROUP BY src, protocol;
EXPLAIN QUERY PLAN SELECT DISTINCT src FROM pair;
-- kept to compare with day 2
CREATE TEMP TABLE day1_ap AS SELECT * FROM att_port;
CREATE TEMP TABLE day1_pair AS SELECT * FROM pair;
-- reading summaries.sql again changes nothing
.read sql/summaries.sql
SELECT 'day 1 again', * FROM check_served;

-- day 2: another flows table, prepared on the same connection
DROP TABLE temp.vpcflow_day;
DELETE FROM temp.vpcflow_state;
DROP TABLE temp.flows;
DELETE FROM gen;
INSERT INTO gen VALUES (7);
CREATE TEMP TABLE flows AS SELECT * FROM gen_flows;
.read sql/prepare.sql
.read sql/summaries.sql
SELECT 'day 2', * FROM check_served;
SELECT 'day 2', * FROM check_order;
-- not the first day's rows (day 2's own reference agrees with day 2 above)
SELECT 'day 2 differs from day 1',
       (SELECT count(*) FROM (SELECT * FROM att_port EXCEPT SELECT * FROM day1_ap)) > 0,
       (SELECT count(*) FROM (SELECT * FROM pair EXCEPT SELECT * FROM day1_pair)) > 0;
