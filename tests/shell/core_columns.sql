.headers off
.nullvalue NULL
-- The eponymous table's columns: the 14 default fields visible, then the
-- hidden arguments path/format/strict, hidden extra_arg (which takes a 4th
-- argument to refuse it), hidden log_file/log_line/dt, then every
-- other catalog field hidden, in AWS table order (see the README's column list).
.print -- every column
SELECT cid, name, CASE WHEN name IN ('path','format','strict','extra_arg') THEN '-' ELSE type END, hidden
  FROM pragma_table_xinfo('vpcflow') ORDER BY cid;
.print -- counts: all, hidden, integer
SELECT count(*), sum(hidden <> 0), sum(type = 'INTEGER' AND name NOT IN ('path','format','strict')) FROM pragma_table_xinfo('vpcflow');
.print -- SELECT * shows 14 columns
SELECT count(*) FROM pragma_table_info('vpcflow');
.print -- vpcflow_errors columns
SELECT cid, name FROM pragma_table_xinfo('vpcflow_errors') ORDER BY cid;
.print -- every hidden field can be selected by name
SELECT vpc_id, subnet_id, instance_id, tcp_flags, type, pkt_srcaddr, pkt_dstaddr, region, az_id,
       sublocation_type, sublocation_id, pkt_src_aws_service, pkt_dst_aws_service, flow_direction,
       traffic_path, ecs_cluster_arn, ecs_cluster_name, ecs_container_instance_arn,
       ecs_container_instance_id, ecs_container_id, ecs_second_container_id, ecs_service_name,
       ecs_task_definition_arn, ecs_task_arn, ecs_task_id, reject_reason, resource_id,
       encryption_status, instance_tag, instance_tag_2, interface_tag, interface_tag_2, asg_tag,
       asg_tag_2, interface_type, next_hop_interface_id, next_hop_subnet_id, next_hop_az_id,
       next_hop_vpc_id, next_hop_interface_type, resource_type, tgw_id, tgw_attachment_id,
       tgw_src_vpc_account_id, tgw_dst_vpc_account_id, tgw_src_vpc_id, tgw_dst_vpc_id,
       tgw_src_subnet_id, tgw_dst_subnet_id, tgw_src_eni, tgw_dst_eni, tgw_src_az_id, tgw_dst_az_id,
       tgw_pair_attachment_id, packets_lost_no_route, packets_lost_blackhole,
       packets_lost_mtu_exceeded, packets_lost_ttl_expired
  FROM vpcflow('fixtures/v2/headerless.log') LIMIT 1;
