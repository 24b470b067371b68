-- vpcflow_att_port and vpcflow_pair (ext/day_summary.c) before
-- sql/prepare.sql made a day: an error that says what to do, not an empty
-- result; so do the views of sql/summaries.sql over them. Then an empty
-- day: 0 records, no summary rows.
CREATE TEMP VIEW att_port AS SELECT * FROM vpcflow_att_port;
CREATE TEMP VIEW pair AS SELECT * FROM vpcflow_pair;
SELECT count(*) FROM vpcflow_att_port;
SELECT count(*) FROM vpcflow_pair;
SELECT src FROM att_port;
SELECT src FROM pair WHERE n > 1;
-- a day without traffic records (an empty flows table): no rows, no error
CREATE TEMP TABLE flows(version INTEGER, account_id TEXT, interface_id TEXT, srcaddr TEXT, dstaddr TEXT,
  srcport INTEGER, dstport INTEGER, protocol INTEGER, packets INTEGER, bytes INTEGER, start INTEGER,
  "end" INTEGER, action TEXT, log_status TEXT);
SELECT records, traffic FROM vpcflow_prepare('flows', 3);
SELECT count(*) FROM att_port;
SELECT count(*), sum(n) FROM pair GROUP BY src, dst;
SELECT count(*) FROM pair;
