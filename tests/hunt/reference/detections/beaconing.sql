-- beaconing.sql - regular check-ins from our hosts to an internet address.
--
-- Question   Which host inside the VPC opens new connections to one internet
--            address and port on a steady schedule with steady sizes?
-- ATT&CK     T1071 Application Layer Protocol, T1573 Encrypted Channel (C2);
--            GuardDuty: Backdoor:EC2/C&CActivity.B (threat-list based); RITA.
-- Reads      flows via sql/prepare.sql -> traffic; only connection STARTS
--            (conn_start = 1, resp = 0): the 60 s / 600 s records of one long
--            connection are one start, not a beacon. Peers that are AWS
--            services (v5 pkt-dst-aws-service: SSM, CloudWatch agents) and
--            private peers are left out.
-- Gate       >= beaconing.min_conns (RITA needs >= 4; we use 10: Sentinel asks
--            > 15 events), beacon_period(start) > 10 s (Microsoft Sentinel's
--            AWSVPCFlow rule "Potential beaconing activity"),
--            beacon_score(start, bytes) >= beaconing.min_score (0.7: the
--            "low" bucket of RITA's default configuration), and at least
--            beaconing.min_on_schedule (0.5) of the intervals within 20 % of
--            the median period. RITA's skew score is 1 for any symmetric
--            spread, so a shipper that flushes at uniformly random 2-15 min
--            scores like a beacon there; an implant's jitter (Cobalt
--            Strike's is 0-50 %, drawn below the period) keeps >= 60 % of
--            its intervals within 20 % of the median, a random flush ~25 %.
-- Score      30 + 150 * (beacon_score - 0.7) + 5 * log10(connections)
--            + 10 * min(1, span / 6 h) (RITA's duration score: a schedule kept
--            for hours), clamped 0..100 (RITA buckets: 0.7 low, 0.9 medium,
--            1.0 high), minus 25 when beaconing.fleet_hosts (3) or more of
--            our hosts beacon to the same /24 (IPv4; the same prefix up to the
--            last ':' for IPv6) and port: a schedule shared by a fleet is an
--            agent (RITA's prevalence: the more hosts, the less suspicious);
--            this is what demotes SSM agents in v2 logs. TCP and UDP only (periodic ICMP is icmp_tunnel_tor's);
--            ACCEPTed connections only (a refused schedule is reject_spike's).
-- Tunables   beaconing.min_conns 10, beaconing.min_score 0.7,
--            beaconing.min_on_schedule 0.5, beaconing.fleet_hosts 3.
-- v2 / v3+   v2 finds starts as new 5-tuples and cannot recognise AWS service
--            peers (SSM agents polling AWS rank as beacons there); v3+ uses
--            SYN flags; v5 drops AWS service peers.
-- False positives  update and telemetry agents, NTP, health checks to external
--            endpoints, SaaS keep-alives with a fixed period.

.read sql/prepare.sql
INSERT OR IGNORE INTO tunables VALUES
  ('beaconing.min_conns', 10, 'connection starts per (src, dst, port)'),
  ('beaconing.min_score', 0.7, 'beacon_score() floor (RITA low bucket)'),
  ('beaconing.min_on_schedule', 0.5, 'share of intervals within 20 % of the median'),
  ('beaconing.fleet_hosts', 3, 'hosts beaconing to one /24 and port that make a fleet (-25)');

CREATE TEMP VIEW IF NOT EXISTS det_beaconing AS
WITH
tun AS (SELECT (SELECT value FROM tunables WHERE name = 'beaconing.min_conns') AS min_conns,
               (SELECT value FROM tunables WHERE name = 'beaconing.min_score') AS min_score,
               (SELECT value FROM tunables WHERE name = 'beaconing.min_on_schedule') AS min_on,
               (SELECT value FROM tunables WHERE name = 'beaconing.fleet_hosts') AS fleet_hosts),
a AS (SELECT src, dst, dstport, protocol, start, bytes FROM traffic
       WHERE resp = 0 AND conn_start = 1 AND src_private AND NOT dst_private
         AND protocol IN (6, 17) AND action = 'ACCEPT' AND dst_service IS NULL),
g AS (SELECT src, dst, dstport, protocol, count(*) AS n, beacon_period(start) AS period,
             beacon_score(start, bytes) AS bs, avg(bytes) AS avg_b, min(start) AS t0, max(start) AS t1
        FROM a GROUP BY 1, 2, 3, 4 HAVING count(*) >= (SELECT min_conns FROM tun)),
iv AS (SELECT src, dst, dstport, protocol,
               start - lag(start) OVER (PARTITION BY src, dst, dstport, protocol ORDER BY start) AS d
          FROM (SELECT DISTINCT a.src, a.dst, a.dstport, a.protocol, a.start
                  FROM a JOIN g USING (src, dst, dstport, protocol))),
o AS (SELECT g.*, avg(abs(iv.d - g.period) <= 0.2 * g.period) AS on_sched
        FROM g JOIN iv USING (src, dst, dstport, protocol)
       WHERE iv.d IS NOT NULL AND g.period > 10 AND g.bs >= (SELECT min_score FROM tun)
       GROUP BY g.src, g.dst, g.dstport, g.protocol),
b AS (SELECT o.*, rtrim(dst, '0123456789abcdef') AS net FROM o
       WHERE on_sched >= (SELECT min_on FROM tun)),
x AS (SELECT b.*, (SELECT count(DISTINCT b2.src) FROM b AS b2
                    WHERE b2.net = b.net AND b2.dstport = b.dstport) AS fleet,
             max(0, min(100, 30 + 150 * (bs - 0.7) + 5 * log10(n)
                             + 10 * min(1, (t1 - t0) / 21600.0))) AS base
        FROM b),
y AS (SELECT x.*, CASE WHEN fleet >= (SELECT fleet_hosts FROM tun) THEN min(39, max(0, base - 25))
                       WHEN n < 20 OR on_sched < 0.6 THEN min(39, base)
                       ELSE base END AS score
        FROM x)
SELECT 'beaconing' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       src, dst, dstport AS port,
       strftime('%Y-%m-%dT%H:%M:%SZ', t0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', t1, 'unixepoch') AS last_seen,
       printf('%d %s connections from %s to %s:%d every %.0f s (median; %.0f%% within 20%%) over %.1f h, ~%.0f B each, beacon score %.2f',
              n, protocol_name(protocol), src, dst, dstport, period, 100 * on_sched, (t1 - t0) / 3600.0,
              avg_b, bs)
       || CASE WHEN fleet >= (SELECT fleet_hosts FROM tun)
               THEN printf('; %d of our hosts beacon to %s*:%d: an agent fleet?', fleet, net, dstport)
               ELSE '' END AS evidence
  FROM y;

SELECT * FROM det_beaconing
 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet')
 ORDER BY score DESC;
