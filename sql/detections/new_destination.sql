-- new_destination.sql - an instance suddenly talking to a new internet address.
--
-- Question   Which of our hosts, active during the baseline, started sending
--            data to an internet address it had never used before?
-- ATT&CK     T1041 Exfiltration Over C2 Channel, T1071 (new C2), T1496 (new
--            mining pool); GuardDuty's "no prior history" notion
--            (Behavior:EC2/TrafficVolumeUnusual, NetworkPortUnusual).
-- Reads      flows_t (traffic, sql/summaries.sql); all records between a
--            private host and a public peer (AWS service peers left out):
--            first contacts from pair (sql/summaries.sql), the baseline
--            activity of hosts from vpcflow_senders (first record of each
--            source, in C), then the raw records of the new pairs
--            (vpcflow_new_dest, in C).
-- Baseline   the first half of the span (baseline_fraction, prepare.sql). A
--            (host, peer) pair is new when the host had traffic in the
--            baseline and the pair first appears at or after the cut, opened
--            by our host. Sumo Logic's first-seen rules use 14-35 days:
--            give it more data for a real baseline.
-- Gate       any new pair; a host with more than new_destination.fanout (20)
--            new peers on one port is folded into one row (a sweep).
-- Score      25 + 12 * log10(1 + MB sent) + 10 if answered + 5 * log10(1 +
--            connections), clamped 0..100: bytes leaving rank first. Below
--            medium (at most 39) unless >= 1 MB was sent, >= 50 connections
--            were opened, or the row folds a fan-out: a new API peer called
--            a few times is context, not a lead.
-- Tunables   new_destination.fanout 20.
-- v2 / v3+   v2 cannot leave AWS service peers out.
-- False positives  new SaaS dependencies, package mirrors and CDNs (large
--            downloads but little upload: low), DNS-based load balancing that
--            rotates addresses.

.read sql/prepare.sql
.read sql/summaries.sql

CREATE TEMP VIEW IF NOT EXISTS det_new_destination AS
WITH
tun AS (SELECT (SELECT cut FROM vpcflow_span) AS cut,
               max(value) FILTER (WHERE name = 'new_destination.fanout') AS fanout
          FROM vpcflow_tun),
pair AS (SELECT src AS host, dst AS peer, min(t0) AS first FROM temp.pair
          WHERE src_private = 1 AND dst_private = 0 AND dst_service IS NULL GROUP BY src, dst),
-- hosts with traffic in the baseline: the first record of each source,
-- from vpcflow_senders (ext/day_senders.c: flows_t grouped by src, in C)
active AS (SELECT src AS host FROM vpcflow_senders WHERE src_private = 1 AND t0 < (SELECT cut FROM tun)),
-- the raw records of the new pairs of active hosts only: vpcflow_new_dest
-- (ext/day_newdest.c) lists, in C, the records of flows_t with
-- src_private = 1, dst_private = 0 and no dst_service whose (src, dst)
-- first appears at or after the cut (the pairs `pair` below calls new)
-- and whose src is `active`; its header gives the SQL it equals
o AS MATERIALIZED (SELECT src AS host, dst AS peer, CASE WHEN protocol IN (6, 17) THEN dstport END AS port, protocol,
             bytes, start, "end", answered, conn_start, resp
        FROM vpcflow_new_dest WHERE cut = (SELECT cut FROM tun)),
-- port and protocol are bare columns (from one record of the pair): the
-- records reach the GROUP BY in the order of the automatic index on o, as
-- they always did (pair outer, o inner); CROSS JOIN pins that order. That
-- index is COVERING: within a pair its rows are ordered by their values
-- (port, protocol, bytes, ...), not by flows_t's order, so which record
-- gives the port depends on this plan: keep it when changing o or np.
np AS (SELECT o.host, o.peer, o.port, o.protocol, sum(o.bytes) AS b, max(o.answered) AS answered,
              max(1, sum(o.conn_start)) AS conns, min(o.start) AS t0, max(o."end") AS t1,
              max(o.resp = 0) AS opened
         FROM pair CROSS JOIN o USING (host, peer)
        WHERE pair.first >= (SELECT cut FROM tun) AND o.host IN (SELECT host FROM active)
        GROUP BY o.host, o.peer),
np2 AS (SELECT * FROM np WHERE opened),
fan AS (SELECT host, port, protocol, count(*) AS n FROM np2 GROUP BY 1, 2, 3),
g AS (SELECT np2.host, CASE WHEN fan.n > (SELECT fanout FROM tun) THEN NULL ELSE np2.peer END AS peer,
             np2.port, np2.protocol, fan.n AS peers, sum(b) AS b, max(answered) AS answered,
             sum(conns) AS conns, min(t0) AS t0, max(t1) AS t1
        FROM np2 JOIN fan ON fan.host = np2.host AND fan.port IS np2.port AND fan.protocol = np2.protocol
       GROUP BY np2.host, 2, np2.port, np2.protocol),
x AS (SELECT g.*, min(CASE WHEN peer IS NULL OR b >= 1e6 OR conns >= 50 THEN 100 ELSE 39 END,
                      max(0, min(100, 25 + 12 * log10(1 + b / 1e6) + 10 * answered + 5 * log10(1 + conns)))) AS score
        FROM g)
SELECT 'new_destination' AS detection, round(score, 1) AS score,
       vpcflow_severity(score) AS severity,
       host AS src, peer AS dst, port,
       strftime('%Y-%m-%dT%H:%M:%SZ', t0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', t1, 'unixepoch') AS last_seen,
       printf('%s first contacted %s%s at %s (never before %s): %d connection(s), %.1f MB sent%s',
              host, CASE WHEN peer IS NULL THEN peers || ' new internet hosts' ELSE peer END,
              CASE WHEN protocol IN (6, 17) THEN printf(' on %s/%d', protocol_name(protocol), port)
                   ELSE ' (' || protocol_name(protocol) || ')' END,
              strftime('%H:%M', t0, 'unixepoch'), strftime('%H:%M', (SELECT cut FROM tun), 'unixepoch'),
              conns, b / 1e6, CASE WHEN answered THEN '' ELSE ', never answered' END) AS evidence
  FROM x;

-- Printed unless the hunt runs it ('quiet'): the one-row guard is the outer
-- loop (CROSS JOIN keeps it there), so a quiet read computes nothing.
SELECT det_new_destination.* FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet'))
       CROSS JOIN det_new_destination
 ORDER BY score DESC;
