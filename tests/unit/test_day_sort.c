/*
** test_day_sort.c - vf_day_sort (ext/day.c), the radix sort under the
** prepared day's indexes (norm.c, day_first.c, day_summary.c, the
** coverage tables): ascending keys, STABLE (equal keys keep the order
** they came in, which the drill-down's "earlier record of the day wins"
** and the summaries' row order rely on), aIdx carried with its key.
**
** The expectation is computed independently: qsort of (key, position)
** pairs, position breaking ties, which is the one stable order. Key sets
** cover what the digit schedule must get right: no key, one, all equal
** (nothing to sort), keys that differ only in the low or only in the high
** bits, a constant byte between varying ones (a pass with one value is
** skipped), an odd and an even number of passes (the result ends in the
** scratch copy or in place), full 64-bit hashes, and the index keys of
** day_first.c (id << 32 | start with its sign bit flipped).
*/
#include "test.h"
#include "day.h"

typedef struct Pair Pair;
struct Pair { uint64_t key; uint32_t pos; };

static int pair_cmp(const void *a, const void *b){
  const Pair *x = a, *y = b;
  if( x->key!=y->key ) return x->key<y->key ? -1 : 1;
  return x->pos<y->pos ? -1 : x->pos>y->pos;
}

static uint64_t rng_state;
static uint64_t rng(void){            /* xorshift64 */
  rng_state ^= rng_state<<13;
  rng_state ^= rng_state>>7;
  rng_state ^= rng_state<<17;
  return rng_state;
}

/* Sort aKey (n keys) with vf_day_sort and with the reference; the keys
** and the carried indexes (each key's starting position) must agree. */
static void check_sort(const uint64_t *aIn, uint32_t n){
  uint64_t *aKey = malloc(sizeof(uint64_t)*(n ? n : 1));
  uint32_t *aIdx = malloc(sizeof(uint32_t)*(n ? n : 1));
  Pair *aRef = malloc(sizeof(Pair)*(n ? n : 1));
  uint32_t i, nBad = 0;
  assert_non_null(aKey); assert_non_null(aIdx); assert_non_null(aRef);
  for(i=0; i<n; i++){
    aKey[i] = aIn[i];
    aIdx[i] = i;
    aRef[i].key = aIn[i];
    aRef[i].pos = i;
  }
  qsort(aRef, n, sizeof(Pair), pair_cmp);
  assert_int_equal(vf_day_sort(aKey, aIdx, n), SQLITE_OK);
  for(i=0; i<n; i++){
    nBad += aKey[i]!=aRef[i].key || aIdx[i]!=aRef[i].pos;
  }
  assert_int_equal(nBad, 0);
  free(aKey); free(aIdx); free(aRef);
}

static void test_small(void **state){
  uint64_t a[3] = {5, 5, 1};
  (void)state;
  check_sort(a, 0);
  check_sort(a, 1);
  check_sort(a, 2);                    /* equal: order kept */
  check_sort(a, 3);
}

/* Keys built by fn(i) for a few sizes. */
static void check_many(uint64_t (*fn)(uint32_t), uint64_t seed){
  static const uint32_t aN[] = {2, 3, 100, 1000, 65537, 300000};
  unsigned k;
  for(k=0; k<sizeof(aN)/sizeof(aN[0]); k++){
    uint32_t n = aN[k], i;
    uint64_t *a = malloc(sizeof(uint64_t)*n);
    assert_non_null(a);
    rng_state = seed + k;
    for(i=0; i<n; i++) a[i] = fn(i);
    check_sort(a, n);
    free(a);
  }
}

static uint64_t k_equal(uint32_t i){ (void)i; return 0x1234567890abcdefULL; }
static uint64_t k_low(uint32_t i){ (void)i; return 0xffff000000000000ULL | (rng() % 7); }
static uint64_t k_high(uint32_t i){ (void)i; return (rng() % 5) << 61 | 0x0000beef0000ULL; }
static uint64_t k_hash(uint32_t i){ (void)i; return rng(); }
static uint64_t k_gap(uint32_t i){     /* bits 0-7 and 24-31 vary, 8-23 constant */
  (void)i;
  return (rng() & 0xff000000ULL) | 0x00abcd00ULL | (rng() & 0x3);
}
static uint64_t k_desc(uint32_t i){ return 1000000ULL - i/3; }
static uint64_t k_index(uint32_t i){   /* day_first.c: id << 32 | start ^ sign */
  uint64_t id = 1 + rng() % 5000;
  int32_t start = (int32_t)(rng() % 86400) - (i%2 ? 100 : 0);
  return (id<<32) | (uint64_t)((uint32_t)start ^ 0x80000000u);
}
static uint64_t k_odd9(uint32_t i){    /* 9 varying bits: 2 passes */
  (void)i; return rng() & 0x1ff;
}
static uint64_t k_bits17(uint32_t i){  /* 17 varying bits: 3 passes */
  (void)i; return (rng() & 0x1ffff) << 5;
}

static void test_patterns(void **state){
  (void)state;
  check_many(k_equal, 1);
  check_many(k_low, 2);
  check_many(k_high, 3);
  check_many(k_hash, 4);
  check_many(k_gap, 5);
  check_many(k_desc, 6);
  check_many(k_index, 7);
  check_many(k_odd9, 8);
  check_many(k_bits17, 9);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_small),
    cmocka_unit_test(test_patterns),
  };
  return cmocka_run_group_tests(tests, 0, 0);
}
