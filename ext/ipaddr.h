/*
** ipaddr.h - IP address and CIDR parsing shared by the network functions
** (func_net.c) and the scan's push-down of ip_in_cidr() (filter.c).
*/
#ifndef VPCFLOW_IPADDR_H
#define VPCFLOW_IPADDR_H

/* A CIDR block in the 128-bit space (IPv4 as ::ffff:a.b.c.d). */
typedef struct VfCidr VfCidr;
struct VfCidr {
  unsigned char aNet[16];    /* network address, host bits cleared */
  int nBit;                  /* prefix length, 0..128 */
};

/* Parse an IPv4 or IPv6 address z[0..n-1] into a16. 0 on success. */
int vf_addr_parse(const char *z, int n, unsigned char *a16);

/* Parse "address/len" or a bare address (one host) into *p. 0 on
** success; host bits are cleared, not refused. */
int vf_cidr_parse(const char *z, int n, VfCidr *p);

/* 1 if address a16 lies inside block p. */
int vf_cidr_contains(const VfCidr *p, const unsigned char *a16);

#endif /* VPCFLOW_IPADDR_H */
