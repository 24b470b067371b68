-- vpcflow_att_port and vpcflow_pair (ext/day_summary.c) before
-- sql/prepare.sql made a day: an error that says what to do, not an empty
-- result; so do the views of sql/summaries.sql over them.
CREATE TEMP VIEW att_port AS SELECT * FROM vpcflow_att_port;
CREATE TEMP VIEW pair AS SELECT * FROM vpcflow_pair;
SELECT count(*) FROM vpcflow_att_port;
SELECT count(*) FROM vpcflow_pair;
SELECT src FROM att_port;
SELECT src FROM pair WHERE n > 1;
