/*
** catalog.c - the table of flow log fields (see catalog.h).
**
** Sources: the AWS VPC user guide's "Flow log records" table (versions 2-5,
** 7), the Transit Gateway guide's field table (the "version 6" fields), and
** AWS's later additions: reject-reason (8), resource-id (9),
** encryption-status (10), and the tag, interface-type and next-hop fields
** (11). Integer fields are those AWS types as INT_32/INT_64 in Parquet.
*/
#include <string.h>
#include "catalog.h"

#define I VF_INT
#define T VF_TEXT
#define E VF_FLAG_EPOCH
#define D VF_FLAG_DEFAULT
#define BIG INT64_MAX

static const VfField aCatalog[] = {
  /* Version 2: the default format, in its order. */
  { "version",            "version",            I, 2, D,   255 },
  { "account-id",         "account_id",         T, 2, D,   0 },
  { "interface-id",       "interface_id",       T, 2, D,   0 },
  { "srcaddr",            "srcaddr",            T, 2, D,   0 },
  { "dstaddr",            "dstaddr",            T, 2, D,   0 },
  { "srcport",            "srcport",            I, 2, D,   65535 },
  { "dstport",            "dstport",            I, 2, D,   65535 },
  { "protocol",           "protocol",           I, 2, D,   255 },
  { "packets",            "packets",            I, 2, D,   BIG },
  { "bytes",              "bytes",              I, 2, D,   BIG },
  { "start",              "start",              I, 2, D|E, BIG },
  { "end",                "end",                I, 2, D|E, BIG },
  { "action",             "action",             T, 2, D,   0 },
  { "log-status",         "log_status",         T, 2, D,   0 },
  /* Version 3 */
  { "vpc-id",             "vpc_id",             T, 3, 0,   0 },
  { "subnet-id",          "subnet_id",          T, 3, 0,   0 },
  { "instance-id",        "instance_id",        T, 3, 0,   0 },
  { "tcp-flags",          "tcp_flags",          I, 3, 0,   65535 },
  { "type",               "type",               T, 3, 0,   0 },
  { "pkt-srcaddr",        "pkt_srcaddr",        T, 3, 0,   0 },
  { "pkt-dstaddr",        "pkt_dstaddr",        T, 3, 0,   0 },
  /* Version 4 */
  { "region",             "region",             T, 4, 0,   0 },
  { "az-id",              "az_id",              T, 4, 0,   0 },
  { "sublocation-type",   "sublocation_type",   T, 4, 0,   0 },
  { "sublocation-id",     "sublocation_id",     T, 4, 0,   0 },
  /* Version 5 */
  { "pkt-src-aws-service","pkt_src_aws_service",T, 5, 0,   0 },
  { "pkt-dst-aws-service","pkt_dst_aws_service",T, 5, 0,   0 },
  { "flow-direction",     "flow_direction",     T, 5, 0,   0 },
  { "traffic-path",       "traffic_path",       I, 5, 0,   255 },
  /* Version 7: Amazon ECS */
  { "ecs-cluster-arn",    "ecs_cluster_arn",    T, 7, 0,   0 },
  { "ecs-cluster-name",   "ecs_cluster_name",   T, 7, 0,   0 },
  { "ecs-container-instance-arn","ecs_container_instance_arn",T,7,0,0 },
  { "ecs-container-instance-id", "ecs_container_instance_id", T,7,0,0 },
  { "ecs-container-id",   "ecs_container_id",   T, 7, 0,   0 },
  { "ecs-second-container-id","ecs_second_container_id",T,7,0,0 },
  { "ecs-service-name",   "ecs_service_name",   T, 7, 0,   0 },
  { "ecs-task-definition-arn","ecs_task_definition_arn",T,7,0,0 },
  { "ecs-task-arn",       "ecs_task_arn",       T, 7, 0,   0 },
  { "ecs-task-id",        "ecs_task_id",        T, 7, 0,   0 },
  /* Versions 8, 9, 10 */
  { "reject-reason",      "reject_reason",      T, 8, 0,   0 },
  { "resource-id",        "resource_id",        T, 9, 0,   0 },
  { "encryption-status",  "encryption_status",  I,10, 0,   255 },
  /* Version 11: tags, interface type, next hop */
  { "instance-tag",       "instance_tag",       T,11, 0,   0 },
  { "instance-tag-2",     "instance_tag_2",     T,11, 0,   0 },
  { "interface-tag",      "interface_tag",      T,11, 0,   0 },
  { "interface-tag-2",    "interface_tag_2",    T,11, 0,   0 },
  { "asg-tag",            "asg_tag",            T,11, 0,   0 },
  { "asg-tag-2",          "asg_tag_2",          T,11, 0,   0 },
  { "interface-type",     "interface_type",     T,11, 0,   0 },
  { "next-hop-interface-id","next_hop_interface_id",T,11,0, 0 },
  { "next-hop-subnet-id", "next_hop_subnet_id", T,11, 0,   0 },
  { "next-hop-az-id",     "next_hop_az_id",     T,11, 0,   0 },
  { "next-hop-vpc-id",    "next_hop_vpc_id",    T,11, 0,   0 },
  { "next-hop-interface-type","next_hop_interface_type",T,11,0,0 },
  /* Transit Gateway flow logs ("version 6") */
  { "resource-type",      "resource_type",      T, 6, 0,   0 },
  { "tgw-id",             "tgw_id",             T, 6, 0,   0 },
  { "tgw-attachment-id",  "tgw_attachment_id",  T, 6, 0,   0 },
  { "tgw-src-vpc-account-id","tgw_src_vpc_account_id",T,6,0,0 },
  { "tgw-dst-vpc-account-id","tgw_dst_vpc_account_id",T,6,0,0 },
  { "tgw-src-vpc-id",     "tgw_src_vpc_id",     T, 6, 0,   0 },
  { "tgw-dst-vpc-id",     "tgw_dst_vpc_id",     T, 6, 0,   0 },
  { "tgw-src-subnet-id",  "tgw_src_subnet_id",  T, 6, 0,   0 },
  { "tgw-dst-subnet-id",  "tgw_dst_subnet_id",  T, 6, 0,   0 },
  { "tgw-src-eni",        "tgw_src_eni",        T, 6, 0,   0 },
  { "tgw-dst-eni",        "tgw_dst_eni",        T, 6, 0,   0 },
  { "tgw-src-az-id",      "tgw_src_az_id",      T, 6, 0,   0 },
  { "tgw-dst-az-id",      "tgw_dst_az_id",      T, 6, 0,   0 },
  { "tgw-pair-attachment-id","tgw_pair_attachment_id",T,6,0,0 },
  { "packets-lost-no-route","packets_lost_no_route",I,6,0, BIG },
  { "packets-lost-blackhole","packets_lost_blackhole",I,6,0,BIG },
  { "packets-lost-mtu-exceeded","packets_lost_mtu_exceeded",I,6,0,BIG },
  { "packets-lost-ttl-expired","packets_lost_ttl_expired",I,6,0,BIG },
};

#undef I
#undef T
#undef E
#undef D
#undef BIG

int vf_catalog_count(void){
  return (int)(sizeof(aCatalog)/sizeof(aCatalog[0]));
}

const VfField *vf_catalog_field(int i){
  if( i<0 || i>=vf_catalog_count() ) return 0;
  return &aCatalog[i];
}

/*
** Compare the field name z[0..n-1] with a catalog name, treating '-' and
** '_' as the same character (headers hyphenate, Athena and VRL underscore).
*/
static int catalog_name_eq(const char *zCat, const char *z, size_t n){
  size_t i;
  for(i=0; i<n; i++){
    char a = zCat[i], b = z[i];
    if( a==0 ) return 0;
    if( b=='_' ) b = '-';
    if( a!=b ) return 0;
  }
  return zCat[n]==0;
}

int vf_catalog_find(const char *z, size_t n){
  int i;
  /* 72 short names, looked up once per header or format: a linear scan
  ** is simpler than a hash and never on the per-row path. */
  for(i=0; i<vf_catalog_count(); i++){
    if( catalog_name_eq(aCatalog[i].zName, z, n) ) return i;
  }
  return -1;
}
