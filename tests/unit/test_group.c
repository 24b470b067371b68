/*
** test_group.c - the grouped-delivery store (ext/group.c) on its own:
** its sort against qsort over random keys, and whole stores against a
** reference grouping: every group once, in GROUP BY order (ASC and DESC,
** NULL first when ASC and last when DESC, integers signed, text by bytes),
** with its rows and their payload values, over one and many key ranges,
** with and without the worker thread. Built and run also under
** ThreadSanitizer (make tsan).
*/
#include "test.h"
#include "group.h"

/* A small deterministic generator (xorshift64*). */
static uint64_t gRand = 88172645463325252ULL;
static uint64_t rnd(void){
  gRand ^= gRand>>12;
  gRand ^= gRand<<25;
  gRand ^= gRand>>27;
  return gRand * 2685821657736338717ULL;
}
static int rnd_n(int n){ return (int)(rnd() % (uint64_t)n); }

/* ------------------------------------------------------------------
** vf_group_sort_keys() against qsort
*/

typedef struct SortKey SortKey;
struct SortKey { const unsigned char *z; uint32_t n; };

static int sort_key_cmp(const void *a, const void *b){
  const SortKey *x = (const SortKey*)a, *y = (const SortKey*)b;
  uint32_t n = x->n<y->n ? x->n : y->n;
  int c = memcmp(x->z, y->z, n);
  if( c ) return c;
  return x->n<y->n ? -1 : x->n>y->n;
}

/*
** nKey distinct prefix-free keys: nPre shared leading bytes, then up to
** nVar bytes from an alphabet of nAlpha letters (1..nAlpha), then 0x00.
*/
static void check_sort(int nKey, int nPre, int nVar, int nAlpha){
  unsigned char *aBuf = malloc((size_t)nKey*(nPre+nVar+1));
  const unsigned char **az = calloc((size_t)(nKey+1), sizeof(*az));
  uint32_t *an = calloc((size_t)(nKey+1), sizeof(*an));
  uint32_t *aOrder = malloc(sizeof(*aOrder)*(size_t)(nKey+1));
  SortKey *aRef = malloc(sizeof(*aRef)*(size_t)(nKey+1));
  int i, n = 0;
  for(i=0; i<nKey; i++){
    unsigned char *z = aBuf + (size_t)i*(nPre+nVar+1);
    int k, nv = rnd_n(nVar+1), j;
    for(k=0; k<nPre; k++) z[k] = (unsigned char)(0x41 + k%7);
    for(k=0; k<nv; k++) z[nPre+k] = (unsigned char)(1 + rnd_n(nAlpha));
    z[nPre+nv] = 0x00;
    /* keep keys distinct, as a store's groups are */
    for(j=0; j<n; j++){
      if( an[j]==(uint32_t)(nPre+nv+1) && memcmp(az[j], z, an[j])==0 ) break;
    }
    if( j<n ) continue;
    az[n] = z;
    an[n] = (uint32_t)(nPre+nv+1);
    aRef[n].z = z;
    aRef[n].n = an[n];
    n++;
  }
  assert_int_equal(vf_group_sort_keys(az, an, (uint32_t)n, aOrder), SQLITE_OK);
  qsort(aRef, (size_t)n, sizeof(*aRef), sort_key_cmp);
  for(i=0; i<n; i++){
    if( az[aOrder[i]]!=aRef[i].z ){
      fail_msg("sort of %d keys (prefix %d, %d var, alphabet %d): "
               "position %d differs", n, nPre, nVar, nAlpha, i);
    }
  }
  free(aBuf); free(az); free(an); free(aOrder); free(aRef);
}

static void test_sort_keys(void **state){
  (void)state;
  check_sort(0, 0, 4, 3);
  check_sort(1, 0, 4, 3);
  check_sort(20, 0, 6, 4);             /* insertion sort only */
  check_sort(3000, 0, 12, 200);        /* radix on the first 8 bytes */
  check_sort(3000, 0, 30, 2);          /* long ties: deeper passes */
  check_sort(2000, 300, 20, 3);        /* 300 shared bytes first */
  check_sort(3000, 5, 3, 255);         /* keys end inside a word */
  check_sort(1500, 0, 60, 1);          /* "a", "aa", "aaa"...: lengths */
}

/* ------------------------------------------------------------------
** Whole stores against a reference
**
** Rows have four values: key 0 text (NULL sometimes), key 1 integer
** (negative too, NULL sometimes), payload 2 integer, payload 3 text (NULL,
** short, or long: over 7 bytes takes another path).
*/

#define NROW_MAX 30000

typedef struct RefRow RefRow;
struct RefRow {
  int bNull0; char z0[24]; int n0;
  int bNull1; int64_t i1;
  int64_t i2;
  int bNull3; char z3[40]; int n3;
};

static RefRow *aRef;
static int *aRefOrder;
static int anDesc[2];

/* -1/0/1: GROUP BY order of two keys (NULL first ASC, last DESC). */
static int ref_cmp_keys(const RefRow *a, const RefRow *b){
  int c;
  if( a->bNull0!=b->bNull0 ){
    c = a->bNull0 ? -1 : 1;
  }else if( a->bNull0 ){
    c = 0;
  }else{
    int n = a->n0<b->n0 ? a->n0 : b->n0;
    c = memcmp(a->z0, b->z0, (size_t)n);
    if( c==0 ) c = a->n0<b->n0 ? -1 : a->n0>b->n0;
    c = c<0 ? -1 : c>0;
  }
  if( anDesc[0] ) c = -c;
  if( c ) return c;
  if( a->bNull1!=b->bNull1 ){
    c = a->bNull1 ? -1 : 1;
  }else if( a->bNull1 ){
    c = 0;
  }else{
    c = a->i1<b->i1 ? -1 : a->i1>b->i1;
  }
  return anDesc[1] ? -c : c;
}

static int ref_cmp(const void *pa, const void *pb){
  return ref_cmp_keys(&aRef[*(const int*)pa], &aRef[*(const int*)pb]);
}

/* A hash of a row's payload, order-independent when summed. */
static uint64_t payload_hash(int64_t i2, int bNull3, const char *z3, int n3){
  uint64_t h = (uint64_t)i2 * 0x9E3779B97F4A7C15ULL;
  int k;
  if( bNull3 ){
    h ^= 0x5555;
  }else{
    for(k=0; k<n3; k++) h = (h ^ (unsigned char)z3[k]) * 1099511628211ULL;
    h ^= (uint64_t)n3<<40;
  }
  return h * 0xbf58476d1ce4e5b9ULL;
}

/* Make nRow random rows with about nDistinct keys. */
static void make_rows(int nRow, int nDistinct){
  int i;
  for(i=0; i<nRow; i++){
    RefRow *r = &aRef[i];
    int k = rnd_n(nDistinct);
    memset(r, 0, sizeof(*r));
    r->bNull0 = k%17==0;
    if( !r->bNull0 ){
      /* shared prefixes of different lengths, as addresses have */
      r->n0 = snprintf(r->z0, sizeof(r->z0), "%s.%d", k%3 ? "10.1" : "10",
                       k/5);
    }
    r->bNull1 = k%23==5;
    r->i1 = (int64_t)(k%5) * (k%2 ? -1 : 1) * 1000000007LL;
    r->i2 = (int64_t)rnd_n(1000000) - 500000;
    switch( rnd_n(4) ){
      case 0: r->bNull3 = 1; break;
      case 1: r->n3 = 0; break;
      case 2: r->n3 = snprintf(r->z3, sizeof(r->z3), "ACCEPT"); break;
      default:
        r->n3 = snprintf(r->z3, sizeof(r->z3), "eni-%016llx-%d",
                         (unsigned long long)rnd(), i%100);
        break;
    }
  }
}

static void row_values(const RefRow *r, VfValue *a){
  memset(a, 0, sizeof(VfValue)*4);
  a[0].bNull = r->bNull0; a[0].z = r->z0; a[0].n = r->n0;
  a[1].bNull = r->bNull1; a[1].i = r->i1;
  a[2].i = r->i2;
  a[3].bNull = r->bNull3; a[3].z = r->z3; a[3].n = r->n3;
}

/*
** Fill a store with nRow rows (about nDistinct keys), then check its
** output against the reference: groups in order, each once, each with
** its rows (counted) and payloads (hashed).
*/
static void check_store_spill(int nRow, int nDistinct, int bDesc0,
                              int bDesc1, int nPart, int bThread, int iSpill);
static void check_store(int nRow, int nDistinct, int bDesc0, int bDesc1,
                        int nPart, int bThread){
  check_store_spill(nRow, nDistinct, bDesc0, bDesc1, nPart, bThread, -2);
}

/* Add every row to p, from the first. */
static void add_all(VfGroupStore *p, int nRow){
  VfValue a[4];
  int i;
  for(i=0; i<nRow; i++){
    row_values(&aRef[i], a);
    assert_int_equal(vf_group_add(p, a), SQLITE_OK);
  }
}

/*
** check_store, and iSpill: -2 never spills; -1 spills after half the rows
** were added (then adds them all again, as the scan does after a spill);
** k>=1 spills once k groups were handed over whole (as when the store
** fails between key ranges): the output must go on with group k+1.
*/
static void check_store_spill(int nRow, int nDistinct, int bDesc0,
                              int bDesc1, int nPart, int bThread,
                              int iSpill){
  static const unsigned char aText[4] = { 1, 0, 0, 1 };
  const int aKey[2] = { 0, 1 };
  unsigned char aDesc[2];
  VfGroupStore *p = 0;
  VfValue a[4];
  int i, rc, iRef = 0, nGroup = 0;
  aDesc[0] = (unsigned char)bDesc0;
  aDesc[1] = (unsigned char)bDesc1;
  anDesc[0] = bDesc0;
  anDesc[1] = bDesc1;
  make_rows(nRow, nDistinct);
  assert_int_equal(vf_group_new(&p, 4, aText, 2, aKey, aDesc,
                                (int64_t)1<<30, nPart, bThread), SQLITE_OK);
  for(i=0; i<nRow; i++){
    if( iSpill==-1 && i==nRow/2 ){
      assert_int_equal(vf_group_spill(p, 0, 0), SQLITE_OK);
      assert_true(vf_group_spilled(p));
      add_all(p, nRow);
      break;
    }
    row_values(&aRef[i], a);
    assert_int_equal(vf_group_add(p, a), SQLITE_OK);
  }
  assert_int_equal(vf_group_finish(p), SQLITE_OK);
  assert_int_equal(vf_group_rows(p), nRow);
  for(i=0; i<nRow; i++) aRefOrder[i] = i;
  qsort(aRefOrder, (size_t)nRow, sizeof(int), ref_cmp);

  rc = vf_group_step(p);
  while( rc==SQLITE_ROW ){
    /* one group: its key, then its rows until the key changes */
    VfValue k0, k1;
    RefRow cur;
    uint64_t hGot = 0, hWant = 0;
    int nGot = 0, nWant = 0;
    memset(&cur, 0, sizeof(cur));
    assert_int_equal(vf_group_value(p, 0, &k0), SQLITE_OK);
    assert_int_equal(vf_group_value(p, 1, &k1), SQLITE_OK);
    cur.bNull0 = k0.bNull;
    if( !k0.bNull ){
      assert_true(k0.n<(int)sizeof(cur.z0));
      memcpy(cur.z0, k0.z, (size_t)k0.n);
      cur.n0 = k0.n;
    }
    cur.bNull1 = k1.bNull;
    cur.i1 = k1.i;
    if( iRef>=nRow || ref_cmp_keys(&cur, &aRef[aRefOrder[iRef]])!=0 ){
      fail_msg("group %d (%d rows, desc %d/%d, %d ranges, thread %d): "
               "key '%.*s'/%lld is not the next in order", nGroup, nRow,
               bDesc0, bDesc1, nPart, bThread, cur.n0, cur.z0,
               (long long)cur.i1);
    }
    while( iRef<nRow && ref_cmp_keys(&cur, &aRef[aRefOrder[iRef]])==0 ){
      const RefRow *r = &aRef[aRefOrder[iRef++]];
      hWant += payload_hash(r->i2, r->bNull3, r->z3, r->n3);
      nWant++;
    }
    do{
      VfValue v0, v1, v2, v3;
      assert_int_equal(vf_group_value(p, 0, &v0), SQLITE_OK);
      assert_int_equal(vf_group_value(p, 1, &v1), SQLITE_OK);
      if( v0.bNull!=cur.bNull0 || v1.bNull!=cur.bNull1
       || (!v0.bNull && (v0.n!=cur.n0 || memcmp(v0.z, cur.z0, (size_t)v0.n)))
       || (!v1.bNull && v1.i!=cur.i1) ){
        break;                            /* the next group */
      }
      assert_int_equal(vf_group_value(p, 2, &v2), SQLITE_OK);
      assert_int_equal(vf_group_value(p, 3, &v3), SQLITE_OK);
      assert_false(v2.bNull);
      hGot += payload_hash(v2.i, v3.bNull, v3.z, v3.n);
      nGot++;
      if( nGot==nWant && nGroup+1==iSpill ){
        /* the group is whole: the store fails here and spills */
        assert_int_equal(vf_group_out(p), iSpill);
        assert_int_equal(vf_group_spill(p, 0, 0), SQLITE_OK);
        add_all(p, nRow);
        assert_int_equal(vf_group_finish(p), SQLITE_OK);
      }
      rc = vf_group_step(p);
    }while( rc==SQLITE_ROW );
    assert_int_equal(nGot, nWant);
    if( hGot!=hWant ) fail_msg("group %d: payloads differ", nGroup);
    nGroup++;
  }
  assert_int_equal(rc, SQLITE_DONE);
  assert_int_equal(iRef, nRow);
  if( iSpill==-2 ) assert_int_equal(vf_group_keys(p), nGroup);
  vf_group_free(p);
}

/*
** A spilled store (vf_group_spill: sorted in a temporary database) hands
** over the same groups in the same order as one in memory, in every
** order, spilled while rows were added or after some groups were handed
** over; with the worker thread running when it spills.
*/
static void test_store_spill(void **state){
  int d0, d1;
  (void)state;
  for(d0=0; d0<2; d0++){
    for(d1=0; d1<2; d1++){
      check_store_spill(5000, 700, d0, d1, 1, 0, -1);
      check_store_spill(5000, 700, d0, d1, 5, 1, -1);
      check_store_spill(5000, 700, d0, d1, 5, 1, 1);
      check_store_spill(5000, 700, d0, d1, 3, 0, 250);
    }
  }
  check_store_spill(NROW_MAX, 20000, 0, 1, 37, 1, 9000);
  check_store_spill(3000, 3, 0, 0, 64, 1, 2);
}

static void test_store_orders(void **state){
  int d0, d1;
  (void)state;
  for(d0=0; d0<2; d0++){
    for(d1=0; d1<2; d1++){
      check_store(5000, 700, d0, d1, 1, 0);
      check_store(5000, 700, d0, d1, 5, 1);
    }
  }
}

static void test_store_ranges(void **state){
  (void)state;
  /* many ranges, few keys: most ranges empty */
  check_store(3000, 3, 0, 0, 64, 1);
  check_store(3000, 3, 1, 0, 64, 0);
  /* many keys and rows: batches, sampled bounds, range after range */
  check_store(NROW_MAX, 20000, 0, 1, 37, 1);
  check_store(NROW_MAX, 20000, 1, 1, VF_GROUP_MAX_PART, 1);
  check_store(NROW_MAX, 400, 0, 0, 1, 1);
  check_store(NROW_MAX, NROW_MAX*4, 0, 0, 13, 0);
  /* one row */
  check_store(1, 1, 0, 0, 8, 1);
}

/* A store with no rows hands over none. */
static void test_store_empty(void **state){
  static const unsigned char aText[1] = { 0 };
  const int aKey[1] = { 0 };
  const unsigned char aDesc[1] = { 0 };
  int bThread;
  (void)state;
  for(bThread=0; bThread<2; bThread++){
    VfGroupStore *p = 0;
    assert_int_equal(vf_group_new(&p, 1, aText, 1, aKey, aDesc, 1<<20, 4,
                                  bThread), SQLITE_OK);
    assert_int_equal(vf_group_finish(p), SQLITE_OK);
    assert_int_equal(vf_group_step(p), SQLITE_DONE);
    assert_int_equal(vf_group_step(p), SQLITE_DONE);
    assert_int_equal(vf_group_keys(p), 0);
    vf_group_free(p);
  }
}

/*
** Past the budget the store says SQLITE_FULL: from vf_group_add (perhaps
** for a later row than the one that did not fit, when the worker found
** it), from vf_group_finish, or from vf_group_step. Never a wrong row.
** Its count of bytes in use never passes the budget.
*/
static void test_store_budget(void **state){
  static const unsigned char aText[4] = { 1, 0, 0, 1 };
  const int aKey[2] = { 0, 1 };
  const unsigned char aDesc[2] = { 0, 0 };
  int bThread;
  (void)state;
  make_rows(NROW_MAX, NROW_MAX);
  for(bThread=0; bThread<2; bThread++){
    VfGroupStore *p = 0;
    VfValue a[4];
    int i, rc = SQLITE_OK;
    int64_t nBudget = 3<<19;
    assert_int_equal(vf_group_new(&p, 4, aText, 2, aKey, aDesc, nBudget, 16,
                                  bThread), SQLITE_OK);
    for(i=0; i<NROW_MAX && rc==SQLITE_OK; i++){
      row_values(&aRef[i], a);
      rc = vf_group_add(p, a);
      assert_true(vf_group_bytes(p)<=nBudget);
    }
    if( rc==SQLITE_OK ) rc = vf_group_finish(p);
    while( rc==SQLITE_OK || rc==SQLITE_ROW ){
      rc = vf_group_step(p);
      assert_true(vf_group_bytes(p)<=nBudget);
    }
    assert_int_equal(rc, SQLITE_FULL);
    vf_group_free(p);
  }
}

/* Freeing a store at any point stops its worker and frees everything
** (ASan and valgrind check the last part). */
static void test_store_free_early(void **state){
  static const unsigned char aText[4] = { 1, 0, 0, 1 };
  const int aKey[2] = { 0, 1 };
  const unsigned char aDesc[2] = { 1, 0 };
  int iStop;
  (void)state;
  make_rows(NROW_MAX, 5000);
  for(iStop=0; iStop<4; iStop++){
    VfGroupStore *p = 0;
    VfValue a[4];
    int i;
    assert_int_equal(vf_group_new(&p, 4, aText, 2, aKey, aDesc,
                                  (int64_t)1<<30, 32, 1), SQLITE_OK);
    for(i=0; i<(iStop==0 ? 100 : NROW_MAX); i++){
      row_values(&aRef[i], a);
      assert_int_equal(vf_group_add(p, a), SQLITE_OK);
    }
    if( iStop>=2 ){
      assert_int_equal(vf_group_finish(p), SQLITE_OK);
      for(i=0; i<(iStop==2 ? 1 : 12000); i++){
        assert_int_equal(vf_group_step(p), SQLITE_ROW);
      }
    }
    vf_group_free(p);
  }
}

/*
** Key texts held past the store: hold every distinct key text handed
** over, free the store, then read each and let go (ASan and valgrind
** see any use after free, and any block never freed).
*/
static void test_store_hold(void **state){
  static const unsigned char aText[4] = { 1, 0, 0, 1 };
  const int aKey[2] = { 0, 1 };
  int bDesc;
  (void)state;
  make_rows(5000, 3000);
  for(bDesc=0; bDesc<2; bDesc++){
    const unsigned char aDesc[2] = { (unsigned char)bDesc, 0 };
    VfGroupStore *p = 0;
    VfValue a[4];
    const char **az = malloc(sizeof(char*)*5000);
    char (*azCopy)[24] = malloc(24*5000);
    int *an = malloc(sizeof(int)*5000);
    int i, nHeld = 0;
    assert_int_equal(vf_group_new(&p, 4, aText, 2, aKey, aDesc,
                                  (int64_t)1<<30, 9, 1), SQLITE_OK);
    for(i=0; i<5000; i++){
      row_values(&aRef[i], a);
      assert_int_equal(vf_group_add(p, a), SQLITE_OK);
    }
    assert_int_equal(vf_group_finish(p), SQLITE_OK);
    while( vf_group_step(p)==SQLITE_ROW ){
      VfValue v;
      assert_int_equal(vf_group_value(p, 0, &v), SQLITE_OK);
      if( v.bNull ) continue;
      assert_true(v.bHold);
      assert_true(v.n<24);
      if( nHeld>0 && v.z==az[nHeld-1] ) continue;   /* same group */
      vf_group_hold(v.z);
      az[nHeld] = v.z;
      an[nHeld] = v.n;
      memcpy(azCopy[nHeld], v.z, (size_t)v.n);
      nHeld++;
    }
    assert_true(nHeld>100);
    vf_group_free(p);
    for(i=0; i<nHeld; i++){
      assert_memory_equal(az[i], azCopy[i], (size_t)an[i]);
      vf_group_unhold((void*)az[i]);
    }
    free(az); free(azCopy); free(an);
  }
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_sort_keys),
    cmocka_unit_test(test_store_orders),
    cmocka_unit_test(test_store_ranges),
    cmocka_unit_test(test_store_empty),
    cmocka_unit_test(test_store_budget),
    cmocka_unit_test(test_store_free_early),
    cmocka_unit_test(test_store_hold),
    cmocka_unit_test(test_store_spill),
  };
  int rc;
  aRef = malloc(sizeof(RefRow)*NROW_MAX);
  aRefOrder = malloc(sizeof(int)*NROW_MAX);
  rc = cmocka_run_group_tests(tests, 0, 0);
  free(aRef);
  free(aRefOrder);
  return rc;
}
