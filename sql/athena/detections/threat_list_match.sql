-- threat_list_match (Athena) - traffic to or from the addresses of a
-- threat list (the view ioc, see user_tables.sql). Same question, gate,
-- score, output columns and evidence as
-- sql/detections/threat_list_match.sql (read its header for the why).
--
-- HOW TO RUN  Create the views of prepare.sql first (its header: the DDL
-- from vpcflow_athena_ddl(), the days in vpcflow_days, which is where the
-- partition filter on dt lives). Then run this SELECT in an Athena engine
-- version 3 workgroup. Tunables: the literals of the tun CTE.
--
-- DIFFERENCES FROM THE LOCAL VERSION (what Trino forces)
-- * printf() becomes format() (Java's formatter: %.1f rounds half-up on
--   the decimal value, C's printf on the binary one; a x.x5 case can
--   differ in the last digit), strftime() becomes date_format() in UTC.
-- * ip_in_cidr(a, cidr) becomes contains(cidr, CAST(a AS IPADDRESS))
--   (TRY_CAST: an address that does not parse matches nothing).
-- * The ports of the evidence: locally group_concat(DISTINCT) in the
--   order of the records read; here in order of the records' start time
--   (same set, maybe another order).
-- * Without an ioc list the local file prints a note; here the empty
--   view of user_tables.sql gives no rows.
WITH
lst AS (SELECT addr AS cidr, note FROM ioc WHERE addr IS NOT NULL AND addr <> ''),
seen AS (SELECT src AS a FROM pair WHERE src_private = 0 AND EXISTS (SELECT 1 FROM lst)
         UNION SELECT dst FROM pair WHERE dst_private = 0 AND EXISTS (SELECT 1 FROM lst)),
hit AS (SELECT seen.a, lst.cidr, lst.note FROM seen JOIN lst
          ON CASE WHEN strpos(lst.cidr, '/') > 0 THEN contains(lst.cidr, TRY_CAST(seen.a AS IPADDRESS))
                  ELSE seen.a = lst.cidr END),
t AS (SELECT CASE WHEN hit.a = f.dst THEN f.src ELSE f.dst END AS host, hit.a AS peer, hit.cidr, hit.note,
             CASE WHEN f.dst = hit.a THEN 1 ELSE 0 END AS outbound, f.resp, f.action, f.answered, f.bytes,
             f.start, f."end",
             CASE WHEN f.resp = 0 THEN f.dstport ELSE f.srcport END AS port, f.conn_start
        FROM hit JOIN flows_t AS f ON f.src = hit.a OR f.dst = hit.a),
s AS (SELECT host, peer, arbitrary(cidr) AS cidr, arbitrary(note) AS note, min(start) AS t0, max("end") AS t1,
             sum(bytes) AS b, count(*) AS recs,
             max(CASE WHEN action = 'ACCEPT' AND resp = 0 AND answered = 1 THEN 1 ELSE 0 END) AS session,
             max(CASE WHEN outbound = 1 AND resp = 0 THEN 1 ELSE 0 END) AS we_opened,
             avg(CASE WHEN action = 'REJECT' THEN 1e0 WHEN action IS NOT NULL THEN 0e0 END) AS rejected,
             array_join(array_distinct(array_agg(port ORDER BY start) FILTER (WHERE port IS NOT NULL)), ',') AS ports
        FROM t GROUP BY host, peer),
x AS (SELECT s.*, greatest(0, least(100, 30 + 30 * session + 15 * we_opened + least(15, 5 * log10(1 + b / 1e6)))) AS score
        FROM s)
SELECT 'threat_list_match' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       CASE WHEN we_opened = 1 THEN host ELSE peer END AS src, CASE WHEN we_opened = 1 THEN peer ELSE host END AS dst,
       CASE WHEN ports NOT LIKE '%,%' THEN TRY_CAST(ports AS integer) END AS port,
       date_format(from_unixtime(t0, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS first_seen,
       date_format(from_unixtime(t1, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS last_seen,
       format('%s %s %s (listed as %s: %s), ports %s, %d records, %.1f MB, %d%% refused%s',
              host, CASE WHEN we_opened = 1 THEN 'connected to' ELSE 'was contacted by' END, peer, cidr,
              coalesce(note, '-'), ports, recs, b / 1e6, CAST(round(100 * rejected) AS bigint),
              CASE WHEN session = 1 THEN '; a session was established' ELSE '' END) AS evidence
  FROM x
 ORDER BY score DESC
