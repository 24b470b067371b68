-- hunt_findings.sql - read by sql/hunt.sql after each detection: insert
-- the rows of TEMP VIEW hunt_detection (hunt.sql points it at the
-- detection just read, det_<name>) into `findings`, each with its
-- drill-down columns: the ATT&CK technique (vpcflow_attack), and from the
-- first record behind the finding (vpcflow_first_record over the prepared
-- day, ext/day_first.c) its protocol, interface, account (from the record,
-- else from an S3 path's AWSLogs/<account>/), VPC and log_file:log_line,
-- then the command that investigates the finding's address.
-- LIMIT -1 keeps the detection's rows in the order it gives them (the
-- subquery is not flattened into the join), so rowids follow that order.
-- The view is dropped at the end, so hunt.sql only creates it.
INSERT INTO findings
SELECT d.*, (SELECT technique FROM vpcflow_attack AS a WHERE a.detection = d.detection),
       protocol_name(r.protocol),
       coalesce(r.interface_id, CASE WHEN d.src LIKE 'eni-%' THEN d.src END),
       coalesce(r.account_id,
                CASE WHEN instr(r.log_file, 'AWSLogs/') > 0
                      AND substr(r.log_file, instr(r.log_file, 'AWSLogs/') + 8, 13)
                          GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]/'
                     THEN substr(r.log_file, instr(r.log_file, 'AWSLogs/') + 8, 12) END),
       r.vpc_id, r.log_file || ':' || r.log_line,
       printf((SELECT v FROM vpcflow_state WHERE k = 'investigate'), coalesce(d.src, d.dst))
  FROM (SELECT * FROM hunt_detection LIMIT -1) AS d
  LEFT JOIN vpcflow_first_record(d.src, d.dst, d.port, CAST(strftime('%s', d.first_seen) AS INTEGER),
                                 CAST(strftime('%s', d.last_seen) AS INTEGER)) AS r;
DROP VIEW temp.hunt_detection;
