-- Peers' samples (fixtures/conformance, see its ATTRIBUTION) against the
-- parses their sources document. Headerless multi-field samples are read
-- with the format the sample was written in.
.headers off
.nullvalue NULL
.print -- aws 01: SSH accepted, RDP rejected
SELECT dstport, action, protocol, packets, bytes, start, datetime(start, 'unixepoch'), "end"
  FROM vpcflow('fixtures/conformance/aws-docs-examples/01-accepted-rejected.v2.log');
.print -- aws 02: NODATA and SKIPDATA keep only version, account, interface, start, end, status
SELECT log_status, count(version), count(account_id), count(interface_id), count(srcaddr), count(dstaddr),
       count(srcport), count(dstport), count(protocol), count(packets), count(bytes), count(start),
       count("end"), count(action)
  FROM vpcflow('fixtures/conformance/aws-docs-examples/02-nodata-skipdata.v2.log') GROUP BY log_status ORDER BY log_status;
.print -- aws 03: ICMP ping accepted, reply rejected
SELECT srcaddr, srcport, dstport, protocol, action FROM vpcflow('fixtures/conformance/aws-docs-examples/03-icmp-sg-nacl.v2.log');
.print -- aws 04: IPv6
SELECT srcaddr, dstaddr, dstport, packets, bytes FROM vpcflow('fixtures/conformance/aws-docs-examples/04-ipv6.v2.log');
.print -- aws 05: tcp flags; the last record has a double space
SELECT group_concat(tcp_flags, ' ') FROM vpcflow('fixtures/conformance/aws-docs-examples/05-tcp-flag-sequence.v3.log');
SELECT log_line, srcaddr, srcport, dstport, pkt_srcaddr, pkt_dstaddr, protocol, bytes, packets, tcp_flags
  FROM vpcflow('fixtures/conformance/aws-docs-examples/05-tcp-flag-sequence.v3.log') WHERE log_line = 9;
SELECT count(*), sum(bytes), sum(packets) FROM vpcflow('fixtures/conformance/aws-docs-examples/05-tcp-flag-sequence.v3.log');
.print -- aws 06: NAT gateway; the annotated lines are field-count errors
SELECT log_line, instance_id, dstaddr, pkt_dstaddr FROM vpcflow('fixtures/conformance/aws-docs-examples/06-nat-gateway.custom.log');
SELECT line, reason FROM vpcflow_errors WHERE file LIKE '%06-nat-gateway%' ORDER BY line;
.print -- aws 07: transit gateway ENIs; the elision line is rejected
SELECT log_line, interface_id, instance_id, srcaddr, pkt_srcaddr, tcp_flags FROM vpcflow('fixtures/conformance/aws-docs-examples/07-transit-gateway.v3.log');
SELECT line, reason, text FROM vpcflow_errors WHERE file LIKE '%07-transit-gateway%';
.print -- aws 08: service, path and direction
SELECT flow_direction, pkt_src_aws_service, pkt_dst_aws_service, traffic_path, tcp_flags, sublocation_type
  FROM vpcflow('fixtures/conformance/aws-docs-examples/08-service-path-direction.v5.log');
.print -- elastic tcp-flag-sequence (headerless, 21 fields)
SELECT log_status, tcp_flags, vpc_id, subnet_id, instance_id, account_id, srcaddr, start, "end"
  FROM vpcflow('fixtures/conformance/elastic-integrations/test-tcp-flag-sequence.log', 'version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status');
.print -- elastic tcp-flag-sequence with the header repeated before every record
SELECT log_line, log_status, tcp_flags FROM vpcflow('fixtures/conformance/elastic-integrations/test-tcp-flag-sequence.with-headers.log');
.print -- elastic v5 all fields (headerless, AWS table order); a 9-digit start passes
SELECT start, datetime(start, 'unixepoch'), "end", packets, bytes, sublocation_type, pkt_src_aws_service,
       pkt_dst_aws_service, traffic_path, tcp_flags, flow_direction
  FROM vpcflow('fixtures/conformance/elastic-integrations/test-v5-all-fields.log', 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path');
.print -- elastic v8 (40 fields though version says 3)
SELECT version, action, log_status, reject_reason, bytes, region, az_id, ecs_cluster_name, ecs_service_name,
       ecs_task_id, flow_direction
  FROM vpcflow('fixtures/conformance/elastic-integrations/test-v8-samples.log', 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn ecs-container-instance-id ecs-container-id ecs-second-container-id ecs-service-name ecs-task-definition-arn ecs-task-arn ecs-task-id reject-reason');
.print -- elastic Firehose message wrapper
SELECT version, account_id, interface_id, srcaddr, start, datetime(start, 'unixepoch'), datetime("end", 'unixepoch'), log_status
  FROM vpcflow('fixtures/conformance/elastic-integrations/test-with-message-field.log');
.print -- elastic extra samples (no trailing newline)
SELECT count(*), sum(bytes), count(srcaddr), group_concat(log_status, ' ')
  FROM vpcflow('fixtures/conformance/elastic-integrations/test-extra-samples.log');
SELECT interface_id, log_status FROM vpcflow('fixtures/conformance/elastic-integrations/test-extra-samples.log') WHERE log_line = 3;
.print -- elastic TGW samples (TGW default order, headerless)
SELECT count(*), sum(bytes), sum(packets), count(resource_type), count(action), min(flow_direction), max(flow_direction)
  FROM vpcflow('fixtures/conformance/elastic-integrations/test-tgw-samples.log', 'version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end log-status type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags region flow-direction pkt-src-aws-service pkt-dst-aws-service');
SELECT log_status, count(*) FROM vpcflow('fixtures/conformance/elastic-integrations/test-tgw-samples.log', 'version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end log-status type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags region flow-direction pkt-src-aws-service pkt-dst-aws-service') GROUP BY 1 ORDER BY 1;
SELECT account_id, tgw_id, tgw_attachment_id, tgw_src_vpc_id, tgw_dst_vpc_id, tgw_src_eni, srcaddr, dstaddr, region
  FROM vpcflow('fixtures/conformance/elastic-integrations/test-tgw-samples.log', 'version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end log-status type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags region flow-direction pkt-src-aws-service pkt-dst-aws-service') WHERE log_line = 1;
.print -- flowlogs-reader CloudWatch-style v2 records
SELECT version, srcport, dstport, protocol, packets, bytes, datetime(start, 'unixepoch'), datetime("end", 'unixepoch')
  FROM vpcflow('fixtures/conformance/flowlogs-reader/v2-records.cwl.log') WHERE log_line = 1;
SELECT action, log_status, count(*) FROM vpcflow('fixtures/conformance/flowlogs-reader/v2-records.cwl.log') GROUP BY 1, 2 ORDER BY 1, 2;
.print -- flowlogs-reader millisecond timestamps
SELECT log_status, datetime(start, 'unixepoch'), datetime("end", 'unixepoch')
  FROM vpcflow('fixtures/conformance/flowlogs-reader/v2-millisecond-timestamps.cwl.log');
.print -- flowlogs-reader v3 (alphabetical header)
SELECT account_id, srcaddr, pkt_srcaddr, tcp_flags, datetime(start, 'unixepoch'), srcport, dstport, bytes
  FROM vpcflow('fixtures/conformance/flowlogs-reader/v3-file.log');
.print -- flowlogs-reader v4
SELECT region, az_id, sublocation_type, sublocation_id FROM vpcflow('fixtures/conformance/flowlogs-reader/v4-file.log');
.print -- flowlogs-reader v5 with a bogus line
SELECT flow_direction, traffic_path, pkt_src_aws_service, pkt_dst_aws_service, tcp_flags
  FROM vpcflow('fixtures/conformance/flowlogs-reader/v5-file.log');
SELECT line, reason, text FROM vpcflow_errors WHERE file LIKE '%flowlogs-reader/v5-file.log';
.print -- flowlogs-reader v6 TGW-only fields
SELECT resource_type, tgw_id, tgw_src_vpc_account_id, tgw_pair_attachment_id, packets_lost_no_route,
       packets_lost_blackhole, packets_lost_mtu_exceeded, packets_lost_ttl_expired, typeof(packets_lost_ttl_expired)
  FROM vpcflow('fixtures/conformance/flowlogs-reader/v6-tgw-file.log');
.print -- otel: 11-digit account kept as text
SELECT account_id, typeof(account_id), start, "end", log_status FROM vpcflow('fixtures/conformance/opentelemetry-collector-contrib/valid_vpc_flow_log.log');
SELECT count(*), group_concat(action, ' ') FROM vpcflow('fixtures/conformance/opentelemetry-collector-contrib/valid_vpc_flow_log_multi.log');
SELECT version, ecs_cluster_name, ecs_container_id, ecs_second_container_id, ecs_task_id
  FROM vpcflow('fixtures/conformance/opentelemetry-collector-contrib/valid_vpc_flow_log_ecs.log');
SELECT version, tgw_id, tgw_pair_attachment_id, packets_lost_no_route, packets_lost_blackhole,
       packets_lost_mtu_exceeded, packets_lost_ttl_expired, flow_direction, region
  FROM vpcflow('fixtures/conformance/opentelemetry-collector-contrib/valid_tgw_flow_log.log');
.print -- otel: one field too few, one too many
SELECT count(*) FROM vpcflow('fixtures/conformance/opentelemetry-collector-contrib/vpc_flow_log_too_few_fields.log');
SELECT count(*) FROM vpcflow('fixtures/conformance/opentelemetry-collector-contrib/vpc_flow_log_too_many_fields.log');
SELECT line, reason FROM vpcflow_errors WHERE file LIKE '%too_%_fields.log' ORDER BY file;
.print -- vrl v7: underscore format line read as the header
SELECT version, ecs_cluster_name, ecs_container_instance_id, ecs_second_container_id, ecs_task_id
  FROM vpcflow('fixtures/conformance/vrl/v7-ecs.format-and-lines.txt');
.print -- vrl v8-v11
SELECT version, action, reject_reason, resource_id, encryption_status, typeof(encryption_status), instance_tag,
       asg_tag_2, interface_type, next_hop_interface_id, next_hop_interface_type
  FROM vpcflow('fixtures/conformance/vrl/v8-v11.format-and-lines.txt');
.print -- duck_hunt sample
SELECT action, count(*), sum(bytes) FROM vpcflow('fixtures/conformance/duck_hunt/vpc_flow_logs.txt') GROUP BY 1 ORDER BY 1;
SELECT count(*), sum(bytes), sum(packets) FROM vpcflow('fixtures/conformance/duck_hunt/vpc_flow_logs.txt');
.print -- all errors met
SELECT count(*) FROM vpcflow_errors;
