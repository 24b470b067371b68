/*
** 2026-11-23
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** func_breadth.c - aggregate and window functions that measure how
** widely a source reaches: exact distinct ports, exact distinct
** addresses, and the share of rejected records.
**
** Usage:
**
**   .load ./vpcflow
**   SELECT srcaddr, port_breadth(dstport), addr_breadth(dstaddr),
**          reject_ratio(action)
**     FROM vpcflow('logs/') GROUP BY srcaddr, start/300;
**
**   -- the same over a sliding 5-minute window ending at each record
**   SELECT srcaddr, start, port_breadth(dstport) OVER w
**     FROM vpcflow('logs/')
**   WINDOW w AS (PARTITION BY srcaddr ORDER BY start
**                RANGE BETWEEN 300 PRECEDING AND CURRENT ROW);
**
** SQLite 3.40 refuses COUNT(DISTINCT x) OVER (...), which is why these
** exist: each keeps a count per distinct value, so xInverse can take the
** oldest row of a sliding frame back out.
**
**   port_breadth(PORT)  INTEGER  distinct ports; PORT must be an integer
**                                0..65535 (an integral REAL or numeric
**                                text is accepted), anything else is an
**                                error; NULL and '-' are skipped; no
**                                values gives 0, like count().
**   addr_breadth(ADDR)  INTEGER  distinct IPv4/IPv6 addresses, compared
**                                after parsing (func_net.c), so '2001:db8::1'
**                                and '2001:DB8:0::1' count once and
**                                '::ffff:10.0.0.1' is '10.0.0.1'; a
**                                malformed address is an error.
**   reject_ratio(ACTION) REAL    REJECT records / (ACCEPT + REJECT
**                                records), case-insensitive; NULL and '-'
**                                skipped; any other text is an error (a
**                                typo must not silently count as ACCEPT);
**                                no values gives NULL, like avg().
**
** HOW IT WORKS
**
** port_breadth keeps up to VF_PORT_SPARSE (port, count) pairs inline in
** the aggregate context; most groups (one source talking to a handful of
** services) never leave this list. The first port beyond it moves the
** set to 65,536 32-bit counters (256 KiB, allocated once per group), so
** memory is bounded whatever the input and each row costs one array
** update. The distinct count changes only on 0->1 and 1->0 transitions.
**
** addr_breadth keeps an open-addressing hash table (linear probing) of
** 16-byte addresses with a reference count each, at most half full.
** Removal uses backward-shift deletion, so there are no tombstones and
** lookups stay short however long a window slides.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include "func.h"
#include "ipaddr.h"
#include <string.h>

typedef unsigned char u8;
typedef unsigned int u32;
typedef sqlite3_uint64 u64;

/* A reference count at this value cannot grow: report an error rather
** than wrap around and lose a value. */
#define VF_COUNT_MAX 0xffffffffu

/* ====================================================================
** port_breadth(port)
*/

#define VF_PORT_SPARSE 16            /* ports kept inline before going dense */
#define VF_PORT_N      65536         /* number of port values */

typedef struct VfPortSet VfPortSet;
struct VfPortSet {
  sqlite3_int64 nDistinct;           /* ports whose count is > 0 */
  u32 *aCount;                       /* VF_PORT_N counters once dense, or 0 */
  int nSparse;                       /* entries in use while sparse */
  unsigned short aPort[VF_PORT_SPARSE];  /* sparse: the ports */
  u32 aSparseCount[VF_PORT_SPARSE];      /* sparse: their counts */
};

/*
** Read argument v of port_breadth() into *piPort. Return 0 on success,
** 1 for NULL/'-', 2 after reporting an error. INTEGER, what the virtual
** table delivers, is tested inline; the general reader handles the rest.
*/
static int breadth_port_arg(sqlite3_context *ctx, sqlite3_value *v,
                       sqlite3_int64 *piPort){
  if( sqlite3_value_type(v)==SQLITE_INTEGER ){
    sqlite3_int64 i = sqlite3_value_int64(v);
    if( i>=0 && i<VF_PORT_N ){
      *piPort = i;
      return 0;
    }
  }
  return vf_int_arg(ctx, "port_breadth", v, 0, VF_PORT_N-1,
                    "a port number (0-65535)", piPort);
}

/*
** Move set p from the inline list to the dense counters. Return
** SQLITE_OK or SQLITE_NOMEM.
*/
static int breadth_portset_densify(VfPortSet *p){
  int i;
  p->aCount = sqlite3_malloc64(sizeof(u32)*VF_PORT_N);
  if( p->aCount==0 ) return SQLITE_NOMEM;
  memset(p->aCount, 0, sizeof(u32)*VF_PORT_N);
  for(i=0; i<p->nSparse; i++){
    p->aCount[p->aPort[i]] = p->aSparseCount[i];
  }
  p->nSparse = 0;
  return SQLITE_OK;
}

/*
** Add one occurrence of iPort to p. Return SQLITE_OK, SQLITE_NOMEM, or
** SQLITE_TOOBIG if a count would overflow.
*/
static int breadth_portset_add(VfPortSet *p, unsigned iPort){
  int i;
  if( p->aCount==0 ){
    for(i=0; i<p->nSparse; i++){
      if( p->aPort[i]==iPort ){
        if( p->aSparseCount[i]==VF_COUNT_MAX ) return SQLITE_TOOBIG;
        p->aSparseCount[i]++;
        return SQLITE_OK;
      }
    }
    if( p->nSparse<VF_PORT_SPARSE ){
      p->aPort[p->nSparse] = (unsigned short)iPort;
      p->aSparseCount[p->nSparse] = 1;
      p->nSparse++;
      p->nDistinct++;
      return SQLITE_OK;
    }
    if( breadth_portset_densify(p) ) return SQLITE_NOMEM;
  }
  if( p->aCount[iPort]==VF_COUNT_MAX ) return SQLITE_TOOBIG;
  if( p->aCount[iPort]++==0 ) p->nDistinct++;
  return SQLITE_OK;
}

/*
** Remove one occurrence of iPort from p. A port that is not present is
** ignored: xInverse only ever removes what xStep added.
*/
static void breadth_portset_remove(VfPortSet *p, unsigned iPort){
  int i;
  if( p->aCount ){
    if( p->aCount[iPort]>0 && --p->aCount[iPort]==0 ) p->nDistinct--;
    return;
  }
  for(i=0; i<p->nSparse; i++){
    if( p->aPort[i]==iPort ){
      if( --p->aSparseCount[i]==0 ){
        /* Order does not matter: fill the hole with the last entry. */
        p->nSparse--;
        p->aPort[i] = p->aPort[p->nSparse];
        p->aSparseCount[i] = p->aSparseCount[p->nSparse];
        p->nDistinct--;
      }
      return;
    }
  }
}

/* Report rc from a set update as the error of ctx. */
static void breadth_error(sqlite3_context *ctx, const char *zFunc, int rc){
  if( rc==SQLITE_NOMEM ){
    sqlite3_result_error_nomem(ctx);
  }else{
    char *zMsg = sqlite3_mprintf("%s(): more than %u rows with one value",
                                 zFunc, VF_COUNT_MAX);
    if( zMsg==0 ){
      sqlite3_result_error_nomem(ctx);
      return;
    }
    sqlite3_result_error(ctx, zMsg, -1);
    sqlite3_free(zMsg);
  }
}

static void vfPortBreadthStep(sqlite3_context *ctx,
                              int argc, sqlite3_value **argv){
  VfPortSet *p;
  sqlite3_int64 iPort;
  int rc;
  (void)argc;
  if( breadth_port_arg(ctx, argv[0], &iPort) ) return;
  p = (VfPortSet*)sqlite3_aggregate_context(ctx, sizeof(*p));
  if( p==0 ){
    sqlite3_result_error_nomem(ctx);
    return;
  }
  rc = breadth_portset_add(p, (unsigned)iPort);
  if( rc ) breadth_error(ctx, "port_breadth", rc);
}

static void vfPortBreadthInverse(sqlite3_context *ctx,
                                 int argc, sqlite3_value **argv){
  VfPortSet *p;
  sqlite3_int64 iPort;
  (void)argc;
  if( breadth_port_arg(ctx, argv[0], &iPort) ) return;
  p = (VfPortSet*)sqlite3_aggregate_context(ctx, 0);
  if( p ) breadth_portset_remove(p, (unsigned)iPort);
}

static void vfPortBreadthValue(sqlite3_context *ctx){
  VfPortSet *p = (VfPortSet*)sqlite3_aggregate_context(ctx, 0);
  sqlite3_result_int64(ctx, p ? p->nDistinct : 0);
}

static void vfPortBreadthFinal(sqlite3_context *ctx){
  VfPortSet *p = (VfPortSet*)sqlite3_aggregate_context(ctx, 0);
  sqlite3_result_int64(ctx, p ? p->nDistinct : 0);
  if( p ){
    sqlite3_free(p->aCount);
    p->aCount = 0;
  }
}

/* ====================================================================
** addr_breadth(addr)
*/

typedef struct VfAddrSlot VfAddrSlot;
struct VfAddrSlot {
  u8 a[16];                          /* the address, IPv4 as ::ffff:a.b.c.d */
  u32 nRef;                          /* occurrences; 0 marks an empty slot */
  u32 h;                             /* hash of a[], kept to skip rehashing */
};

typedef struct VfAddrSet VfAddrSet;
struct VfAddrSet {
  sqlite3_int64 nDistinct;           /* slots in use */
  u32 nSlot;                         /* size of aSlot[], a power of 2, or 0 */
  VfAddrSlot *aSlot;                 /* the hash table */
};

#define VF_ADDR_MINSLOT 16           /* first table size */
#define VF_ADDR_MAXSLOT 0x40000000u  /* 2^30 slots (24 GiB) is "too big" */

/* Hash of a 16-byte address. Two multiply-xorshift rounds mix all bytes
** into the low bits that pick the slot. */
static u32 breadth_addr_hash(const u8 *a){
  u64 lo, hi, x;
  memcpy(&lo, a, 8);
  memcpy(&hi, a+8, 8);
  x = lo*0x9e3779b97f4a7c15ull ^ hi;
  x ^= x>>31;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x>>29;
  return (u32)x ^ (u32)(x>>32);
}

/* Index of the slot holding a (hash h), or of the empty slot where it
** would go. The table is never full, so the loop ends. */
static u32 breadth_addrset_find(const VfAddrSet *p, const u8 *a, u32 h){
  u32 mask = p->nSlot-1, i = h & mask;
  while( p->aSlot[i].nRef ){
    if( p->aSlot[i].h==h && memcmp(p->aSlot[i].a, a, 16)==0 ) break;
    i = (i+1) & mask;
  }
  return i;
}

/* Double the table (or create it). Return SQLITE_OK, SQLITE_NOMEM or
** SQLITE_TOOBIG. */
static int breadth_addrset_grow(VfAddrSet *p){
  VfAddrSet old = *p;
  u32 i, nNew = p->nSlot ? p->nSlot*2 : VF_ADDR_MINSLOT;
  if( nNew>VF_ADDR_MAXSLOT ) return SQLITE_TOOBIG;
  p->aSlot = sqlite3_malloc64(sizeof(VfAddrSlot)*(u64)nNew);
  if( p->aSlot==0 ){
    p->aSlot = old.aSlot;
    return SQLITE_NOMEM;
  }
  memset(p->aSlot, 0, sizeof(VfAddrSlot)*(u64)nNew);
  p->nSlot = nNew;
  for(i=0; i<old.nSlot; i++){
    if( old.aSlot[i].nRef ){
      u32 j = breadth_addrset_find(p, old.aSlot[i].a, old.aSlot[i].h);
      p->aSlot[j] = old.aSlot[i];
    }
  }
  sqlite3_free(old.aSlot);
  return SQLITE_OK;
}

/* Add one occurrence of a. Return SQLITE_OK, SQLITE_NOMEM or
** SQLITE_TOOBIG. */
static int breadth_addrset_add(VfAddrSet *p, const u8 *a){
  u32 h = breadth_addr_hash(a), i;
  if( (u64)(p->nDistinct+1)*2 > p->nSlot ){
    int rc = breadth_addrset_grow(p);
    if( rc ) return rc;
  }
  i = breadth_addrset_find(p, a, h);
  if( p->aSlot[i].nRef ){
    if( p->aSlot[i].nRef==VF_COUNT_MAX ) return SQLITE_TOOBIG;
    p->aSlot[i].nRef++;
  }else{
    memcpy(p->aSlot[i].a, a, 16);
    p->aSlot[i].h = h;
    p->aSlot[i].nRef = 1;
    p->nDistinct++;
  }
  return SQLITE_OK;
}

/*
** Remove one occurrence of a. When the last one goes, later entries of
** the probe run are shifted back into the hole (if their home slot
** allows), which keeps every remaining entry reachable without
** tombstones.
*/
static void breadth_addrset_remove(VfAddrSet *p, const u8 *a){
  u32 mask, i, j;
  if( p->nSlot==0 ) return;
  mask = p->nSlot-1;
  i = breadth_addrset_find(p, a, breadth_addr_hash(a));
  if( p->aSlot[i].nRef==0 ) return;
  if( --p->aSlot[i].nRef>0 ) return;
  p->nDistinct--;
  j = i;
  for(;;){
    u32 iHome;
    j = (j+1) & mask;
    if( p->aSlot[j].nRef==0 ) break;
    iHome = p->aSlot[j].h & mask;
    /* Entry j may move to hole i unless its home lies in (i, j]. */
    if( ((j-iHome) & mask) >= ((j-i) & mask) ){
      p->aSlot[i] = p->aSlot[j];
      i = j;
    }
  }
  p->aSlot[i].nRef = 0;
}

static void vfAddrBreadthStep(sqlite3_context *ctx,
                              int argc, sqlite3_value **argv){
  VfAddrSet *p;
  u8 a[16];
  const char *z;
  int n = 0;
  int rc;
  (void)argc;
  if( vf_value_is_null(argv[0]) ) return;
  if( sqlite3_value_type(argv[0])!=SQLITE_TEXT
   || (z = vf_value_chars(argv[0], &n))==0 || vf_addr_parse(z, n, a) ){
    vf_error_value(ctx, "addr_breadth", argv[0], "an IP address");
    return;
  }
  p = (VfAddrSet*)sqlite3_aggregate_context(ctx, sizeof(*p));
  if( p==0 ){
    sqlite3_result_error_nomem(ctx);
    return;
  }
  rc = breadth_addrset_add(p, a);
  if( rc ) breadth_error(ctx, "addr_breadth", rc);
}

static void vfAddrBreadthInverse(sqlite3_context *ctx,
                                 int argc, sqlite3_value **argv){
  VfAddrSet *p;
  u8 a[16];
  const char *z;
  int n = 0;
  (void)argc;
  if( vf_value_is_null(argv[0]) ) return;
  if( sqlite3_value_type(argv[0])!=SQLITE_TEXT
   || (z = vf_value_chars(argv[0], &n))==0 || vf_addr_parse(z, n, a) ){
    return;                          /* xStep refused it; never added */
  }
  p = (VfAddrSet*)sqlite3_aggregate_context(ctx, 0);
  if( p ) breadth_addrset_remove(p, a);
}

static void vfAddrBreadthValue(sqlite3_context *ctx){
  VfAddrSet *p = (VfAddrSet*)sqlite3_aggregate_context(ctx, 0);
  sqlite3_result_int64(ctx, p ? p->nDistinct : 0);
}

static void vfAddrBreadthFinal(sqlite3_context *ctx){
  VfAddrSet *p = (VfAddrSet*)sqlite3_aggregate_context(ctx, 0);
  sqlite3_result_int64(ctx, p ? p->nDistinct : 0);
  if( p ){
    sqlite3_free(p->aSlot);
    p->aSlot = 0;
    p->nSlot = 0;
  }
}

/* ====================================================================
** reject_ratio(action)
*/

typedef struct VfRatio VfRatio;
struct VfRatio {
  sqlite3_int64 nReject;             /* REJECT records in the frame */
  sqlite3_int64 nAll;                /* ACCEPT + REJECT records */
};

/*
** Read an action into *pbReject (1 REJECT, 0 ACCEPT). Return 0 on
** success, 1 for NULL/'-', 2 after reporting an error.
*/
static int breadth_action_arg(sqlite3_context *ctx, sqlite3_value *v,
                         int *pbReject){
  if( vf_value_is_null(v) ) return 1;
  if( sqlite3_value_type(v)==SQLITE_TEXT && sqlite3_value_bytes(v)==6 ){
    int n = 0;
    const char *z = vf_value_chars(v, &n);
    if( z && sqlite3_strnicmp(z, "REJECT", 6)==0 ){
      *pbReject = 1;
      return 0;
    }
    if( z && sqlite3_strnicmp(z, "ACCEPT", 6)==0 ){
      *pbReject = 0;
      return 0;
    }
  }
  vf_error_value(ctx, "reject_ratio", v, "an action (ACCEPT or REJECT)");
  return 2;
}

static void vfRejectRatioStep(sqlite3_context *ctx,
                              int argc, sqlite3_value **argv){
  VfRatio *p;
  int bReject;
  (void)argc;
  if( breadth_action_arg(ctx, argv[0], &bReject) ) return;
  p = (VfRatio*)sqlite3_aggregate_context(ctx, sizeof(*p));
  if( p==0 ){
    sqlite3_result_error_nomem(ctx);
    return;
  }
  p->nAll++;
  p->nReject += bReject;
}

static void vfRejectRatioInverse(sqlite3_context *ctx,
                                 int argc, sqlite3_value **argv){
  VfRatio *p;
  int bReject;
  (void)argc;
  if( breadth_action_arg(ctx, argv[0], &bReject) ) return;
  p = (VfRatio*)sqlite3_aggregate_context(ctx, 0);
  if( p && p->nAll>0 ){
    p->nAll--;
    p->nReject -= bReject;
  }
}

/* Both xValue and xFinal: nothing to free. */
static void vfRejectRatioValue(sqlite3_context *ctx){
  VfRatio *p = (VfRatio*)sqlite3_aggregate_context(ctx, 0);
  if( p && p->nAll>0 ){
    sqlite3_result_double(ctx, (double)p->nReject/(double)p->nAll);
  }
}

/* ====================================================================
** Registration: this file's functions (see func.h)
*/

/* func_breadth.c: aggregates that are also window functions */
static const VfFuncDef aBreadthFunc[] = {
  { "port_breadth",  1, VF_AGG, 0, vfPortBreadthStep, vfPortBreadthFinal,
                                   vfPortBreadthValue, vfPortBreadthInverse },
  { "addr_breadth",  1, VF_AGG, 0, vfAddrBreadthStep, vfAddrBreadthFinal,
                                   vfAddrBreadthValue, vfAddrBreadthInverse },
  { "reject_ratio",  1, VF_AGG, 0, vfRejectRatioStep, vfRejectRatioValue,
                                   vfRejectRatioValue, vfRejectRatioInverse },
};

int vf_func_breadth_register(sqlite3 *db, char **pzErr){
  return VF_FUNC_REGISTER(db, aBreadthFunc, pzErr);
}
