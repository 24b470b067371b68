-- exposed_service.sql - services reachable from the internet that should not be.
--
-- Question   Which (host, port) inside the VPC accepted connections from
--            internet sources - above all from scanners that were refused
--            almost everywhere else - and is it a port that should never be public?
-- ATT&CK     T1190 Exploit Public-Facing Application (the exposure), T1046 (the
--            scanner that found it). GuardDuty: Recon:EC2/PortProbeUnprotectedPort
--            (Low; High on 9200/9300), PortProbeEMRUnprotectedPort (High).
-- Reads      inbound attempts (resp = 0) from public sources to private
--            destinations: scanners and tried sources from att_port
--            (sql/summaries.sql); the accepted attempts that were answered,
--            per source, from vpcflow_served (the prepared day, in C: one
--            sort instead of a lookup per attempt into the replies).
-- Gate       a scanner = public source with port_breadth(dstport) >=
--            exposed_service.scanner_ports (10) and >= 80 % rejected (the
--            port_scan gates; Sigma's scan-by-port uses
--            > 10 ports). A (dst, port) is reported when a scanner got an
--            ACCEPT that was answered, or when >= exposed_service.min_open (50 %)
--            of the public sources that tried it were accepted and answered
--            (open to the world, not to an allowlist). A bastion open to one
--            office address is refused to everyone else: not reported.
-- Score      20 + 25 if the port is sensitive (admin, database, cache, search,
--            container API: the list below) + 15 on 9200/9300 (GuardDuty High)
--            + 25 if a scanner was accepted + 10 * log10(1 + accepted sources)
--            - 25 on the intended public web ports (exposed_service.public_ports),
--            clamped 0..100; then a port on the public list, and ICMP (echo
--            allowed is reachability, not a service), are low (at most 30),
--            and every other reported port is medium at least (40): so a
--            port a scanner found open off the list outranks the intended ones.
-- Tunables   exposed_service.scanner_ports 10, exposed_service.min_open 0.5,
--            exposed_service.public_ports '80,443' (comma list).
-- v2 / v3+   same logic; v3+ uses SYN-ACK to tell an open port from an RST.
-- False positives  intentionally public services (add their ports to
--            public_ports), honeypots, services behind an allowlist that
--            happens to include a scanner.

.read sql/prepare.sql
.read sql/summaries.sql

CREATE TEMP VIEW IF NOT EXISTS det_exposed_service AS
WITH
tun AS (SELECT max(value) FILTER (WHERE name = 'exposed_service.scanner_ports') AS scan_ports,
               max(value) FILTER (WHERE name = 'exposed_service.min_open') AS min_open,
               ',' || max(value) FILTER (WHERE name = 'exposed_service.public_ports') || ',' AS public_ports
          FROM vpcflow_tun),
scanner AS (SELECT src FROM att_port WHERE src_private = 0 AND dst_private = 1 AND dstport IS NOT NULL
             GROUP BY src
             HAVING port_breadth(dstport) >= (SELECT scan_ports FROM tun)
                AND sum(rejected) * 1.0 / sum(n_action) >= 0.8),
-- accepted and answered inbound attempts, per (dst, port, protocol, source),
-- from vpcflow_served (ext/day_served.c; its header gives the SQL it
-- equals): ACCEPT, answered, and a record back from the destination within
-- 120 s that is a SYN-ACK (or, without tcp-flags or for UDP, any answer);
-- n records, first and last start. Within a service the sources come in
-- the order of their first such record in flows_t, as the raw rows did.
ok AS (SELECT s.*, s.src IN (SELECT src FROM scanner) AS by_scanner FROM vpcflow_served AS s),
tried AS (SELECT dst, dstport, protocol, addr_breadth(src) AS sources FROM att_port
           WHERE src_private = 0 AND dst_private = 1 AND dstport IS NOT NULL GROUP BY 1, 2, 3),
acc AS (SELECT dst, dstport, protocol, addr_breadth(src) AS accepted,
               addr_breadth(src) FILTER (WHERE by_scanner) AS scanners,
               group_concat(DISTINCT CASE WHEN by_scanner THEN src END) AS scanner_list,
               sum(n) AS conns, min(t0) AS t0, max(t1) AS t1
          FROM ok GROUP BY 1, 2, 3),
x AS (SELECT acc.*, tried.sources,
             dstport IN (21, 22, 23, 135, 139, 445, 1433, 1521, 2375, 2376, 3306, 3389, 5432,
                         5601, 5900, 5985, 5986, 6379, 6443, 7001, 8888, 9042, 9200, 9300,
                         10250, 11211, 27017, 50070) AS sensitive,
             instr((SELECT public_ports FROM tun), ',' || dstport || ',') > 0 AS public
        FROM acc JOIN tried USING (dst, dstport, protocol)),
y AS (SELECT x.*, CASE WHEN public OR protocol IN (1, 58) THEN min(30, s) ELSE max(40, s) END AS score
        FROM (SELECT x.*, max(0, min(100, 20 + 25 * sensitive + 15 * (dstport IN (9200, 9300))
                              + 25 * (scanners > 0) + 10 * log10(1 + accepted) - 25 * public)) AS s
                FROM x WHERE scanners > 0 OR accepted * 1.0 / sources >= (SELECT min_open FROM tun)) AS x)
SELECT 'exposed_service' AS detection, round(score, 1) AS score,
       vpcflow_severity(score) AS severity,
       scanner_list AS src, dst, dstport AS port,
       strftime('%Y-%m-%dT%H:%M:%SZ', t0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', t1, 'unixepoch') AS last_seen,
       printf('%s/%d on %s accepted %d connections from %d of %d internet sources%s%s',
              protocol_name(protocol), dstport, dst, conns, accepted, sources,
              CASE WHEN scanners > 0 THEN printf(', incl. %d scanner(s) refused elsewhere (%s)',
                                                 scanners, scanner_list) ELSE '' END,
              CASE WHEN public THEN '; listed as a public port'
                   WHEN sensitive THEN '; sensitive port: restrict the security group' ELSE '' END) AS evidence
  FROM y;

-- Printed unless the hunt runs it ('quiet'): the one-row guard is the outer
-- loop (CROSS JOIN keeps it there), so a quiet read computes nothing.
SELECT det_exposed_service.* FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet'))
       CROSS JOIN det_exposed_service
 ORDER BY score DESC;
