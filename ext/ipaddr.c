/*
** 2026-11-23
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** ipaddr.c - the IP address parser of vpcflow: address and CIDR text
** into 16 bytes, containment, and the class of an address. Plain C, no
** SQLite: the SQL functions (func_net.c), the scan's push-down of
** ip_in_cidr() (filter.c) and the flow normaliser (norm.c) share it, so
** an address means the same thing in each of them.
**
** Usage (declared in ipaddr.h):
**
**   unsigned char a[16];
**   VfCidr blk;
**   if( vf_addr_parse("10.1.2.3", 8, a)==0
**    && vf_cidr_parse("10.0.0.0/8", 10, &blk)==0
**    && vf_cidr_contains(&blk, a) ){ ... }
**   vf_addr16_class(a);                    -- "private"
**   vf_addr_is_private("100.64.0.7", 10);  -- 1
**
** HOW ADDRESSES ARE COMPARED
**
** Every address is parsed into 16 bytes. An IPv4 address a.b.c.d becomes
** the IPv4-mapped IPv6 address ::ffff:a.b.c.d, so there is one address
** space: '10.0.0.1' and '::ffff:10.0.0.1' are the same address, an IPv4
** CIDR a.b.c.d/n is the IPv6 prefix ::ffff:a.b.c.d/(96+n), '::/0' contains
** every address (IPv4 included) and an IPv4 address is never inside a
** prefix such as 2001:db8::/32. The parser is strict: dotted quads with
** four decimal parts and no leading zeros (010.0.0.1 could mean octal),
** IPv6 in RFC 4291 text form (with '::' and an optional trailing dotted
** quad), no zone index ("%eth0"), no brackets, no surrounding spaces.
**
** CLASSES: vf_addr16_class() names, as ip_class() returns them (checked
** in this order, first match wins):
**   'unspecified'   0.0.0.0, ::
**   'loopback'      127.0.0.0/8, ::1
**   'private'       10/8, 172.16/12, 192.168/16 (RFC 1918) and the IPv6
**                   unique local addresses fc00::/7 (RFC 4193): both are
**                   "ours, not routed on the internet", so one name
**   'cgnat'         100.64.0.0/10 shared address space (RFC 6598); AWS
**                   VPCs may use it as a secondary CIDR
**   'link-local'    169.254.0.0/16, fe80::/10
**   'documentation' 192.0.2/24, 198.51.100/24, 203.0.113/24 (RFC 5737),
**                   2001:db8::/32 (RFC 3849), 3fff::/20 (RFC 9637)
**   'multicast'     224.0.0.0/4, ff00::/8
**   'broadcast'     255.255.255.255
**   'reserved'      the rest of 0/8, 192.0.0/24, 198.18/15, 240/4; IPv6
**                   outside 2000::/3 (fec0::/10, ::/96, 100::/64 ...)
**   'public'        everything else
** Addresses in the NAT64 prefix 64:ff9b::/96 (RFC 6052, used by AWS
** DNS64) are classed by the IPv4 address they carry.
**
** vf_addr16_is_private(a), and so is_private(), is 1 exactly when the
** class is 'private' or 'cgnat'.
** Documentation ranges are NOT private: synthetic data often uses them
** for "attackers", and they are not ours.
**
** tests/fuzz/fuzz_addr.c checks the parser against inet_pton().
*/
#include <string.h>
#include "ipaddr.h"

typedef unsigned char u8;
typedef unsigned int u32;

/* Longest text form of an address: 8 groups of 4 hex digits, 7 colons,
** or 6 groups and a dotted quad: 45 bytes. Longer text is never one. */
#define VF_ADDR_MAXLEN 45

/* ====================================================================
** Address parsing
*/

/*
** Parse a dotted quad of exactly n bytes into a[0..3]. Return 0 on
** success, 1 otherwise.
*/
static int ip_parse_ipv4(const char *z, int n, u8 *a){
  int i = 0, iPart;
  for(iPart=0; iPart<4; iPart++){
    int v = 0, nDigit = 0;
    if( iPart>0 ){
      if( i>=n || z[i]!='.' ) return 1;
      i++;
    }
    while( i<n && z[i]>='0' && z[i]<='9' ){
      if( nDigit==3 ) return 1;
      if( nDigit==1 && v==0 ) return 1;      /* leading zero */
      v = v*10 + (z[i]-'0');
      nDigit++;
      i++;
    }
    if( nDigit==0 || v>255 ) return 1;
    a[iPart] = (u8)v;
  }
  return i==n ? 0 : 1;
}

/* Value of hex digit c, or -1. */
static int ip_hexval(char c){
  if( c>='0' && c<='9' ) return c-'0';
  if( c>='a' && c<='f' ) return c-'a'+10;
  if( c>='A' && c<='F' ) return c-'A'+10;
  return -1;
}

/*
** Parse an IPv6 address of exactly n bytes into a[0..15]. Return 0 on
** success, 1 otherwise. Groups are collected in aGroup[]; iGap is the
** group index where "::" stood, or -1.
*/
static int ip_parse_ipv6(const char *z, int n, u8 *a){
  unsigned aGroup[8];
  int nGroup = 0, iGap = -1, i = 0, j;

  if( n>=2 && z[0]==':' && z[1]==':' ){
    iGap = 0;
    i = 2;
  }else if( n>=1 && z[0]==':' ){
    return 1;
  }
  while( i<n ){
    int iStart = i, nDigit = 0, h;
    unsigned v = 0;
    while( i<n && (h = ip_hexval(z[i]))>=0 ){
      if( nDigit==4 ) return 1;
      v = v*16 + (unsigned)h;
      nDigit++;
      i++;
    }
    if( i<n && z[i]=='.' ){
      /* A trailing dotted quad fills the last two groups. */
      u8 a4[4];
      if( nGroup>6 || ip_parse_ipv4(z+iStart, n-iStart, a4) ) return 1;
      aGroup[nGroup++] = ((unsigned)a4[0]<<8) | a4[1];
      aGroup[nGroup++] = ((unsigned)a4[2]<<8) | a4[3];
      i = n;
      break;
    }
    if( nDigit==0 || nGroup==8 ) return 1;
    aGroup[nGroup++] = v;
    if( i==n ) break;
    if( z[i]!=':' ) return 1;
    i++;
    if( i<n && z[i]==':' ){
      if( iGap>=0 ) return 1;
      iGap = nGroup;
      i++;
    }else if( i==n ){
      return 1;                               /* a lone trailing ':' */
    }
  }
  if( iGap<0 ){
    if( nGroup!=8 ) return 1;
  }else if( nGroup>7 ){
    return 1;                                 /* "::" stands for >= 1 group */
  }
  memset(a, 0, 16);
  for(j=0; j<nGroup; j++){
    /* Groups after the gap are right-aligned. */
    int k = (iGap>=0 && j>=iGap) ? 8-nGroup+j : j;
    a[2*k] = (u8)(aGroup[j]>>8);
    a[2*k+1] = (u8)(aGroup[j]&0xff);
  }
  return 0;
}

/*
** Parse the n bytes at z, an IPv4 or IPv6 address, into the 16 bytes
** a16 (IPv4 as ::ffff:a.b.c.d). Return 0 on success, 1 otherwise.
*/
int vf_addr_parse(const char *z, int n, unsigned char *a16){
  int i;
  if( z==0 || n<=0 || n>VF_ADDR_MAXLEN ) return 1;
  for(i=0; i<n; i++){
    if( z[i]==':' ) return ip_parse_ipv6(z, n, a16);
  }
  memset(a16, 0, 10);
  a16[10] = a16[11] = 0xff;
  return ip_parse_ipv4(z, n, a16+12);
}

/* True if a16 is an IPv4-mapped address (::ffff:0:0/96). */
static int ip_is_v4(const u8 *a16){
  static const u8 aPrefix[12] = {0,0,0,0,0,0,0,0,0,0,0xff,0xff};
  return memcmp(a16, aPrefix, 12)==0;
}

/* ====================================================================
** CIDR blocks
*/

/*
** Parse "address/len" (or a bare address, meaning one host) into *p.
** Host bits are cleared rather than refused, like PostgreSQL's inet
** operators. Return 0 on success, 1 otherwise.
*/
int vf_cidr_parse(const char *z, int n, VfCidr *p){
  int iSlash, nBit = -1, i;
  for(iSlash=0; iSlash<n && z[iSlash]!='/'; iSlash++){}
  if( vf_addr_parse(z, iSlash, p->aNet) ) return 1;
  if( iSlash<n ){
    int nDigit = n-iSlash-1;
    if( nDigit<1 || nDigit>3 ) return 1;
    nBit = 0;
    for(i=iSlash+1; i<n; i++){
      if( z[i]<'0' || z[i]>'9' ) return 1;
      nBit = nBit*10 + (z[i]-'0');
    }
  }
  if( memchr(z, ':', iSlash)==0 ){           /* an IPv4 block */
    if( nBit<0 ) nBit = 32;
    if( nBit>32 ) return 1;
    nBit += 96;
  }else{
    if( nBit<0 ) nBit = 128;
    if( nBit>128 ) return 1;
  }
  p->nBit = nBit;
  for(i=0; i<16; i++){
    int nKeep = nBit - 8*i;
    if( nKeep<=0 ){
      p->aNet[i] = 0;
    }else if( nKeep<8 ){
      p->aNet[i] &= (u8)(0xff << (8-nKeep));
    }
  }
  return 0;
}

/* True if the address a16 lies inside block p. */
int vf_cidr_contains(const VfCidr *p, const u8 *a16){
  int nByte = p->nBit/8, nRest = p->nBit%8;
  if( memcmp(p->aNet, a16, nByte)!=0 ) return 0;
  if( nRest ){
    u8 m = (u8)(0xff << (8-nRest));
    if( (a16[nByte] & m)!=p->aNet[nByte] ) return 0;
  }
  return 1;
}

/* ====================================================================
** Classes
*/

/* Class of the IPv4 address a[0..3]; see the header comment. */
static const char *ip_class_v4(const u8 *a){
  u32 x = ((u32)a[0]<<24) | ((u32)a[1]<<16) | ((u32)a[2]<<8) | a[3];
  if( x==0 ) return "unspecified";
  if( (x>>24)==0 ) return "reserved";                  /* 0/8 */
  if( (x>>24)==127 ) return "loopback";                /* 127/8 */
  if( (x>>24)==10 ) return "private";                  /* 10/8 */
  if( (x>>20)==0xAC1 ) return "private";               /* 172.16/12 */
  if( (x>>16)==0xC0A8 ) return "private";              /* 192.168/16 */
  if( (x>>22)==(0x64400000u>>22) ) return "cgnat";     /* 100.64/10 */
  if( (x>>16)==0xA9FE ) return "link-local";           /* 169.254/16 */
  if( (x>>8)==0xC00002 ) return "documentation";       /* 192.0.2/24 */
  if( (x>>8)==0xC63364 ) return "documentation";       /* 198.51.100/24 */
  if( (x>>8)==0xCB0071 ) return "documentation";       /* 203.0.113/24 */
  if( (x>>28)==0xE ) return "multicast";               /* 224/4 */
  if( x==0xFFFFFFFFu ) return "broadcast";
  if( (x>>28)==0xF ) return "reserved";                /* 240/4 */
  if( (x>>8)==0xC00000 ) return "reserved";            /* 192.0.0/24 */
  if( (x>>17)==(0xC6120000u>>17) ) return "reserved";  /* 198.18/15 */
  return "public";
}

/* Class of the 16-byte address a; see the header comment (CLASSES). */
const char *vf_addr16_class(const unsigned char *a){
  static const u8 aZero[16] = {0};
  static const u8 aNat64[12] = {0,0x64,0xff,0x9b,0,0,0,0,0,0,0,0};
  if( ip_is_v4(a) || memcmp(a, aNat64, 12)==0 ) return ip_class_v4(a+12);
  if( memcmp(a, aZero, 15)==0 ){
    if( a[15]==0 ) return "unspecified";
    if( a[15]==1 ) return "loopback";
  }
  if( (a[0]&0xfe)==0xfc ) return "private";            /* fc00::/7 */
  if( a[0]==0xfe && (a[1]&0xc0)==0x80 ) return "link-local";
  if( a[0]==0xff ) return "multicast";
  if( a[0]==0x20 && a[1]==0x01 && a[2]==0x0d && a[3]==0xb8 ){
    return "documentation";                            /* 2001:db8::/32 */
  }
  if( a[0]==0x3f && a[1]==0xff && (a[2]&0xf0)==0 ){
    return "documentation";                            /* 3fff::/20 */
  }
  if( (a[0]&0xe0)==0x20 ) return "public";             /* 2000::/3 */
  return "reserved";
}

/* 1 if the parsed address a is one is_private() calls private. */
int vf_addr16_is_private(const unsigned char *a){
  const char *zClass = vf_addr16_class(a);
  return strcmp(zClass, "private")==0 || strcmp(zClass, "cgnat")==0;
}

/*
** For the flow normaliser (norm.c): 1 if the n bytes at z are an address
** that is_private() calls private, 0 if another address, -1 if they are
** not an address. Same classes as is_private(), without a context.
*/
int vf_addr_is_private(const char *z, int n){
  u8 a[16];
  if( vf_addr_parse(z, n, a) ) return -1;
  return vf_addr16_is_private(a);
}
