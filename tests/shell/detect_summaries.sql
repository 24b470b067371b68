-- sql/summaries.sql: its tables hold the rows of traffic once (flows_t
-- every row, att_port every attempt, pair every record with a public side,
-- by counts and byte sums), reading it twice changes nothing, and after the
-- re-analysis prepare.sql documents (DROP TABLE temp.vpcflow_day; DELETE FROM
-- temp.vpcflow_state) they describe the new data, not the old.
CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/v5');
.read sql/prepare.sql
.read sql/summaries.sql
.read sql/summaries.sql
CREATE TEMP VIEW check_summaries AS
SELECT (SELECT count(*) FROM flows_t) = (SELECT count(*) FROM traffic) AS flows_t_rows,
       (SELECT count(*) FROM (SELECT resp, src_private, dst_private, protocol, action, conn_start, answered,
                                     dstport, srcport, src, dst, start, "end", packets, bytes, tcp_flags,
                                     dst_service, src_service, interface_id, log_file FROM traffic
                              EXCEPT SELECT resp, src_private, dst_private, protocol, action, conn_start, answered,
                                     dstport, srcport, src, dst, start, "end", packets, bytes, tcp_flags,
                                     dst_service, src_service, interface_id, log_file FROM flows_t)) = 0
       AND (SELECT count(*) FROM (SELECT resp, src_private, dst_private, protocol, action, conn_start, answered,
                                     dstport, srcport, src, dst, start, "end", packets, bytes, tcp_flags,
                                     dst_service, src_service, interface_id, log_file FROM flows_t EXCEPT
                                  SELECT resp, src_private, dst_private, protocol, action, conn_start, answered,
                                     dstport, srcport, src, dst, start, "end", packets, bytes, tcp_flags,
                                     dst_service, src_service, interface_id, log_file FROM traffic)) = 0 AS flows_t_same,
       (SELECT sum(n) FROM att_port) = (SELECT count(*) FROM traffic WHERE resp = 0) AS att_port_rows,
       (SELECT sum(rejected) FROM att_port) = (SELECT count(*) FROM traffic WHERE resp = 0 AND action = 'REJECT')
         AS att_port_rejects,
       (SELECT sum(n) FROM pair) = (SELECT count(*) FROM traffic WHERE NOT (src_private AND dst_private))
         AS pair_rows,
       (SELECT sum(bytes) FROM pair) = (SELECT sum(bytes) FROM traffic WHERE NOT (src_private AND dst_private))
         AS pair_bytes,
       (SELECT count(*) FROM traffic) > 0 AS some_traffic;
.headers on
SELECT 'v5' AS data, * FROM check_summaries;
.headers off
SELECT 'v5 services in pair', count(*) > 0 FROM pair WHERE dst_service IS NOT NULL OR src_service IS NOT NULL;
-- another table in the same session
DROP TABLE temp.vpcflow_day;
DELETE FROM temp.vpcflow_state;
DROP TABLE temp.flows;
CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/v2');
.read sql/prepare.sql
.read sql/summaries.sql
SELECT 'v2', * FROM check_summaries;
-- the v2 copy has no pkt-* fields, so no AWS-service peers: none left over from v5
SELECT 'v2 services in pair', count(*) FROM pair WHERE dst_service IS NOT NULL OR src_service IS NOT NULL;
