-- CREATE VIRTUAL TABLE: columns are the header fields in header order
-- (union over files, first-seen order), plus hidden log_file, log_line.
.headers off
.nullvalue NULL
.print -- union of two headers; an unknown field becomes a TEXT column
CREATE VIRTUAL TABLE temp.u USING vpcflow('fixtures/union');
SELECT cid, name, type, hidden FROM pragma_table_xinfo('u') ORDER BY cid;
SELECT * FROM u;
SELECT log_file, log_line, typeof(version), typeof(bytes), typeof(packets), typeof(mystery_field) FROM u;
.print -- path= and a default-format header
CREATE VIRTUAL TABLE temp.p USING vpcflow(path='fixtures/v2/basic.log');
SELECT group_concat(name, ' ') FROM pragma_table_xinfo('p') WHERE hidden = 0;
SELECT count(*), sum(bytes), sum(packets), count(action) FROM p;
SELECT action, count(*) FROM p WHERE log_status = 'OK' GROUP BY action ORDER BY action;
SELECT typeof(srcport), typeof(start), typeof(account_id) FROM p WHERE log_line = 2;
.print -- alphabetical header: columns in that order
CREATE VIRTUAL TABLE temp.alpha USING vpcflow('fixtures/custom/alphabetical.log');
SELECT group_concat(name, ' ') FROM pragma_table_xinfo('alpha') WHERE hidden = 0;
SELECT group_concat(name || ':' || type, ' ') FROM pragma_table_xinfo('alpha') WHERE type = 'INTEGER' AND hidden = 0;
SELECT srcport, dstport, bytes, tcp_flags, traffic_path FROM alpha;
.print -- headerless file with format=
CREATE VIRTUAL TABLE temp.n USING vpcflow('fixtures/custom/nat6_headerless.txt', format='${instance-id} ${interface-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr}');
SELECT cid, name, type, hidden FROM pragma_table_xinfo('n') ORDER BY cid;
SELECT * FROM n;
.print -- headerless file without format: the 14 default fields
CREATE VIRTUAL TABLE temp.h USING vpcflow('fixtures/v2/headerless.log');
SELECT count(*) FROM pragma_table_xinfo('h') WHERE hidden = 0;
SELECT count(*), sum(bytes) FROM h;
.print -- header-only file: the header columns, no rows
CREATE VIRTUAL TABLE temp.ho USING vpcflow('fixtures/misc/header_only.log');
SELECT count(*) FROM pragma_table_xinfo('ho') WHERE hidden = 0;
SELECT count(*) FROM ho;
.print -- a directory mixing a headered and a headerless default-format file
CREATE VIRTUAL TABLE temp.v2 USING vpcflow('fixtures/v2');
SELECT count(*) FROM pragma_table_xinfo('v2') WHERE hidden = 0;
SELECT log_file, count(*), sum(bytes) FROM v2 GROUP BY log_file ORDER BY log_file;
.print -- TGW header: 36 columns, no action
CREATE VIRTUAL TABLE temp.tgw USING vpcflow('fixtures/v6/tgw.log');
SELECT count(*), sum(type = 'INTEGER'), sum(name = 'action') FROM pragma_table_xinfo('tgw') WHERE hidden = 0;
SELECT tgw_id, packets_lost_blackhole FROM tgw;
.print -- a missing path fails at CREATE
CREATE VIRTUAL TABLE temp.bad USING vpcflow('nope.log');
.print -- no malformed lines met
SELECT count(*) FROM vpcflow_errors;
