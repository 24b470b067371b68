-- threat_list_match.sql - traffic with addresses on the user's threat list.
--
-- Question   Which of our hosts exchanged traffic with an address or network on
--            the user-supplied IOC list, and did the connection succeed?
-- ATT&CK     depends on the list: C2 (T1071), T1496 Resource Hijacking (mining
--            pools), T1090.003 (Tor). GuardDuty: Backdoor:EC2/C&CActivity.B,
--            CryptoCurrency:EC2/BitcoinTool.B, Trojan:EC2/BlackholeTraffic,
--            DropPoint, UnauthorizedAccess:EC2/MaliciousIPCaller.Custom.
-- Needs      a TEMP table (or view) ioc(addr TEXT, note TEXT) created before
--            this file runs; addr is an address or a CIDR (IPv4 or IPv6):
--              CREATE TEMP TABLE ioc(addr TEXT, note TEXT);
--              INSERT INTO ioc VALUES ('198.51.100.176/28', 'mining pool');
--            Without it the detection prints a note and returns no rows.
-- Reads      flows_t (traffic, sql/summaries.sql). Matching runs on the
--            distinct addresses seen (ip_in_cidr; from vpcflow_senders and
--            pair, sql/summaries.sql), not on every record; then the records
--            of the listed addresses; each record is paired with the listed
--            address(es) it has by two equality joins (f.src = a, then
--            f.dst = a for the rest), not by testing every record against
--            every listed address (a nested loop over hits x records).
-- Gate       any record to or from a listed address.
-- Score      30 + 30 if any connection was ACCEPTed and answered (a session
--            happened) + 15 if our host opened it + min(15, 5 * log10(1 + MB)),
--            clamped 0..100: a listed scanner refused at the edge is low.
-- Tunables   the list itself.
-- v2 / v3+   identical; pkt-* addresses match the real peer behind a NAT.
-- False positives  stale lists, shared hosting and CDN addresses, sinkholes.

.read sql/prepare.sql
.read sql/summaries.sql

SELECT 'threat_list_match skipped: no ioc table. Create one first: CREATE TEMP TABLE ioc(addr TEXT, note TEXT); INSERT INTO ioc VALUES (''203.0.113.0/24'', ''why'');' AS note
 WHERE (SELECT v FROM vpcflow_state WHERE k = 'ioc_given') = 0
   AND NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet');

CREATE TEMP VIEW IF NOT EXISTS det_threat_list_match AS
WITH
lst AS (SELECT addr AS cidr, note FROM ioc WHERE addr IS NOT NULL AND addr <> ''),
-- the public addresses of the traffic: sources from vpcflow_senders
-- (ext/day_senders.c; a record with a public source is in pair), the
-- destinations from pair
seen AS (SELECT src AS a FROM (SELECT 1 WHERE EXISTS (SELECT 1 FROM lst)) CROSS JOIN vpcflow_senders WHERE src_private = 0
         UNION SELECT dst FROM (SELECT 1 WHERE EXISTS (SELECT 1 FROM lst)) CROSS JOIN temp.pair WHERE dst_private = 0),
hit AS (SELECT seen.a, lst.cidr, lst.note FROM seen JOIN lst
          ON CASE WHEN instr(lst.cidr, '/') > 0 THEN ip_in_cidr(seen.a, lst.cidr) ELSE seen.a = lst.cidr END),
-- the records of listed addresses, in the order today's plan read them
-- (an automatic index on flows_n: the columns used, in table order, then
-- the scan order k): group_concat lists the ports in that order. k only
-- orders records equal in every column used, so two scans may fill it:
-- a listed address is public, so the records from one (src_private = 0,
-- applied in C: sql/README.md "Filters in C"), then those to one and not
-- from one (dst_private = 0)
f AS (SELECT * FROM (SELECT row_number() OVER () AS k, * FROM
                       (SELECT action, src, dst, srcport, dstport, bytes, start, "end", resp, answered, conn_start
                          FROM flows_t WHERE src_private = 0 AND src IN (SELECT a FROM hit)
                        UNION ALL
                        SELECT action, src, dst, srcport, dstport, bytes, start, "end", resp, answered, conn_start
                          FROM flows_t WHERE dst_private = 0 AND dst IN (SELECT a FROM hit)
                           AND NOT (src_private IS 0 AND src IN (SELECT a FROM hit))))
       ORDER BY action, src, dst, srcport, dstport, bytes, start, "end", resp, answered, conn_start, k),
-- each record with each listed address it has (a record between two listed
-- addresses twice), hit's rows in the outer order, f's inside: the order a
-- nested loop over hit and f gives, which the GROUP BY below reads
-- (group_concat(DISTINCT port) lists the ports in it, cidr and note are
-- those of its first row), reached by two equality joins (f.src = a, then
-- f.dst = a for the rest) and a sort of the matches by (hk, fk), not by
-- |hit| x |f| comparisons
hn AS (SELECT row_number() OVER () AS hk, a, cidr, note FROM hit),
fn AS (SELECT row_number() OVER () AS fk, * FROM f),
t AS (SELECT CASE WHEN m.a = m.dst THEN m.src ELSE m.dst END AS host, m.a AS peer, m.cidr, m.note,
             m.dst = m.a AS outbound, m.resp, m.action, m.answered, m.bytes, m.start, m."end",
             CASE WHEN m.resp = 0 THEN m.dstport ELSE m.srcport END AS port, m.conn_start
        FROM (SELECT hn.hk, fn.fk, hn.a, hn.cidr, hn.note, fn.*
                FROM hn JOIN fn ON fn.src = hn.a
              UNION ALL
              SELECT hn.hk, fn.fk, hn.a, hn.cidr, hn.note, fn.*
                FROM hn JOIN fn ON fn.dst = hn.a AND fn.src IS NOT hn.a
               ORDER BY 1, 2) AS m),
s AS (SELECT host, peer, cidr, note, min(start) AS t0, max("end") AS t1, sum(bytes) AS b, count(*) AS recs,
             max(action = 'ACCEPT' AND resp = 0 AND answered) AS session,
             max(outbound AND resp = 0) AS we_opened, avg(action = 'REJECT') AS rejected,
             group_concat(DISTINCT port) AS ports
        FROM t GROUP BY host, peer),
x AS (SELECT s.*, max(0, min(100, 30 + 30 * session + 15 * we_opened + min(15, 5 * log10(1 + b / 1e6)))) AS score
        FROM s)
SELECT 'threat_list_match' AS detection, round(score, 1) AS score,
       vpcflow_severity(score) AS severity,
       CASE WHEN we_opened THEN host ELSE peer END AS src, CASE WHEN we_opened THEN peer ELSE host END AS dst,
       CASE WHEN ports NOT LIKE '%,%' THEN CAST(ports AS INTEGER) END AS port,
       strftime('%Y-%m-%dT%H:%M:%SZ', t0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', t1, 'unixepoch') AS last_seen,
       printf('%s %s %s (listed as %s: %s), ports %s, %d records, %.1f MB, %d%% refused%s',
              host, CASE WHEN we_opened THEN 'connected to' ELSE 'was contacted by' END, peer, cidr,
              coalesce(note, '-'), ports, recs, b / 1e6, CAST(round(100 * rejected) AS INTEGER),
              CASE WHEN session THEN '; a session was established' ELSE '' END) AS evidence
  FROM x;

-- Printed unless the hunt runs it ('quiet'): the one-row guard is the outer
-- loop (CROSS JOIN keeps it there), so a quiet read computes nothing.
SELECT det_threat_list_match.* FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet'))
       CROSS JOIN det_threat_list_match
 ORDER BY score DESC;
