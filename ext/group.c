/*
** group.c - gather rows by key and hand them back group by group, in key
** order (see group.h).
**
** HOW IT WORKS
**
** Each key is written in an order-preserving byte form, so that memcmp()
** orders keys as SQLite orders the GROUP BY columns: per column a tag
** (0x00 NULL, 0x01 value), then an integer as 8 big-endian bytes with
** the sign bit flipped, or text as its bytes and a 0x00 terminator (the
** scan never lets a NUL byte into text, so the form is prefix-free and
** BINARY collation is plain byte order). A DESC column has all its bytes
** inverted, which reverses its order and puts NULL last, as SQLite does.
**
** A hash table (open addressing, power-of-two size, at most half full)
** maps the key bytes to a group number. Each row keeps its group number,
** a NULL mask and the non-key payload values (8 bytes each: the integer,
** or the offset and length of its text in an arena). At the end the
** groups are sorted by key, each group gets its rank, and a counting sort
** places the rows in rank order: the rows themselves are never compared.
*/
#define _GNU_SOURCE 1             /* qsort_r */
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <stdlib.h>
#include <string.h>
#include "group.h"

/* A text value in the arena: offset in the high 44 bits, length low 20. */
#define GROUP_TEXT(off, len)  (((int64_t)(off)<<20) | (int64_t)(len))
#define GROUP_TEXT_OFF(v)     ((uint64_t)(v)>>20)
#define GROUP_TEXT_LEN(v)     ((int)((v) & 0xFFFFF))

/* Most payload values per row: the NULL mask is 32 bits. */
#define GROUP_MAX_VAL 32

typedef struct GroupKey GroupKey;
struct GroupKey {
  uint64_t iOff;             /* key bytes in the arena */
  uint32_t nByte;            /* their length */
  uint32_t nRow;             /* rows in the group; then the first row's
                             ** place in the output (counting sort) */
};

struct VfGroupStore {
  int nVal;                  /* payload values per row */
  unsigned char aText[GROUP_MAX_VAL];  /* 1 if payload value k is text */
  int nKey;                  /* key columns */
  int aKey[GROUP_MAX_VAL];   /* payload index of key column j */
  unsigned char aDesc[GROUP_MAX_VAL];  /* 1 if key column j is DESC */
  int aKeyOf[GROUP_MAX_VAL]; /* for payload k: its key column, or -1 */
  int nStore;                /* non-key values stored per row */
  int aStore[GROUP_MAX_VAL]; /* payload index of stored value s */
  int aStoreOf[GROUP_MAX_VAL];/* for payload k: its stored index, or -1 */
  int64_t nBudget;           /* most bytes to use */

  char *aArena;              /* key bytes and text values */
  uint64_t nArena, nArenaAlloc;
  GroupKey *aGroup;          /* the distinct keys */
  int64_t nGroup, nGroupAlloc;
  uint32_t *aHash;           /* group number + 1, or 0 for empty */
  uint32_t *aHashOf;         /* hash of each group's key */
  uint64_t nHash;            /* slots in aHash, a power of two */
  int64_t *aRow;             /* rows: (2 + nStore) words each */
  int64_t nRow, nRowAlloc;
  uint32_t *aOrder;          /* after finish: rows in output order */
  char *aScratch;            /* one key being built */
  int64_t nScratchAlloc;
  char *aKeyArena;           /* after finish: keys in output order */
  char *aOut;                /* a DESC text key value, inverted back */
  int64_t nOutAlloc;
};

/* Bytes in use now (the budget's measure). */
int64_t vf_group_bytes(const VfGroupStore *p){
  return (int64_t)p->nArenaAlloc + p->nGroupAlloc*(int64_t)sizeof(GroupKey)
       + (int64_t)p->nHash*8 + p->nRowAlloc*(2+p->nStore)*8
       + (p->aOrder ? p->nRow*4 : 0) + p->nScratchAlloc;
}

int vf_group_new(VfGroupStore **pp, int nVal, const unsigned char *aText,
                 int nKey, const int *aKey, const unsigned char *aDesc,
                 int64_t nBudget){
  VfGroupStore *p;
  int k, j;
  *pp = 0;
  if( nVal>GROUP_MAX_VAL || nKey>nVal || nKey<1 ) return SQLITE_MISUSE;
  p = sqlite3_malloc64(sizeof(*p));
  if( p==0 ) return SQLITE_NOMEM;
  memset(p, 0, sizeof(*p));
  p->nVal = nVal;
  memcpy(p->aText, aText, (size_t)nVal);
  p->nKey = nKey;
  for(k=0; k<nVal; k++) p->aKeyOf[k] = -1;
  for(j=0; j<nKey; j++){
    p->aKey[j] = aKey[j];
    p->aDesc[j] = aDesc[j] ? 1 : 0;
    p->aKeyOf[aKey[j]] = j;
  }
  for(k=0; k<nVal; k++){
    p->aStoreOf[k] = -1;
    if( p->aKeyOf[k]<0 ){
      p->aStoreOf[k] = p->nStore;
      p->aStore[p->nStore++] = k;
    }
  }
  p->nBudget = nBudget;
  *pp = p;
  return SQLITE_OK;
}

void vf_group_free(VfGroupStore *p){
  if( p==0 ) return;
  sqlite3_free(p->aArena);
  sqlite3_free(p->aGroup);
  sqlite3_free(p->aHash);
  sqlite3_free(p->aHashOf);
  sqlite3_free(p->aRow);
  sqlite3_free(p->aOrder);
  sqlite3_free(p->aScratch);
  sqlite3_free(p->aOut);
  sqlite3_free(p->aKeyArena);
  sqlite3_free(p);
}

/*
** Make room for n more bytes in a growing array *pa of *pnAlloc units of
** size sz, of which *pnUsed are used. Doubles, within the budget.
*/
static int group_grow(VfGroupStore *p, void **pa, int64_t *pnAlloc,
                      int64_t nUsed, int64_t nMore, size_t sz){
  int64_t nNew;
  void *aNew;
  if( nUsed+nMore<=*pnAlloc ) return SQLITE_OK;
  nNew = *pnAlloc ? *pnAlloc*2 : 1024;
  while( nNew<nUsed+nMore ) nNew *= 2;
  if( vf_group_bytes(p) + (nNew - *pnAlloc)*(int64_t)sz > p->nBudget ){
    return SQLITE_FULL;
  }
  aNew = sqlite3_realloc64(*pa, (sqlite3_uint64)nNew*sz);
  if( aNew==0 ) return SQLITE_NOMEM;
  *pa = aNew;
  *pnAlloc = nNew;
  return SQLITE_OK;
}

/* Append n bytes to the arena; *piOff gets their offset. */
static int group_arena_add(VfGroupStore *p, const char *z, int n,
                           uint64_t *piOff){
  int64_t nAlloc = (int64_t)p->nArenaAlloc;
  int rc = group_grow(p, (void**)&p->aArena, &nAlloc, (int64_t)p->nArena, n, 1);
  if( rc ) return rc;
  p->nArenaAlloc = (uint64_t)nAlloc;
  if( n ) memcpy(p->aArena + p->nArena, z, (size_t)n);
  *piOff = p->nArena;
  p->nArena += (uint64_t)n;
  return SQLITE_OK;
}

/*
** Write the key of the row aVal into the scratch buffer in its
** order-preserving form. Return its length, or -1 on OOM/budget (*prc).
*/
static int64_t group_key_bytes(VfGroupStore *p, const VfValue *aVal, int *prc){
  int64_t n = 0;
  int j;
  for(j=0; j<p->nKey; j++){
    const VfValue *v = &aVal[p->aKey[j]];
    int64_t nNeed = v->bNull ? 1 : (p->aText[p->aKey[j]] ? 2 + v->n : 9);
    int64_t iStart = n, i;
    unsigned char *z;
    *prc = group_grow(p, (void**)&p->aScratch, &p->nScratchAlloc, n, nNeed, 1);
    if( *prc ) return -1;
    z = (unsigned char*)p->aScratch;
    if( v->bNull ){
      z[n++] = 0x00;
    }else if( p->aText[p->aKey[j]] ){
      z[n++] = 0x01;
      memcpy(z+n, v->z, (size_t)v->n);
      n += v->n;
      z[n++] = 0x00;
    }else{
      uint64_t u = (uint64_t)v->i ^ 0x8000000000000000ULL;
      int b;
      z[n++] = 0x01;
      for(b=7; b>=0; b--) z[n++] = (unsigned char)(u >> (8*b));
    }
    if( p->aDesc[j] ){
      for(i=iStart; i<n; i++) z[i] = (unsigned char)~z[i];
    }
  }
  return n;
}

/* 64-bit FNV-1a, folded to 32 bits. */
static uint32_t group_hash(const char *z, int64_t n){
  uint64_t h = 14695981039346656037ULL;
  int64_t i;
  for(i=0; i<n; i++){
    h ^= (unsigned char)z[i];
    h *= 1099511628211ULL;
  }
  return (uint32_t)(h ^ (h>>32));
}

/* Double the hash table and re-insert every group. */
static int group_rehash(VfGroupStore *p){
  uint64_t nNew = p->nHash ? p->nHash*2 : 4096, i;
  uint32_t *aNew;
  if( vf_group_bytes(p) + (int64_t)(nNew - p->nHash)*8 > p->nBudget ){
    return SQLITE_FULL;
  }
  aNew = sqlite3_malloc64(nNew*sizeof(uint32_t));
  if( aNew==0 ) return SQLITE_NOMEM;
  memset(aNew, 0, nNew*sizeof(uint32_t));
  for(i=0; i<(uint64_t)p->nGroup; i++){
    uint64_t h = p->aHashOf[i] & (nNew-1);
    while( aNew[h] ) h = (h+1) & (nNew-1);
    aNew[h] = (uint32_t)i + 1;
  }
  sqlite3_free(p->aHash);
  p->aHash = aNew;
  {
    uint32_t *aOf = sqlite3_realloc64(p->aHashOf, nNew/2*sizeof(uint32_t));
    if( aOf==0 ) return SQLITE_NOMEM;
    p->aHashOf = aOf;
  }
  p->nHash = nNew;
  return SQLITE_OK;
}

int vf_group_add(VfGroupStore *p, const VfValue *aVal){
  int rc = SQLITE_OK, s;
  int64_t nKey = group_key_bytes(p, aVal, &rc);
  uint32_t h, iGroup;
  uint64_t iSlot;
  int64_t *pRow;
  uint32_t mNull = 0;
  if( nKey<0 ) return rc;
  if( (uint64_t)(p->nGroup+1)*2 > p->nHash ){
    rc = group_rehash(p);
    if( rc ) return rc;
  }
  h = group_hash(p->aScratch, nKey);
  iSlot = h & (p->nHash-1);
  for(;;){
    uint32_t g = p->aHash[iSlot];
    if( g==0 ){
      /* a new group */
      GroupKey *pK;
      uint64_t iOff;
      rc = group_grow(p, (void**)&p->aGroup, &p->nGroupAlloc, p->nGroup, 1,
                      sizeof(GroupKey));
      if( rc==SQLITE_OK ) rc = group_arena_add(p, p->aScratch, (int)nKey, &iOff);
      if( rc ) return rc;
      iGroup = (uint32_t)p->nGroup++;
      pK = &p->aGroup[iGroup];
      pK->iOff = iOff;
      pK->nByte = (uint32_t)nKey;
      pK->nRow = 0;
      p->aHashOf[iGroup] = h;
      p->aHash[iSlot] = iGroup + 1;
      break;
    }
    if( p->aHashOf[g-1]==h && p->aGroup[g-1].nByte==(uint32_t)nKey
     && memcmp(p->aArena + p->aGroup[g-1].iOff, p->aScratch, (size_t)nKey)==0 ){
      iGroup = g-1;
      break;
    }
    iSlot = (iSlot+1) & (p->nHash-1);
  }
  rc = group_grow(p, (void**)&p->aRow, &p->nRowAlloc, p->nRow, 1,
                  (size_t)(2+p->nStore)*8);
  if( rc ) return rc;
  pRow = &p->aRow[p->nRow*(2+p->nStore)];
  for(s=0; s<p->nStore; s++){
    const VfValue *v = &aVal[p->aStore[s]];
    if( v->bNull ){
      mNull |= 1u<<s;
      pRow[2+s] = 0;
    }else if( p->aText[p->aStore[s]] ){
      uint64_t iOff;
      rc = group_arena_add(p, v->z, v->n, &iOff);
      if( rc ) return rc;
      pRow = &p->aRow[p->nRow*(2+p->nStore)];
      pRow[2+s] = GROUP_TEXT(iOff, v->n);
    }else{
      pRow[2+s] = v->i;
    }
  }
  pRow[0] = iGroup;
  pRow[1] = mNull;
  p->aGroup[iGroup].nRow++;
  p->nRow++;
  return SQLITE_OK;
}

/*
** Sorting keys: each entry carries the first 16 key bytes as two
** big-endian words, so most comparisons are two integer compares with no
** trip to the arena; ties fall back to the whole key.
*/
typedef struct GroupSortKey GroupSortKey;
struct GroupSortKey {
  uint64_t a, b;             /* key bytes 0-7 and 8-15, zero-padded */
  uint32_t iGroup;           /* the group */
};

/* Big-endian word of up to 8 bytes of z[0..n-1], zero-padded. */
static uint64_t group_prefix(const unsigned char *z, int64_t n){
  uint64_t u = 0;
  int i;
  for(i=0; i<8; i++) u = (u<<8) | (i<n ? z[i] : 0);
  return u;
}

static int group_cmp(const void *pA, const void *pB, void *pArg){
  const VfGroupStore *p = (const VfGroupStore*)pArg;
  const GroupSortKey *sa = (const GroupSortKey*)pA;
  const GroupSortKey *sb = (const GroupSortKey*)pB;
  const GroupKey *x, *y;
  uint32_t n;
  int c;
  if( sa->a!=sb->a ) return sa->a<sb->a ? -1 : 1;
  if( sa->b!=sb->b ) return sa->b<sb->b ? -1 : 1;
  x = &p->aGroup[sa->iGroup];
  y = &p->aGroup[sb->iGroup];
  n = x->nByte<y->nByte ? x->nByte : y->nByte;
  c = memcmp(p->aArena + x->iOff, p->aArena + y->iOff, n);
  if( c ) return c;
  return x->nByte<y->nByte ? -1 : x->nByte>y->nByte;
}

int vf_group_finish(VfGroupStore *p){
  GroupSortKey *aSorted;
  int64_t i, iPos = 0;
  if( p->nRow==0 ) return SQLITE_OK;
  aSorted = sqlite3_malloc64((sqlite3_uint64)p->nGroup*sizeof(GroupSortKey));
  p->aOrder = sqlite3_malloc64((sqlite3_uint64)p->nRow*sizeof(uint32_t));
  if( aSorted==0 || p->aOrder==0 ){
    sqlite3_free(aSorted);
    return SQLITE_NOMEM;
  }
  for(i=0; i<p->nGroup; i++){
    const unsigned char *z = (const unsigned char*)p->aArena + p->aGroup[i].iOff;
    int64_t n = p->aGroup[i].nByte;
    aSorted[i].a = group_prefix(z, n);
    aSorted[i].b = n>8 ? group_prefix(z+8, n-8) : 0;
    aSorted[i].iGroup = (uint32_t)i;
  }
  qsort_r(aSorted, (size_t)p->nGroup, sizeof(GroupSortKey), group_cmp, p);
  /* nRow of each group becomes the output position of its first row */
  for(i=0; i<p->nGroup; i++){
    GroupKey *pK = &p->aGroup[aSorted[i].iGroup];
    uint32_t n = pK->nRow;
    pK->nRow = (uint32_t)iPos;
    iPos += n;
  }
  for(i=0; i<p->nRow; i++){
    GroupKey *pK = &p->aGroup[p->aRow[i*(2+p->nStore)]];
    p->aOrder[pK->nRow++] = (uint32_t)i;
  }
  sqlite3_free(p->aHash);
  sqlite3_free(p->aHashOf);
  p->aHash = 0;
  p->aHashOf = 0;
  p->nHash = 0;
  /* Lay the rows out in output order, so that SQLite's reading them is a
  ** walk through memory and not a cache miss per value. The gather here
  ** misses too, but in a tight loop whose loads the CPU overlaps. */
  {
    int64_t nWord = 2 + p->nStore;
    int64_t *aNew = sqlite3_malloc64((sqlite3_uint64)(p->nRow*nWord)*8);
    if( aNew ){
      for(i=0; i<p->nRow; i++){
        memcpy(&aNew[i*nWord], &p->aRow[(int64_t)p->aOrder[i]*nWord],
               (size_t)nWord*8);
      }
      sqlite3_free(p->aRow);
      p->aRow = aNew;
      p->nRowAlloc = p->nRow;
      for(i=0; i<p->nRow; i++) p->aOrder[i] = (uint32_t)i;
    }
  }
  /* Keys too, into an arena of their own in output order: each group's
  ** key is then read right after the previous one. */
  {
    char *aKeys = sqlite3_malloc64(p->nGroup ? (sqlite3_uint64)p->nArena : 1);
    if( aKeys ){
      uint64_t iOff = 0;
      for(i=0; i<p->nGroup; i++){
        GroupKey *pK = &p->aGroup[aSorted[i].iGroup];
        memcpy(aKeys + iOff, p->aArena + pK->iOff, pK->nByte);
        pK->iOff = iOff;
        iOff += pK->nByte;
      }
      p->aKeyArena = aKeys;
      /* rows now name their key by its offset: no trip through aGroup */
      for(i=0; i<p->nRow; i++){
        int64_t *pRow = &p->aRow[i*(2+p->nStore)];
        pRow[0] = (int64_t)p->aGroup[pRow[0]].iOff;
      }
    }
  }
  sqlite3_free(aSorted);
  return SQLITE_OK;
}

int64_t vf_group_rows(const VfGroupStore *p){ return p->nRow; }
int64_t vf_group_keys(const VfGroupStore *p){ return p->nGroup; }

/*
** Decode key column j of the key bytes z into *pOut. Text of a DESC
** column is stored inverted: it is inverted back into p->aOut, valid
** until the next call. Return SQLITE_OK or SQLITE_NOMEM.
*/
static int group_key_value(VfGroupStore *p, const unsigned char *z, int j,
                           VfValue *pOut){
  int c;
  memset(pOut, 0, sizeof(*pOut));
  for(c=0; ; c++){
    unsigned char inv = p->aDesc[c] ? 0xFF : 0x00;
    int bText = p->aText[p->aKey[c]];
    if( (z[0]^inv)==0x00 ){                    /* NULL */
      if( c==j ){ pOut->bNull = 1; return SQLITE_OK; }
      z += 1;
    }else if( bText ){
      const unsigned char *zEnd = z+1;
      while( (*zEnd^inv)!=0x00 ) zEnd++;
      if( c==j ){
        int n = (int)(zEnd - z - 1), i;
        if( inv ){
          if( n>p->nOutAlloc ){
            char *a = sqlite3_realloc64(p->aOut, (sqlite3_uint64)n);
            if( a==0 ) return SQLITE_NOMEM;
            p->aOut = a;
            p->nOutAlloc = n;
          }
          for(i=0; i<n; i++) p->aOut[i] = (char)~z[1+i];
          pOut->z = p->aOut;
        }else{
          pOut->z = (const char*)z+1;
        }
        pOut->n = n;
        return SQLITE_OK;
      }
      z = zEnd+1;
    }else{
      if( c==j ){
        uint64_t u = 0;
        int b;
        for(b=1; b<=8; b++) u = (u<<8) | (unsigned char)(z[b]^inv);
        pOut->i = (int64_t)(u ^ 0x8000000000000000ULL);
        return SQLITE_OK;
      }
      z += 9;
    }
  }
}

int vf_group_value(VfGroupStore *p, int64_t iRow, int k, VfValue *pOut){
  const int64_t *pRow = &p->aRow[(int64_t)p->aOrder[iRow]*(2+p->nStore)];
  int j = p->aKeyOf[k];
  if( j>=0 ){
    const unsigned char *zKey = p->aKeyArena ?
        (const unsigned char*)p->aKeyArena + pRow[0] :
        (const unsigned char*)p->aArena + p->aGroup[pRow[0]].iOff;
    return group_key_value(p, zKey, j, pOut);
  }
  memset(pOut, 0, sizeof(*pOut));
  {
    int s = p->aStoreOf[k];
    if( pRow[1] & (1u<<s) ){
      pOut->bNull = 1;
    }else if( p->aText[k] ){
      pOut->z = p->aArena + GROUP_TEXT_OFF(pRow[2+s]);
      pOut->n = GROUP_TEXT_LEN(pRow[2+s]);
    }else{
      pOut->i = pRow[2+s];
    }
  }
  return SQLITE_OK;
}
