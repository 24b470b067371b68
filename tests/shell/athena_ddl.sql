-- vpcflow_athena_ddl(): the Athena DDL for the fields found in the files.
-- A v3 file (21 fields) copied under S3 date folders: the DDL lists its
-- fields in header order, backticked, typed as AWS's Athena guide types
-- them, and the projection range starts at the earliest folder date.
.system rm -rf /tmp/vpcflow-ddl-test && mkdir -p /tmp/vpcflow-ddl-test/2026/02/13 /tmp/vpcflow-ddl-test/2026/01/30 && cp fixtures/v3/tcp_flags.log /tmp/vpcflow-ddl-test/2026/02/13/a.log && cp fixtures/v2/headerless.log /tmp/vpcflow-ddl-test/2026/01/30/b.log
SELECT vpcflow_athena_ddl('/tmp/vpcflow-ddl-test', 's3://bucket/AWSLogs/123456789012/vpcflowlogs/us-east-1');
-- errors
SELECT vpcflow_athena_ddl('/tmp/vpcflow-ddl-test', 'bucket/x');
SELECT vpcflow_athena_ddl('/tmp/vpcflow-ddl-test/nope', 's3://b/');
-- flags: reads files, so direct-only (0x80000), neither deterministic nor innocuous
SELECT name, narg, flags & 0x280800 FROM pragma_function_list
 WHERE name IN ('vpcflow_athena_ddl', 'vpcflow_version') ORDER BY 1;
.system rm -rf /tmp/vpcflow-ddl-test
