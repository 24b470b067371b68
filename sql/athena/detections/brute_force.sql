-- brute_force (Athena) - password guessing over SSH, RDP and WinRM. Same
-- question, gate, score, output columns and evidence as
-- sql/detections/brute_force.sql (read its header for the why).
--
-- HOW TO RUN  Create the views of prepare.sql first (its header: the DDL
-- from vpcflow_athena_ddl(), the days in vpcflow_days, which is where the
-- partition filter on dt lives). Then run this SELECT in an Athena engine
-- version 3 workgroup. Tunables: the literals of the tun CTE.
--
-- DIFFERENCES FROM THE LOCAL VERSION (what Trino forces)
-- * The port list is an ARRAY (contains()) instead of a ',22,3389,' string.
-- * Booleans are not numbers in Trino: avg(login) is avg of 1/0.
-- * printf() becomes format() (Java: half-up rounding of %.0f on the
--   decimal value), strftime() becomes date_format() in UTC.
WITH
tun AS (SELECT 25 AS min_att, ARRAY[22, 3389, 5985, 5986] AS ports),
a AS (SELECT src, dst, dstport, start, packets, bytes, action, src_private, dst_private,
             CASE WHEN (CASE WHEN dstport = 22 THEN packets BETWEEN 11 AND 51 ELSE bytes < 20000 END)
                  THEN 1 ELSE 0 END AS login
        FROM flows_t
       WHERE resp = 0 AND conn_start = 1 AND protocol = 6
         AND contains((SELECT ports FROM tun), dstport)),
b AS (SELECT src, dst, dstport, start / 300 AS bucket, count(*) AS n FROM a
       GROUP BY src, dst, dstport, start / 300),
pk AS (SELECT src, dst, dstport, max(n) AS peak FROM b GROUP BY src, dst, dstport),
s AS (SELECT src, dst, dstport, count(*) AS attempts, avg(login) AS login_share,
             avg(CASE WHEN action = 'REJECT' THEN 1e0 WHEN action IS NOT NULL THEN 0e0 END) AS rejected,
             avg(packets) AS ppf, avg(bytes) AS bpf,
             max(src_private) AS actor,
             max(CASE WHEN src_private = 1 AND dst_private = 0 THEN 1 ELSE 0 END) AS outward,
             min(start) AS t0, max(start) AS t1
        FROM a GROUP BY src, dst, dstport),
x AS (SELECT s.*, pk.peak,
             greatest(0, least(100, 35 + 20 * log10(pk.peak * 1e0 / (SELECT min_att FROM tun))
                                  + 20 * s.login_share + 20 * s.actor + 10 * s.outward)) AS score
        FROM s JOIN pk ON pk.src = s.src AND pk.dst = s.dst AND pk.dstport = s.dstport
       WHERE pk.peak >= (SELECT min_att FROM tun) AND s.login_share >= 0.5)
SELECT 'brute_force' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       src, dst, dstport AS port,
       date_format(from_unixtime(t0, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS first_seen,
       date_format(from_unixtime(t1, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS last_seen,
       format('%d %s attempts from %s on %s in %s (peak %d per 5 min), %d%% login-sized, %.0f packets / %.0f B per attempt, %d%% rejected%s',
              attempts, CASE dstport WHEN 22 THEN 'SSH' WHEN 3389 THEN 'RDP' ELSE 'WinRM' END,
              src, dst,
              CASE WHEN t1 - t0 < 120 THEN CAST(t1 - t0 AS varchar) || ' s'
                   WHEN t1 - t0 < 7200 THEN CAST((t1 - t0 + 30) / 60 AS varchar) || ' min'
                   ELSE format('%.1f h', (t1 - t0) / 3600e0) END,
              peak, CAST(round(100 * login_share) AS bigint), ppf, bpf,
              CAST(round(100 * rejected) AS bigint),
              CASE WHEN actor = 1 THEN '; our host is the attacker' ELSE '' END) AS evidence
  FROM x
 ORDER BY score DESC
