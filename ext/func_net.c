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
** ADDRESSES. The address functions parse with ext/ipaddr.c, whose
** header says how addresses are compared (IPv4 as ::ffff:a.b.c.d, one
** address space) and lists the classes ip_class() returns, in the
** order they are checked. is_private(a) is 1 exactly when ip_class(a)
** is 'private' or 'cgnat'; documentation ranges are NOT private.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include "func.h"
#include "ipaddr.h"
#include <string.h>
#include <math.h>

typedef unsigned char u8;

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
** Address arguments
*/

/*
** Read argument v as an address into a16. Return 0 on success, 1 for
** NULL/'-', 2 after reporting an error.
*/
static int net_addr_arg(sqlite3_context *ctx, const char *zFunc,
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
  if( net_addr_arg(ctx, "ip_in_cidr", argv[0], a)==0 ){
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

/* ip_class(ADDR) -> one of the classes listed in ipaddr.c's header. */
static void vfIpClassFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  u8 a[16];
  (void)argc;
  if( net_addr_arg(ctx, "ip_class", argv[0], a)!=0 ) return;
  sqlite3_result_text(ctx, vf_addr16_class(a), -1, SQLITE_STATIC);
}

/* is_private(ADDR) -> 1 for 'private' and 'cgnat' addresses, else 0. */
static void vfIsPrivateFunc(sqlite3_context *ctx,
                            int argc, sqlite3_value **argv){
  u8 a[16];
  (void)argc;
  if( net_addr_arg(ctx, "is_private", argv[0], a)!=0 ) return;
  sqlite3_result_int(ctx, vf_addr16_is_private(a));
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
static void vfPcrFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv){
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
static void vfTcpFlagsStrFunc(sqlite3_context *ctx,
                              int argc, sqlite3_value **argv){
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
static void vfTcpHasFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv){
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
static void vfIsSynOnlyFunc(sqlite3_context *ctx,
                            int argc, sqlite3_value **argv){
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
static void vfProtocolNameFunc(sqlite3_context *ctx,
                               int argc, sqlite3_value **argv){
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

/* ====================================================================
** Registration: this file's functions (see func.h)
*/

/* func_net.c: pure scalars. ip_in_cidr() is also the function the
** vpcflow table's xFindFunction returns (vtab.c). */
static const VfFuncDef aNetFunc[] = {
  { "ip_in_cidr",    2, VF_PURE, vfIpInCidrFunc,     0, 0, 0, 0 },
  { "is_private",    1, VF_PURE, vfIsPrivateFunc,    0, 0, 0, 0 },
  { "ip_class",      1, VF_PURE, vfIpClassFunc,      0, 0, 0, 0 },
  { "pcr",           2, VF_PURE, vfPcrFunc,          0, 0, 0, 0 },
  { "tcp_flags_str", 1, VF_PURE, vfTcpFlagsStrFunc,  0, 0, 0, 0 },
  { "tcp_has",       2, VF_PURE, vfTcpHasFunc,       0, 0, 0, 0 },
  { "is_syn_only",   1, VF_PURE, vfIsSynOnlyFunc,    0, 0, 0, 0 },
  { "protocol_name", 1, VF_PURE, vfProtocolNameFunc, 0, 0, 0, 0 },
};

int vf_func_net_register(sqlite3 *db, char **pzErr){
  return VF_FUNC_REGISTER(db, aNetFunc, pzErr);
}
