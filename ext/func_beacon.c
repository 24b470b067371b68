/*
** 2026-11-23
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** func_beacon.c - aggregates that measure how regular a series of
** connection start times is: beacon_score() and beacon_period().
**
** Usage:
**
**   .load ./vpcflow
**   SELECT srcaddr, dstaddr, dstport, count(*) AS n,
**          beacon_period(start) AS period, beacon_score(start, bytes) AS score
**     FROM vpcflow('logs/')
**    WHERE tcp_has(tcp_flags, 'SYN')          -- connection starts only
**    GROUP BY srcaddr, dstaddr, dstport
**   HAVING n >= 4 AND period > 10
**    ORDER BY score DESC;
**
**   beacon_score(START)         REAL in [0,1], or NULL
**   beacon_score(START, BYTES)  REAL in [0,1], or NULL
**   beacon_period(START)        REAL seconds, or NULL
**
** START is a number of seconds (the flow log `start` column; REAL works
** for finer clocks). BYTES is the size of each connection. A row whose
** START (or, in the two-argument form, BYTES) is NULL or '-' is skipped,
** as two-argument SQL aggregates such as regr_count() do. A non-numeric
** value, a time beyond +-2^53 or a byte count outside 0..2^53 is an
** error. Rows may come in any order: the times are sorted.
**
** THE SCORE
**
** The method is RITA's (Active Countermeasures, github.com/activecm/rita,
** analysis/beacons.go), reduced to what one aggregate can see. Let
** t_1 < ... < t_m be the DISTINCT start times (the same connection logged
** on two ENIs has one start, so exact duplicates are dropped) and
** d_i = t_{i+1} - t_i the m-1 intervals, all > 0.
**
**   (1) Fewer than 4 distinct starts (3 intervals, RITA's minimum): NULL.
**   (2) Quartiles Q1, Q2, Q3 as in RITA (Go package montanaflynn/stats):
**       Q2 is the median; Q1 and Q3 are the medians of the lower and upper
**       half, the middle element left out when the count is odd.
**   (3) Bowley skew = (Q1 + Q3 - 2*Q2) / (Q3 - Q1), taken as 0 when
**       Q3 - Q1 < 10 or Q2 equals Q1 or Q3 (RITA's guard against tiny
**       jitter); skew score = 1 - |skew|.
**   (4) MAD = median of |d_i - Q2|; MAD score = (Q2 - MAD) / Q2, at
**       least 0; when Q2 < 1 the score is 1 for intervals and 0 for bytes
**       (RITA's defaults).
**   (5) Connection score = min(1, (m-1) * Q2 / (t_m - t_1)), that is the
**       median interval over the mean one: 1 when connections come on
**       schedule, low when long silences break the series. It stands in
**       for RITA's histogram and duration scores, which need the span of
**       the whole data set, which an aggregate over one group cannot see.
**   (6) With BYTES: the skew score and MAD score of (3) and (4) applied
**       to the byte counts of ALL rows of the group (duplicates kept,
**       as RITA does).
**   (7) beacon_score = mean of the three timing scores, or of those and
**       the two size scores: 5 scores in the two-argument form.
**
** beacon_period(START) is Q2 of the intervals: the typical time between
** connections. It needs only 2 distinct starts; with fewer it is NULL.
**
** Both are aggregate-only (no OVER clause): scoring needs the sorted
** series, so a window would re-sort for every row.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include "func.h"
#include <stdlib.h>
#include <string.h>
#include <math.h>

/* Fewest distinct starts for a score (RITA: 4 timestamps). */
#define VF_BEACON_MIN 4

/* Largest magnitude accepted for a time or a byte count: 2^53, beyond
** which doubles no longer hold every integer. */
#define VF_BEACON_MAXVAL 9007199254740992.0

/* Bowley skew is forced to 0 when the quartile spread is below this. */
#define VF_BEACON_MIN_IQR 10.0

typedef struct VfSeries VfSeries;
struct VfSeries {
  double *aT;             /* start times, in arrival order */
  double *aB;             /* bytes, parallel to aT; NULL in the 1-arg form */
  sqlite3_int64 n;        /* rows stored */
  sqlite3_int64 nAlloc;   /* capacity of aT (and aB) */
  int nArg;               /* 2 if bytes were given */
};

/* qsort() comparison of two doubles. */
static int beacon_cmp_double(const void *a, const void *b){
  double x = *(const double*)a, y = *(const double*)b;
  return (x>y) - (x<y);
}

/* Median of the sorted a[0..n-1], n>0. */
static double beacon_median(const double *a, sqlite3_int64 n){
  return (n%2) ? a[n/2] : (a[n/2-1] + a[n/2])/2.0;
}

/*
** Skew score (3) and MAD score (4) of the sorted a[0..n-1], n>=3.
** aWork has room for n doubles. rMadDefault is the MAD score when the
** median is below 1.
*/
static void beacon_shape_scores(const double *a, sqlite3_int64 n, double *aWork,
                            double rMadDefault,
                            double *pSkewScore, double *pMadScore){
  sqlite3_int64 nHalf = n/2, i;
  double q1 = beacon_median(a, nHalf);
  double q2 = beacon_median(a, n);
  double q3 = beacon_median(a + n - nHalf, nHalf);
  double rSkew = 0.0, rMad, rMadScore;
  if( q3-q1>=VF_BEACON_MIN_IQR && q2!=q1 && q2!=q3 ){
    rSkew = (q1 + q3 - 2.0*q2)/(q3 - q1);
  }
  *pSkewScore = 1.0 - fabs(rSkew);
  for(i=0; i<n; i++) aWork[i] = fabs(a[i] - q2);
  qsort(aWork, (size_t)n, sizeof(double), beacon_cmp_double);
  rMad = beacon_median(aWork, n);
  rMadScore = rMadDefault;
  if( q2>=1.0 ) rMadScore = (q2 - rMad)/q2;
  if( rMadScore<0.0 ) rMadScore = 0.0;
  *pMadScore = rMadScore;
}

/*
** Sort p->aT and remove duplicate times in place. Return the number of
** distinct times.
*/
static sqlite3_int64 beacon_distinct_times(VfSeries *p){
  sqlite3_int64 i, m = 0;
  if( p->n==0 ) return 0;
  qsort(p->aT, (size_t)p->n, sizeof(double), beacon_cmp_double);
  for(i=0; i<p->n; i++){
    if( m==0 || p->aT[i]!=p->aT[m-1] ) p->aT[m++] = p->aT[i];
  }
  return m;
}

/*
** Append one row to the series of ctx. zFunc names the function in
** error messages; argv[1], if argc>1, is the byte count.
*/
static void beacon_series_step(sqlite3_context *ctx, const char *zFunc,
                           int argc, sqlite3_value **argv){
  VfSeries *p;
  double rT, rB = 0.0;
  if( vf_num_arg(ctx, zFunc, argv[0], "a time in seconds", &rT) ) return;
  if( argc>1 && vf_num_arg(ctx, zFunc, argv[1], "a byte count", &rB) ){
    return;
  }
  /* Bounded inputs keep every difference and median finite: no
  ** infinities, so no NaN scores. */
  if( fabs(rT)>VF_BEACON_MAXVAL ){
    vf_error_value(ctx, zFunc, argv[0], "a time in seconds");
    return;
  }
  if( rB<0.0 || rB>VF_BEACON_MAXVAL ){
    vf_error_value(ctx, zFunc, argv[1], "a byte count");
    return;
  }
  p = (VfSeries*)sqlite3_aggregate_context(ctx, sizeof(*p));
  if( p==0 ){
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if( p->n>=p->nAlloc ){
    sqlite3_int64 nNew = p->nAlloc ? p->nAlloc*2 : 64;
    double *aT, *aB;
    aT = sqlite3_realloc64(p->aT, sizeof(double)*(sqlite3_uint64)nNew);
    if( aT==0 ){
      sqlite3_result_error_nomem(ctx);
      return;
    }
    p->aT = aT;
    if( argc>1 ){
      aB = sqlite3_realloc64(p->aB, sizeof(double)*(sqlite3_uint64)nNew);
      if( aB==0 ){
        sqlite3_result_error_nomem(ctx);
        return;
      }
      p->aB = aB;
    }
    p->nAlloc = nNew;
  }
  p->aT[p->n] = rT;
  if( argc>1 ) p->aB[p->n] = rB;
  p->n++;
  p->nArg = argc;
}

static void vfBeaconScoreStep(sqlite3_context *ctx,
                              int argc, sqlite3_value **argv){
  beacon_series_step(ctx, "beacon_score", argc, argv);
}

static void vfBeaconPeriodStep(sqlite3_context *ctx,
                               int argc, sqlite3_value **argv){
  beacon_series_step(ctx, "beacon_period", argc, argv);
}

/* Free what p holds (the context itself belongs to SQLite). */
static void beacon_series_free(VfSeries *p){
  sqlite3_free(p->aT);
  sqlite3_free(p->aB);
  memset(p, 0, sizeof(*p));
}

/*
** Compute the score of p (see the header comment) into *pr. Return 0 on
** success, 1 if there are too few starts, SQLITE_NOMEM on OOM.
*/
static int beacon_series_score(VfSeries *p, int bBytes, double *pr){
  sqlite3_int64 m, nD, i;
  double *aD, *aWork, rSkew, rMad, rConn, rSum, rSpan, rMed;
  int nScore = 3;

  /* Bytes are scored over all rows, so sort them before the times are
  ** deduplicated (aB is not parallel to aT after that, nor needs to be). */
  if( bBytes ) qsort(p->aB, (size_t)p->n, sizeof(double), beacon_cmp_double);
  m = beacon_distinct_times(p);
  if( m<VF_BEACON_MIN ) return 1;
  nD = m-1;
  aD = sqlite3_malloc64(sizeof(double)*(sqlite3_uint64)(nD + p->n));
  if( aD==0 ) return SQLITE_NOMEM;
  aWork = aD + nD;                       /* room for max(nD, p->n) */
  for(i=0; i<nD; i++) aD[i] = p->aT[i+1] - p->aT[i];
  qsort(aD, (size_t)nD, sizeof(double), beacon_cmp_double);

  beacon_shape_scores(aD, nD, aWork, 1.0, &rSkew, &rMad);
  rMed = beacon_median(aD, nD);
  rSpan = p->aT[m-1] - p->aT[0];
  rConn = (double)nD*rMed/rSpan;
  if( rConn>1.0 ) rConn = 1.0;
  rSum = rSkew + rMad + rConn;

  if( bBytes ){
    beacon_shape_scores(p->aB, p->n, aWork, 0.0, &rSkew, &rMad);
    rSum += rSkew + rMad;
    nScore += 2;
  }
  sqlite3_free(aD);
  *pr = rSum/nScore;
  return 0;
}

static void vfBeaconScoreFinal(sqlite3_context *ctx){
  VfSeries *p = (VfSeries*)sqlite3_aggregate_context(ctx, 0);
  double r;
  int rc;
  if( p==0 ) return;
  rc = beacon_series_score(p, p->nArg>1, &r);
  if( rc==0 ){
    sqlite3_result_double(ctx, r);
  }else if( rc==SQLITE_NOMEM ){
    sqlite3_result_error_nomem(ctx);
  }
  beacon_series_free(p);
}

static void vfBeaconPeriodFinal(sqlite3_context *ctx){
  VfSeries *p = (VfSeries*)sqlite3_aggregate_context(ctx, 0);
  sqlite3_int64 m, i;
  if( p==0 ) return;
  m = beacon_distinct_times(p);
  if( m>=2 ){
    /* The intervals overwrite the times they came from, in place. */
    for(i=0; i<m-1; i++) p->aT[i] = p->aT[i+1] - p->aT[i];
    qsort(p->aT, (size_t)(m-1), sizeof(double), beacon_cmp_double);
    sqlite3_result_double(ctx, beacon_median(p->aT, m-1));
  }
  beacon_series_free(p);
}

/* ====================================================================
** Registration: this file's functions (see func.h)
*/

/* func_beacon.c: aggregate-only (scoring sorts the whole series) */
static const VfFuncDef aBeaconFunc[] = {
  { "beacon_score",  1, VF_AGG, 0, vfBeaconScoreStep, vfBeaconScoreFinal,
                                   0, 0 },
  { "beacon_score",  2, VF_AGG, 0, vfBeaconScoreStep, vfBeaconScoreFinal,
                                   0, 0 },
  { "beacon_period", 1, VF_AGG, 0, vfBeaconPeriodStep, vfBeaconPeriodFinal,
                                   0, 0 },
};

int vf_func_beacon_register(sqlite3 *db, char **pzErr){
  return VF_FUNC_REGISTER(db, aBeaconFunc, pzErr);
}
