-- One small file per version and the custom layouts; fields are mapped by
-- header name. Expected values: fixtures/README.md.
.headers off
.nullvalue NULL
.print -- v3: tcp_flags, instance_id dash, pkt_srcaddr
SELECT log_line, srcport, tcp_flags, typeof(tcp_flags), instance_id, type, pkt_srcaddr, vpc_id, subnet_id
  FROM vpcflow('fixtures/v3/tcp_flags.log');
SELECT count(*), sum(bytes), sum(packets), sum(tcp_flags), count(instance_id) FROM vpcflow('fixtures/v3/tcp_flags.log');
.print -- v4: region, az_id, sublocation
SELECT srcport, region, az_id, sublocation_type, sublocation_id, tcp_flags FROM vpcflow('fixtures/v4/sublocation.log');
.print -- v5: aws services, direction, traffic_path
SELECT flow_direction, pkt_src_aws_service, pkt_dst_aws_service, traffic_path, typeof(traffic_path), tcp_flags
  FROM vpcflow('fixtures/v5/service.log');
.print -- v6 transit gateway: no action; packets_lost_*; UTF-8 id
SELECT version, resource_type, account_id, tgw_id, tgw_attachment_id, tgw_src_vpc_account_id,
       tgw_dst_vpc_account_id, tgw_src_vpc_id, tgw_dst_vpc_id, tgw_src_subnet_id, tgw_dst_subnet_id,
       tgw_src_eni, tgw_dst_eni, tgw_src_az_id, tgw_dst_az_id, tgw_pair_attachment_id
  FROM vpcflow('fixtures/v6/tgw.log');
SELECT srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start, "end", log_status, type,
       packets_lost_no_route, packets_lost_blackhole, packets_lost_mtu_exceeded,
       packets_lost_ttl_expired, tcp_flags, region, flow_direction, pkt_src_aws_service,
       pkt_dst_aws_service, action, interface_id
  FROM vpcflow('fixtures/v6/tgw.log');
SELECT min(typeof(packets_lost_no_route)), sum(packets_lost_no_route), sum(packets_lost_blackhole),
       sum(packets_lost_mtu_exceeded), sum(packets_lost_ttl_expired), max(length(tgw_dst_subnet_id))
  FROM vpcflow('fixtures/v6/tgw.log');
.print -- v7 ECS
SELECT ecs_cluster_arn, ecs_cluster_name, ecs_container_instance_arn, ecs_container_instance_id,
       ecs_container_id, ecs_second_container_id, ecs_service_name, ecs_task_definition_arn,
       ecs_task_arn, ecs_task_id
  FROM vpcflow('fixtures/v7/ecs.log');
.print -- v8 reject_reason
SELECT action, reject_reason FROM vpcflow('fixtures/v8/reject_reason.log');
.print -- v9 resource_id (regional NAT gateway: interface_id dash)
SELECT interface_id, resource_id, account_id, dstport FROM vpcflow('fixtures/v9/resource_id.log');
.print -- v10 encryption_status
SELECT encryption_status, typeof(encryption_status), bytes FROM vpcflow('fixtures/v10/encryption.log');
SELECT count(*), count(encryption_status), sum(encryption_status), count(packets) FROM vpcflow('fixtures/v10/encryption.log');
.print -- v11 tags, interface type, next hop
SELECT version, instance_tag, instance_tag_2, interface_tag, interface_tag_2, asg_tag, asg_tag_2,
       interface_type, next_hop_interface_id, next_hop_subnet_id, next_hop_az_id, next_hop_vpc_id,
       next_hop_interface_type
  FROM vpcflow('fixtures/v11/tags.log');
.print -- custom: every v5 field in alphabetical order
SELECT version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes,
       start, "end", action, log_status
  FROM vpcflow('fixtures/custom/alphabetical.log');
SELECT vpc_id, subnet_id, instance_id, tcp_flags, type, pkt_srcaddr, pkt_dstaddr, region, az_id,
       sublocation_type, sublocation_id, pkt_src_aws_service, pkt_dst_aws_service, flow_direction, traffic_path
  FROM vpcflow('fixtures/custom/alphabetical.log');
.print -- custom: 6-field NAT gateway format with a header
SELECT log_line, instance_id, interface_id, srcaddr, dstaddr, pkt_srcaddr, pkt_dstaddr, version, action
  FROM vpcflow('fixtures/custom/nat6.log');
.print -- headerless 6-field file read with a ${field} format string
SELECT log_line, instance_id, interface_id, srcaddr, dstaddr, pkt_srcaddr, pkt_dstaddr
  FROM vpcflow('fixtures/custom/nat6_headerless.txt',
               '${instance-id} ${interface-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr}');
.print -- the same with a plain list of underscore names
SELECT count(*), count(instance_id), group_concat(pkt_dstaddr, ',')
  FROM vpcflow('fixtures/custom/nat6_headerless.txt',
               'instance_id interface_id srcaddr dstaddr pkt_srcaddr pkt_dstaddr');
.print -- a plain list of hyphenated names
SELECT count(*), count(instance_id)
  FROM vpcflow('fixtures/custom/nat6_headerless.txt',
               'instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr');
.print -- format is ignored when the file has a header
SELECT count(*), sum(bytes), sum(packets) FROM vpcflow('fixtures/v2/basic.log', '${srcaddr} ${dstaddr}');
.print -- errors so far
SELECT count(*) FROM vpcflow_errors;
