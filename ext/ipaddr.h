/*
** ipaddr.h - IP address and CIDR parsing (ipaddr.c), shared by the
** network functions (func_net.c), the scan's push-down of ip_in_cidr()
** (filter.c) and the flow normaliser (norm.c). How addresses compare and
** what each class covers: ipaddr.c's header comment.
*/
#ifndef VPCFLOW_IPADDR_H
#define VPCFLOW_IPADDR_H

/* A CIDR block in the 128-bit space (IPv4 as ::ffff:a.b.c.d). */
typedef struct VfCidr VfCidr;
struct VfCidr {
  unsigned char aNet[16];    /* network address, host bits cleared */
  int nBit;                  /* prefix length, 0..128 */
};

/* Parse an IPv4 or IPv6 address of exactly n bytes at z into a16, IPv4
** as the IPv4-mapped ::ffff:a.b.c.d. 0 on success, 1 if the text is not
** an address. */
int vf_addr_parse(const char *z, int n, unsigned char *a16);

/* Parse "address/len" or a bare address (one host) into *p. 0 on
** success; host bits are cleared, not refused. */
int vf_cidr_parse(const char *z, int n, VfCidr *p);

/* 1 if address a16 lies inside block p. */
int vf_cidr_contains(const VfCidr *p, const unsigned char *a16);

/* The class of the parsed address a16, as ip_class() names it
** ('private', 'public', ...): a static string. */
const char *vf_addr16_class(const unsigned char *a16);

/* 1 if the parsed address a16 is one is_private() calls private (class
** 'private' or 'cgnat'), else 0. */
int vf_addr16_is_private(const unsigned char *a16);

/* The same for the n bytes of text at z: 1, 0, or -1 if they are not an
** address. */
int vf_addr_is_private(const char *z, int n);

#endif /* VPCFLOW_IPADDR_H */
