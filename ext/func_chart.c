/*
** 2026-11-23
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** func_chart.c - pictures made of Unicode block characters, for a quick
** look at a distribution in the sqlite3 shell: bar() and sparkline().
**
** Usage:
**
**   .load ./vpcflow
**   -- requests per minute, one bar per minute
**   SELECT start/60*60 AS minute, count(*) AS n,
**          bar(count(*), 0, max(count(*)) OVER ()) AS chart
**     FROM vpcflow('logs/') GROUP BY 1 ORDER BY 1;
**
**   -- rejects per hour of each source, one line per source
**   SELECT srcaddr, sparkline(start/3600, action='REJECT')
**     FROM vpcflow('logs/') GROUP BY srcaddr;
**
** bar(X, MIN, MAX [, WIDTH])  scalar, TEXT
**
**   A horizontal bar WIDTH characters wide (default 80, as DuckDB's bar();
**   1..1000) whose filled length is (X-MIN)/(MAX-MIN) of WIDTH, in eighths
**   of a character: full blocks '█' and one of '▏▎▍▌▋▊▉' (1/8 to 7/8) for
**   the rest, rounded to the nearest eighth. X is clamped to [MIN,MAX].
**   The bar is padded with spaces to WIDTH characters so that columns
**   after it line up. NULL in any argument gives NULL; a non-number,
**   MIN >= MAX or a WIDTH outside 1..1000 is an error.
**
** sparkline(BUCKET, VALUE)  aggregate, TEXT
**
**   One character per integer BUCKET from the smallest to the largest
**   bucket seen, drawn with '▁▂▃▄▅▆▇█' for the sum of the VALUEs in that
**   bucket, and a space for a bucket with no row. Levels are relative to
**   lo = min(0, smallest sum) and hi = max(0, largest sum): a sum v gets
**   level ceil(8*(v-lo)/(hi-lo)) - 1, at least 0 (so '▁' is "lo or just
**   above" and '█' is hi); if every sum is 0 every level is '▁'. Because
**   each value goes to its bucket, the picture does not depend on the
**   order rows arrive in. Rows with a NULL bucket or value are skipped;
**   no rows gives NULL. BUCKET must be an integer (an integral REAL or
**   numeric text is accepted) and the buckets seen may span at most
**   VF_SPARK_MAX (1000) values: more is an error, as the line would not
**   fit on a screen anyway. Aggregate-only.
**
**   There is no one-argument sparkline(VALUE): SQLite 3.40 has no ORDER
**   BY inside aggregate calls (3.44 added it), so the order of the values
**   would be whatever order the rows happened to arrive in.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include "func.h"
#include <string.h>
#include <math.h>

typedef sqlite3_uint64 u64;

#define VF_BAR_WIDTH   80       /* default bar width, as DuckDB */
#define VF_BAR_MAX     1000     /* widest bar */
#define VF_SPARK_MAX   1000     /* most buckets in one sparkline */

/* UTF-8 of U+2581..U+2588, '▁' to '█', 3 bytes each: block k (1..8
** eighths high) is E2 96 (0x80+k). The left-aligned eighths U+258F '▏'
** (1/8 wide) to U+2589 '▉' (7/8) count down: E2 96 (0x90-k). */
#define VF_BLOCK_LEAD0 0xE2
#define VF_BLOCK_LEAD1 0x96

/* Append the 3-byte block character whose last byte is c to z[n..]. */
static int chart_put_block(unsigned char *z, int n, int c){
  z[n] = VF_BLOCK_LEAD0;
  z[n+1] = VF_BLOCK_LEAD1;
  z[n+2] = (unsigned char)c;
  return n+3;
}

/* ====================================================================
** bar(x, min, max [, width])
*/
static void vfBarFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  double rX, rMin, rMax, rFrac;
  sqlite3_int64 nWidth = VF_BAR_WIDTH, nEighth, i;
  int n = 0, iArg, nFull, nPart, bNull = 0;
  unsigned char *z;
  double *apr[3];
  apr[0] = &rX; apr[1] = &rMin; apr[2] = &rMax;

  /* Check every argument before returning NULL for any, so that a bad
  ** argument is reported even on rows where another one is NULL. */
  for(iArg=0; iArg<3; iArg++){
    int rc = vf_num_arg(ctx, "bar", argv[iArg], "a number", apr[iArg]);
    if( rc==2 ) return;
    if( rc==1 ) bNull = 1;
  }
  if( argc>3 ){
    int rc = vf_int_arg(ctx, "bar", argv[3], 1, VF_BAR_MAX,
                        "a bar width (1-1000)", &nWidth);
    if( rc==2 ) return;
    if( rc==1 ) bNull = 1;
  }
  if( bNull ) return;
  if( !(rMax>rMin) || !isfinite(rMax) || !isfinite(rMin) ){
    char *zMsg = !(rMax>rMin) ? sqlite3_mprintf(
        "bar(): the maximum (%!.15g) must be greater than the minimum "
        "(%!.15g)", rMax, rMin) : sqlite3_mprintf(
        "bar(): the minimum (%!.15g) and maximum (%!.15g) must be finite",
        rMin, rMax);
    if( zMsg==0 ){
      sqlite3_result_error_nomem(ctx);
    }else{
      sqlite3_result_error(ctx, zMsg, -1);
      sqlite3_free(zMsg);
    }
    return;
  }
  if( isfinite(rMax - rMin) ){
    rFrac = (rX - rMin)/(rMax - rMin);
  }else{
    /* a range wider than the largest double (1e308 - -1e308): the same
    ** fraction from halves, which cannot overflow */
    rFrac = (rX/2 - rMin/2)/(rMax/2 - rMin/2);
  }
  if( rFrac<0.0 ) rFrac = 0.0;
  if( rFrac>1.0 ) rFrac = 1.0;
  nEighth = (sqlite3_int64)floor(rFrac*(double)(nWidth*8) + 0.5);
  nFull = (int)(nEighth/8);
  nPart = (int)(nEighth%8);

  z = sqlite3_malloc64((u64)nWidth*3);
  if( z==0 ){
    sqlite3_result_error_nomem(ctx);
    return;
  }
  for(i=0; i<nFull; i++) n = chart_put_block(z, n, 0x88);       /* '█' */
  if( nPart ) n = chart_put_block(z, n, 0x90 - nPart);          /* '▏'..'▉' */
  for(i=nFull+(nPart>0); i<nWidth; i++) z[n++] = ' ';
  sqlite3_result_text(ctx, (const char*)z, n, sqlite3_free);
}

/* ====================================================================
** sparkline(bucket, value)
*/

/*
** The buckets seen always span fewer than VF_SPARK_MAX values, so bucket
** b can live in slot b mod VF_SPARK_MAX without two buckets ever sharing
** a slot: no shifting when a smaller bucket arrives.
*/
typedef struct VfSpark VfSpark;
struct VfSpark {
  sqlite3_int64 iLo, iHi;             /* smallest and largest bucket seen */
  int bAny;                           /* true once a row was added */
  double *aSum;                       /* VF_SPARK_MAX sums, by slot */
  unsigned char *aSeen;               /* VF_SPARK_MAX flags, by slot */
};

/* Slot of bucket b: b mod VF_SPARK_MAX, never negative. */
static int chart_spark_slot(sqlite3_int64 b){
  int i = (int)(b % VF_SPARK_MAX);
  return i<0 ? i+VF_SPARK_MAX : i;
}

static void vfSparklineStep(sqlite3_context *ctx,
                            int argc, sqlite3_value **argv){
  VfSpark *p;
  sqlite3_int64 iBucket, iLo, iHi;
  double rValue;
  int rcB, rcV, iSlot;
  (void)argc;
  rcB = vf_int_arg(ctx, "sparkline", argv[0], -0x7fffffffffffffffLL-1,
                   0x7fffffffffffffffLL, "an integer bucket", &iBucket);
  if( rcB==2 ) return;
  rcV = vf_num_arg(ctx, "sparkline", argv[1], "a number", &rValue);
  if( rcV==2 || rcB==1 || rcV==1 ) return;
  p = (VfSpark*)sqlite3_aggregate_context(ctx, sizeof(*p));
  if( p==0 ){
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if( p->aSum==0 ){
    p->aSum = sqlite3_malloc64(sizeof(double)*VF_SPARK_MAX);
    p->aSeen = sqlite3_malloc64(VF_SPARK_MAX);
    if( p->aSum==0 || p->aSeen==0 ){
      sqlite3_free(p->aSum);
      sqlite3_free(p->aSeen);
      p->aSum = 0;
      p->aSeen = 0;
      sqlite3_result_error_nomem(ctx);
      return;
    }
    memset(p->aSum, 0, sizeof(double)*VF_SPARK_MAX);
    memset(p->aSeen, 0, VF_SPARK_MAX);
  }
  iLo = p->bAny && p->iLo<iBucket ? p->iLo : iBucket;
  iHi = p->bAny && p->iHi>iBucket ? p->iHi : iBucket;
  /* Unsigned subtraction: exact for any iLo <= iHi, no overflow. */
  if( (u64)iHi - (u64)iLo >= VF_SPARK_MAX ){
    char *zMsg = sqlite3_mprintf("sparkline(): buckets %lld to %lld span "
                                 "more than %d values", iLo, iHi,
                                 VF_SPARK_MAX);
    if( zMsg==0 ){
      sqlite3_result_error_nomem(ctx);
    }else{
      sqlite3_result_error(ctx, zMsg, -1);
      sqlite3_free(zMsg);
    }
    return;
  }
  p->iLo = iLo;
  p->iHi = iHi;
  p->bAny = 1;
  iSlot = chart_spark_slot(iBucket);
  p->aSum[iSlot] += rValue;
  p->aSeen[iSlot] = 1;
  if( !isfinite(p->aSum[iSlot]) ){
    char *zMsg = sqlite3_mprintf("sparkline(): the sum of bucket %lld "
                                 "overflows", iBucket);
    if( zMsg==0 ){
      sqlite3_result_error_nomem(ctx);
    }else{
      sqlite3_result_error(ctx, zMsg, -1);
      sqlite3_free(zMsg);
    }
  }
}

static void vfSparklineFinal(sqlite3_context *ctx){
  VfSpark *p = (VfSpark*)sqlite3_aggregate_context(ctx, 0);
  double rLo = 0.0, rHi = 0.0;
  sqlite3_int64 b;
  unsigned char *z;
  int n = 0;
  if( p==0 ) return;
  if( p->bAny ){
    for(b=p->iLo; ; b++){
      int iSlot = chart_spark_slot(b);
      if( p->aSeen[iSlot] ){
        if( p->aSum[iSlot]<rLo ) rLo = p->aSum[iSlot];
        if( p->aSum[iSlot]>rHi ) rHi = p->aSum[iSlot];
      }
      if( b==p->iHi ) break;           /* iHi may be the largest int64 */
    }
    z = sqlite3_malloc64(3*VF_SPARK_MAX);
    if( z==0 ){
      sqlite3_result_error_nomem(ctx);
    }else{
      for(b=p->iLo; ; b++){
        int iSlot = chart_spark_slot(b);
        if( !p->aSeen[iSlot] ){
          z[n++] = ' ';
        }else{
          double rLevel = 0.0;
          if( rHi>rLo ){
            /* Halves, so that hi-lo cannot overflow; halving is exact. */
            double rRange = rHi/2.0 - rLo/2.0;
            rLevel = ceil(8.0*(p->aSum[iSlot]/2.0 - rLo/2.0)/rRange) - 1.0;
            if( rLevel<0.0 ) rLevel = 0.0;
            if( rLevel>7.0 ) rLevel = 7.0;
          }
          n = chart_put_block(z, n, 0x81 + (int)rLevel);        /* '▁'..'█' */
        }
        if( b==p->iHi ) break;
      }
      sqlite3_result_text(ctx, (const char*)z, n, sqlite3_free);
    }
  }
  sqlite3_free(p->aSum);
  sqlite3_free(p->aSeen);
  p->aSum = 0;
  p->aSeen = 0;
}

/* ====================================================================
** Registration: this file's functions (see func.h)
*/

/* func_chart.c: a pure scalar and an aggregate-only */
static const VfFuncDef aChartFunc[] = {
  { "bar",           3, VF_PURE, vfBarFunc,          0, 0, 0, 0 },
  { "bar",           4, VF_PURE, vfBarFunc,          0, 0, 0, 0 },
  { "sparkline",     2, VF_AGG, 0, vfSparklineStep, vfSparklineFinal, 0, 0 },
};

int vf_func_chart_register(sqlite3 *db, char **pzErr){
  return VF_FUNC_REGISTER(db, aChartFunc, pzErr);
}
