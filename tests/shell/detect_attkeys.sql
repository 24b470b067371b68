-- port_sweep and port_scan gate their candidates on vpcflow_att_keys_port
-- and vpcflow_att_keys_pair (ext/day_attkeys.c): attempt records per
-- (src, protocol, dstport) and per (src, dst). 1. Over the scenario (v5)
-- both tables equal the GROUP BY over flows_t their header gives, with and
-- without a threshold, and the scenario's scan pair (>= 25 attempts) is
-- there. 2. A `flows` whose attempt goes to a dst that is no address:
-- port_sweep must still stop on it, with addr_breadth()'s error, as the
-- detection before the gate did (tests/hunt/reference/detections/
-- port_sweep.sql, whose flows_n refuses it even earlier, and the
-- port_sweep before the gate: same message), though that record's key has
-- one attempt only. The shell stops at that error: it is the last line.
CREATE VIRTUAL TABLE temp.scenario USING vpcflow('fixtures/scenario/v5');
CREATE TEMP VIEW flows AS SELECT * FROM scenario;
.read sql/prepare.sql
.read sql/summaries.sql
SELECT NOT EXISTS (SELECT * FROM vpcflow_att_keys_port
                   EXCEPT SELECT src, protocol, dstport, count(*) FROM flows_t
                           WHERE resp = 0 AND dstport IS NOT NULL GROUP BY 1, 2, 3)
   AND NOT EXISTS (SELECT src, protocol, dstport, count(*) FROM flows_t
                    WHERE resp = 0 AND dstport IS NOT NULL GROUP BY 1, 2, 3
                   EXCEPT SELECT * FROM vpcflow_att_keys_port) AS port_equal,
       NOT EXISTS (SELECT * FROM vpcflow_att_keys_pair WHERE n >= 25
                   EXCEPT SELECT src, dst, count(*) FROM flows_t
                           WHERE resp = 0 AND protocol IN (6, 17) AND dstport IS NOT NULL
                           GROUP BY 1, 2 HAVING count(*) >= 25)
   AND NOT EXISTS (SELECT src, dst, count(*) FROM flows_t
                    WHERE resp = 0 AND protocol IN (6, 17) AND dstport IS NOT NULL
                    GROUP BY 1, 2 HAVING count(*) >= 25
                   EXCEPT SELECT * FROM vpcflow_att_keys_pair WHERE n >= 25) AS pair_equal,
       (SELECT count(*) > 0 FROM vpcflow_att_keys_pair WHERE n >= 25) AS scan_pair_found;
-- 2. the same day and one UDP attempt to 'garbage'
DROP TABLE temp.vpcflow_day;
DELETE FROM vpcflow_state;
CREATE TEMP TABLE bad AS SELECT * FROM scenario WHERE 0;
INSERT INTO bad(version, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes,
                start, "end", action, log_status, flow_direction) VALUES
  (5, 'eni-bad', '10.9.9.9', 'garbage', 40000, 9999, 17, 1, 100,
   1770960000, 1770960030, 'ACCEPT', 'OK', 'egress');
DROP VIEW flows;
CREATE TEMP VIEW flows AS SELECT * FROM scenario UNION ALL SELECT * FROM bad;
.read sql/prepare.sql
.read sql/summaries.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('quiet', 1);
SELECT count(*) AS bad_attempts FROM att_port WHERE dst = 'garbage';
.read sql/detections/port_sweep.sql
SELECT count(*) FROM det_port_sweep;
