/*
** 2026-11-23
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** func_net.c - scalar SQL functions on the fields of a flow log record:
** addresses, TCP flags, protocol numbers and byte counts.
**
** Usage:
**
**   .load ./vpcflow
**   SELECT ip_in_cidr('10.1.2.3', '10.0.0.0/8');           -- 1
**   SELECT ip_class('fd00::1'), is_private('100.64.0.7');  -- private|1
**   SELECT tcp_flags_str(19), tcp_has(19, 'syn');          -- FIN,SYN,ACK|1
**   SELECT protocol_name(6), pcr(900, 100);                -- TCP|0.8
**
** Conventions shared by every function here (and the aggregates of the
** other func_*.c files):
**
**   (1) SQL NULL and the text '-' (the flow log spelling of "no value")
**       are both "no value": a scalar returns NULL.
**   (2) A value of the wrong kind (a malformed address, a port of 70000,
**       a BLOB) is an error naming the function and the value, never a
**       silent NULL: "ip_class(): '10.0.0.256' is not an IP address".
**   (3) Numbers may arrive as INTEGER, as an integral REAL, or as text
**       that holds such a number ('6'), because hand-written SQL and CSV
**       imports produce all three.
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
** ip_class() names (checked in this order, first match wins):
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
** is_private(a) is 1 exactly when ip_class(a) is 'private' or 'cgnat'.
** Documentation ranges are NOT private: synthetic data often uses them
** for "attackers", and they are not ours.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include "func.h"
#include "ipaddr.h"
#include <string.h>
#include <math.h>

typedef unsigned char u8;
typedef unsigned int u32;

/* Longest text form of an address: 8 groups of 4 hex digits, 7 colons,
** or 6 groups and a dotted quad: 45 bytes. Longer text is never one. */
#define VF_ADDR_MAXLEN 45

/* ====================================================================
** Shared helpers
*/

/*
** See func.h. sqlite3_value_blob() hands out a TEXT value's bytes as they
** are, in the database's encoding: in a UTF-16 database those have NUL
** bytes (UTF-8 text never does), and sqlite3_value_text() converts them.
*/
const char *vf_value_chars(sqlite3_value *v, int *pn){
  const char *z = (const char*)sqlite3_value_blob(v);
  int n = sqlite3_value_bytes(v);
  if( n==0 ){
    *pn = 0;
    return "";
  }
  if( z && memchr(z, 0, (size_t)n)==0 ){
    *pn = n;
    return z;
  }
  z = (const char*)sqlite3_value_text(v);
  *pn = sqlite3_value_bytes(v);
  return z;
}

/*
** True if v is SQL NULL or the text '-'.
*/
int vf_value_is_null(sqlite3_value *v){
  int t = sqlite3_value_type(v);
  if( t==SQLITE_NULL ) return 1;
  if( t==SQLITE_TEXT ){
    int n = 0;
    const char *z = vf_value_chars(v, &n);
    return z!=0 && n==1 && z[0]=='-';
  }
  return 0;
}

/*
** Report "zFunc(): VALUE is not zWhat" as the error of ctx. The value is
** shown as SQL would write it: text quoted, numbers bare.
*/
char *vf_value_words(sqlite3_value *v){
  switch( sqlite3_value_type(v) ){
    case SQLITE_INTEGER:
      return sqlite3_mprintf("%lld", sqlite3_value_int64(v));
    case SQLITE_FLOAT:
      return sqlite3_mprintf("%!.15g", sqlite3_value_double(v));
    case SQLITE_TEXT:
      /* %.*Q would cut inside a UTF-8 sequence; long junk is rare and
      ** harmless in a message, so it is shown whole. */
      return sqlite3_mprintf("%Q", (const char*)sqlite3_value_text(v));
    case SQLITE_NULL:
      return sqlite3_mprintf("NULL");
    default:
      return sqlite3_mprintf("a BLOB");
  }
}

void vf_error_value(sqlite3_context *ctx, const char *zFunc,
                    sqlite3_value *v, const char *zWhat){
  char *zVal = vf_value_words(v);
  char *zMsg = zVal ? sqlite3_mprintf("%s(): %s is not %s", zFunc, zVal, zWhat) : 0;
  sqlite3_free(zVal);
  if( zMsg==0 ){
    sqlite3_result_error_nomem(ctx);
  }else{
    sqlite3_result_error(ctx, zMsg, -1);
    sqlite3_free(zMsg);
  }
}

/*
** Read v as a finite number into *prOut. Return 0 on success, 1 for
** NULL/'-', 2 after reporting an error. Text is converted only if all of
** it is a number (SQLite's numeric affinity).
*/
int vf_num_arg(sqlite3_context *ctx, const char *zFunc, sqlite3_value *v,
               const char *zWhat, double *prOut){
  int t = sqlite3_value_type(v);
  if( t==SQLITE_INTEGER ){
    *prOut = (double)sqlite3_value_int64(v);
    return 0;
  }
  if( vf_value_is_null(v) ) return 1;
  if( t==SQLITE_TEXT ) t = sqlite3_value_numeric_type(v);
  if( t==SQLITE_INTEGER ){
    *prOut = (double)sqlite3_value_int64(v);
    return 0;
  }
  if( t==SQLITE_FLOAT ){
    double r = sqlite3_value_double(v);
    if( isfinite(r) ){
      *prOut = r;
      return 0;
    }
  }
  vf_error_value(ctx, zFunc, v, zWhat);
  return 2;
}

/*
** Read v as an integer in [iMin,iMax] into *piOut. Return 0 on success,
** 1 for NULL/'-', 2 after reporting an error. The INTEGER case comes
** first because it is the one the virtual table produces.
*/
int vf_int_arg(sqlite3_context *ctx, const char *zFunc, sqlite3_value *v,
               sqlite3_int64 iMin, sqlite3_int64 iMax, const char *zWhat,
               sqlite3_int64 *piOut){
  int t = sqlite3_value_type(v);
  if( t!=SQLITE_INTEGER ){
    if( vf_value_is_null(v) ) return 1;
    if( t==SQLITE_TEXT ) t = sqlite3_value_numeric_type(v);
  }
  if( t==SQLITE_INTEGER ){
    sqlite3_int64 i = sqlite3_value_int64(v);
    if( i>=iMin && i<=iMax ){
      *piOut = i;
      return 0;
    }
  }else if( t==SQLITE_FLOAT ){
    double r = sqlite3_value_double(v);
    /* Only a value inside [-2^63, 2^63) may be cast to an int64; the
    ** bounds are powers of two, so exact as doubles. */
    if( r>=-9223372036854775808.0 && r<9223372036854775808.0
     && r==floor(r) ){
      sqlite3_int64 i = (sqlite3_int64)r;
      if( i>=iMin && i<=iMax ){
        *piOut = i;
        return 0;
      }
    }
  }
  vf_error_value(ctx, zFunc, v, zWhat);
  return 2;
}

/* ====================================================================
** Address parsing
*/

/*
** Parse a dotted quad of exactly n bytes into a[0..3]. Return 0 on
** success, 1 otherwise.
*/
static int vf_parse_ipv4(const char *z, int n, u8 *a){
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
static int vf_hexval(char c){
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
static int vf_parse_ipv6(const char *z, int n, u8 *a){
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
    while( i<n && (h = vf_hexval(z[i]))>=0 ){
      if( nDigit==4 ) return 1;
      v = v*16 + (unsigned)h;
      nDigit++;
      i++;
    }
    if( i<n && z[i]=='.' ){
      /* A trailing dotted quad fills the last two groups. */
      u8 a4[4];
      if( nGroup>6 || vf_parse_ipv4(z+iStart, n-iStart, a4) ) return 1;
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
    if( z[i]==':' ) return vf_parse_ipv6(z, n, a16);
  }
  memset(a16, 0, 10);
  a16[10] = a16[11] = 0xff;
  return vf_parse_ipv4(z, n, a16+12);
}

/* True if a16 is an IPv4-mapped address (::ffff:0:0/96). */
static int vf_is_v4(const u8 *a16){
  static const u8 aPrefix[12] = {0,0,0,0,0,0,0,0,0,0,0xff,0xff};
  return memcmp(a16, aPrefix, 12)==0;
}

/*
** Read argument v as an address into a16. Return 0 on success, 1 for
** NULL/'-', 2 after reporting an error.
*/
static int vf_addr_arg(sqlite3_context *ctx, const char *zFunc,
                       sqlite3_value *v, u8 *a16){
  if( vf_value_is_null(v) ) return 1;
  if( sqlite3_value_type(v)==SQLITE_TEXT ){
    int n = 0;
    const char *z = vf_value_chars(v, &n);
    if( z==0 ){
      sqlite3_result_error_nomem(ctx);
      return 2;
    }
    if( vf_addr_parse(z, n, a16)==0 ) return 0;
  }
  vf_error_value(ctx, zFunc, v, "an IP address");
  return 2;
}

/* ====================================================================
** ip_in_cidr(addr, cidr)
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

/*
** ip_in_cidr(ADDR, CIDR) -> 1 if ADDR is inside CIDR, else 0; NULL if
** either is NULL. The parsed CIDR is kept as auxdata, so a constant
** block is parsed once per statement, not once per row.
*/
void vfIpInCidrFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  VfCidr *pCidr, cidr;
  u8 a[16];
  (void)argc;
  if( vf_value_is_null(argv[1]) ) return;
  pCidr = (VfCidr*)sqlite3_get_auxdata(ctx, 1);
  if( pCidr==0 ){
    const char *z;
    if( sqlite3_value_type(argv[1])!=SQLITE_TEXT ){
      vf_error_value(ctx, "ip_in_cidr", argv[1], "a CIDR block");
      return;
    }
    z = (const char*)sqlite3_value_text(argv[1]);
    if( z==0 ){
      sqlite3_result_error_nomem(ctx);
      return;
    }
    if( vf_cidr_parse(z, sqlite3_value_bytes(argv[1]), &cidr) ){
      vf_error_value(ctx, "ip_in_cidr", argv[1], "a CIDR block");
      return;
    }
  }else{
    cidr = *pCidr;
  }
  if( vf_addr_arg(ctx, "ip_in_cidr", argv[0], a)==0 ){
    sqlite3_result_int(ctx, vf_cidr_contains(&cidr, a));
  }
  if( pCidr==0 ){
    /* Set last: SQLite may call the destructor at once. Failing to cache
    ** costs only speed, so OOM here is not an error. */
    VfCidr *pNew = sqlite3_malloc64(sizeof(*pNew));
    if( pNew ){
      *pNew = cidr;
      sqlite3_set_auxdata(ctx, 1, pNew, sqlite3_free);
    }
  }
}

/* ====================================================================
** ip_class(addr), is_private(addr)
*/

/* Class of the IPv4 address a[0..3]; see the header comment. */
static const char *vf_class_v4(const u8 *a){
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

/* Class of the 16-byte address a; see the header comment. */
static const char *vf_class(const u8 *a){
  static const u8 aZero[16] = {0};
  static const u8 aNat64[12] = {0,0x64,0xff,0x9b,0,0,0,0,0,0,0,0};
  if( vf_is_v4(a) || memcmp(a, aNat64, 12)==0 ) return vf_class_v4(a+12);
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

/* ip_class(ADDR) -> one of the names in the header comment. */
void vfIpClassFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  u8 a[16];
  (void)argc;
  if( vf_addr_arg(ctx, "ip_class", argv[0], a)!=0 ) return;
  sqlite3_result_text(ctx, vf_class(a), -1, SQLITE_STATIC);
}

/* 1 if the parsed address a is one is_private() calls private. */
static int vf_class_is_private(const u8 *a){
  const char *zClass = vf_class(a);
  return strcmp(zClass, "private")==0 || strcmp(zClass, "cgnat")==0;
}

/* is_private(ADDR) -> 1 for 'private' and 'cgnat' addresses, else 0. */
void vfIsPrivateFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  u8 a[16];
  (void)argc;
  if( vf_addr_arg(ctx, "is_private", argv[0], a)!=0 ) return;
  sqlite3_result_int(ctx, vf_class_is_private(a));
}

/*
** For the flow normaliser (norm.c): 1 if the n bytes at z are an address
** that is_private() calls private, 0 if another address, -1 if they are
** not an address. Same classes as is_private(), without a context.
*/
int vf_addr_is_private(const char *z, int n){
  u8 a[16];
  if( vf_addr_parse(z, n, a) ) return -1;
  return vf_class_is_private(a);
}

/* ====================================================================
** pcr(bytes_out, bytes_in)
*/

/*
** pcr(OUT, IN) -> (OUT-IN)/(OUT+IN) in [-1,1], the producer-consumer
** ratio of Bullard and Gerth: 1 pure upload, 0 balanced, -1 pure
** download. NULL if either is NULL or both are 0; a negative count is
** an error.
*/
void vfPcrFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  double rOut = 0.0, rIn = 0.0;
  int rcOut, rcIn;
  (void)argc;
  rcOut = vf_num_arg(ctx, "pcr", argv[0], "a byte count", &rOut);
  if( rcOut==2 ) return;
  rcIn = vf_num_arg(ctx, "pcr", argv[1], "a byte count", &rIn);
  if( rcIn==2 ) return;
  if( rOut<0.0 || rIn<0.0 ){
    vf_error_value(ctx, "pcr", argv[rOut<0.0 ? 0 : 1], "a byte count");
    return;
  }
  if( rcOut==1 || rcIn==1 || rOut+rIn==0.0 ) return;
  sqlite3_result_double(ctx, (rOut-rIn)/(rOut+rIn));
}

/* ====================================================================
** TCP flags and protocol numbers
*/

/* Flag names in bit order; bit i has value 1<<i. */
static const char *const azTcpFlag[8] = {
  "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"
};

/*
** tcp_flags_str(N) -> names of the bits set in N, lowest bit first,
** joined by ',': 18 -> 'SYN,ACK', 3 -> 'FIN,SYN', 0 -> ''. N must be in
** 0..255.
*/
void vfTcpFlagsStrFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  sqlite3_int64 iFlags;
  char zOut[40];                /* 8 names of <= 3 bytes and 7 commas */
  int i, n = 0;
  (void)argc;
  if( vf_int_arg(ctx, "tcp_flags_str", argv[0], 0, 255,
                 "a TCP flags value (0-255)", &iFlags) ) return;
  for(i=0; i<8; i++){
    if( iFlags & (1<<i) ){
      if( n>0 ) zOut[n++] = ',';
      memcpy(zOut+n, azTcpFlag[i], 3);
      n += 3;
    }
  }
  sqlite3_result_text(ctx, zOut, n, SQLITE_TRANSIENT);
}

/*
** tcp_has(N, NAME) -> 1 if flag NAME ('SYN', 'ack', ...) is set in N,
** else 0. An unknown name is an error.
*/
void vfTcpHasFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  sqlite3_int64 iFlags;
  const char *zName;
  int i;
  (void)argc;
  if( vf_int_arg(ctx, "tcp_has", argv[0], 0, 255,
                 "a TCP flags value (0-255)", &iFlags) ) return;
  if( vf_value_is_null(argv[1]) ) return;
  zName = (const char*)sqlite3_value_text(argv[1]);
  if( sqlite3_value_type(argv[1])==SQLITE_TEXT && zName
   && sqlite3_value_bytes(argv[1])==3 ){
    for(i=0; i<8; i++){
      if( sqlite3_strnicmp(zName, azTcpFlag[i], 3)==0 ){
        sqlite3_result_int(ctx, (iFlags & (1<<i))!=0);
        return;
      }
    }
  }
  vf_error_value(ctx, "tcp_has", argv[1],
                 "a TCP flag name (FIN SYN RST PSH ACK URG ECE CWR)");
}

/*
** is_syn_only(N) -> 1 if N is exactly 2 (SYN and nothing else), else 0.
*/
void vfIsSynOnlyFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  sqlite3_int64 iFlags;
  (void)argc;
  if( vf_int_arg(ctx, "is_syn_only", argv[0], 0, 255,
                 "a TCP flags value (0-255)", &iFlags) ) return;
  sqlite3_result_int(ctx, iFlags==2);
}

/* IANA protocol keywords for the numbers seen in practice. */
static const struct VfProto { unsigned char iProto; const char *zName; }
aProto[] = {
  {   0, "HOPOPT" },     {   1, "ICMP" },       {   2, "IGMP" },
  {   4, "IPv4" },       {   6, "TCP" },        {   8, "EGP" },
  {  17, "UDP" },        {  27, "RDP" },        {  33, "DCCP" },
  {  41, "IPv6" },       {  43, "IPv6-Route" }, {  44, "IPv6-Frag" },
  {  46, "RSVP" },       {  47, "GRE" },        {  50, "ESP" },
  {  51, "AH" },         {  58, "IPv6-ICMP" },  {  59, "IPv6-NoNxt" },
  {  60, "IPv6-Opts" },  {  88, "EIGRP" },      {  89, "OSPFIGP" },
  {  94, "IPIP" },       { 103, "PIM" },        { 112, "VRRP" },
  { 115, "L2TP" },       { 132, "SCTP" },       { 136, "UDPLite" },
  { 137, "MPLS-in-IP" },
};

/*
** protocol_name(N) -> the IANA keyword of protocol N ('TCP'), or NULL
** for a number in 0..255 not in the table above (so that
** coalesce(protocol_name(p), p) shows the number). Outside 0..255 is
** an error.
*/
void vfProtocolNameFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  sqlite3_int64 iProto;
  size_t i;
  (void)argc;
  if( vf_int_arg(ctx, "protocol_name", argv[0], 0, 255,
                 "a protocol number (0-255)", &iProto) ) return;
  for(i=0; i<sizeof(aProto)/sizeof(aProto[0]); i++){
    if( aProto[i].iProto==iProto ){
      sqlite3_result_text(ctx, aProto[i].zName, -1, SQLITE_STATIC);
      return;
    }
  }
}
