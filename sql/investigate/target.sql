-- investigate/target.sql - read by every investigate script after
-- sql/prepare.sql: work out the address to investigate from @ip, or stop
-- with a message (exit status 1) when it is not in the logs.
--
-- @ip is an address (10.0.2.30, 2001:db8::1) or an interface id
-- (eni-...). An interface stands for its own address: the address it
-- logged most often as the source of its egress records, else as the
-- destination of its ingress records, else the address flow-direction-
-- less logs gave it (vpcflow_eni). The result is the one row of the TEMP
-- table vpcflow_target(ip, eni, asked): the address, the interface when
-- one was asked for, and @ip as given.
--
-- HOW IT WORKS: as need_flows.sql, a row inserted into vpcflow_need whose
-- check fails makes a TEMP trigger raise the message; the address is
-- looked up in flows_n by its (src, start) index first, and only when it
-- never sends by a scan of the destinations.
DROP TABLE IF EXISTS temp.vpcflow_target;
CREATE TEMP TABLE vpcflow_target(ip TEXT, eni TEXT, asked TEXT);
INSERT INTO vpcflow_target
SELECT CASE WHEN @ip LIKE 'eni-%' THEN
         coalesce((SELECT src FROM flows_n WHERE interface_id = @ip AND dir = 'egress' AND log_status = 'OK'
                    GROUP BY src ORDER BY count(*) DESC, src LIMIT 1),
                  (SELECT dst FROM flows_n WHERE interface_id = @ip AND dir = 'ingress' AND log_status = 'OK'
                    GROUP BY dst ORDER BY count(*) DESC, dst LIMIT 1),
                  (SELECT addr FROM vpcflow_eni WHERE interface_id = @ip))
       ELSE @ip END,
       CASE WHEN @ip LIKE 'eni-%' THEN @ip END, @ip;
CREATE TEMP TRIGGER IF NOT EXISTS vpcflow_need_target BEFORE INSERT ON vpcflow_need
  WHEN NEW.what = 'target' AND NOT NEW.ok
BEGIN
  SELECT RAISE(ABORT, 'vpcflow: the address or interface to investigate is not in the logs (no traffic record from or to it; SELECT * FROM vpcflow_target shows what was looked for)');
END;
-- RAISE takes only a literal: the address itself is named on stdout first
UPDATE vpcflow_target SET ip = NULL
 WHERE NOT (EXISTS (SELECT 1 FROM traffic WHERE src = ip) OR EXISTS (SELECT 1 FROM traffic WHERE dst = ip));
SELECT asked || CASE WHEN eni IS NOT NULL THEN ' (an interface)' ELSE '' END
       || ' is not in the logs: no traffic record from or to it' AS "vpcflow: not found"
  FROM vpcflow_target WHERE ip IS NULL;
INSERT INTO vpcflow_need
SELECT 'target', ip IS NOT NULL FROM vpcflow_target;
