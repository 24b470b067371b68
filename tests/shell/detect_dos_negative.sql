-- dos reads flows_t only for the (src, dst) pairs whose packets, summed in
-- pair, pass dos.out_packets (sql/detections/dos.sql, issue #12): exact
-- because the readers never give a negative packet count. Any table can
-- be `flows`, though, and one with a negative count must still be read
-- whole, as the SQL before that change did (tests/hunt/reference/current/
-- dos.sql, kept unchanged). Here 10.9.9.9 sends 20,000 UDP packets to
-- 198.51.100.77:9999 in one minute and "-15,000" two minutes later: the
-- pair's total (5,000) is under the gate, its peak minute (20,000) above,
-- so both must report it, score 55 + 15 * log10(20000 / 10000) = 59.5.
CREATE VIRTUAL TABLE temp.scenario USING vpcflow('fixtures/scenario/v5');
CREATE TEMP TABLE neg AS SELECT * FROM scenario WHERE 0;
INSERT INTO neg(version, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes,
                start, "end", action, log_status, flow_direction) VALUES
  (5, 'eni-neg', '10.9.9.9', '198.51.100.77', 40000, 9999, 17, 20000, 1000000,
   1770960000, 1770960030, 'ACCEPT', 'OK', 'egress'),
  (5, 'eni-neg', '10.9.9.9', '198.51.100.77', 40000, 9999, 17, -15000, 1000000,
   1770960120, 1770960150, 'ACCEPT', 'OK', 'egress');
CREATE TEMP VIEW flows AS SELECT * FROM scenario UNION ALL SELECT * FROM neg;
.read sql/prepare.sql
.read sql/summaries.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('quiet', 1);
.read tests/hunt/reference/current/dos.sql
CREATE TEMP TABLE ref AS SELECT * FROM det_dos;
DROP VIEW det_dos;
.read sql/detections/dos.sql
CREATE TEMP TABLE new AS SELECT * FROM det_dos;
SELECT (SELECT sum(packets) FROM pair WHERE src = '10.9.9.9') AS pair_packets,
       (SELECT count(*) FROM ref) = (SELECT count(*) FROM new)
       AND NOT EXISTS (SELECT rowid, * FROM ref EXCEPT SELECT rowid, * FROM new) AS identical;
SELECT score, src, dst, port FROM new WHERE src = '10.9.9.9';
