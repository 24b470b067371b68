/*
** filter.c - constraint terms tested inside the scan (see filter.h).
**
** The comparisons follow SQLite's rules for a column with INTEGER or TEXT
** affinity against a constant: a text constant that looks like a number
** is compared as that number with an INTEGER column; text columns compare
** bytes (BINARY collation; plan.c pushes nothing else). Anything outside
** these cases passes every row and SQLite decides.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <stdlib.h>
#include <string.h>
#include "filter.h"

char vf_filter_op(unsigned char eOp){
  switch( eOp ){
    case SQLITE_INDEX_CONSTRAINT_EQ:        return VF_OP_EQ;
    case SQLITE_INDEX_CONSTRAINT_LT:        return VF_OP_LT;
    case SQLITE_INDEX_CONSTRAINT_LE:        return VF_OP_LE;
    case SQLITE_INDEX_CONSTRAINT_GT:        return VF_OP_GT;
    case SQLITE_INDEX_CONSTRAINT_GE:        return VF_OP_GE;
    case SQLITE_INDEX_CONSTRAINT_ISNULL:    return VF_OP_ISNULL;
    case SQLITE_INDEX_CONSTRAINT_ISNOTNULL: return VF_OP_NOTNULL;
  }
  return 0;
}

/*
** The constant pVal as an INTEGER column would compare it: set *piVal or
** *prVal and return SQLITE_INTEGER or SQLITE_FLOAT; return 0 for values
** that stay text, blob or NULL. -1 on OOM.
*/
static int filter_numeric(sqlite3_value *pVal, int64_t *piVal, double *prVal){
  sqlite3_value *pDup = sqlite3_value_dup(pVal);
  int eType;
  if( pDup==0 ) return -1;
  /* numeric_type applies numeric affinity in place: do it on a copy */
  eType = sqlite3_value_numeric_type(pDup);
  if( eType==SQLITE_INTEGER ){
    *piVal = sqlite3_value_int64(pDup);
  }else if( eType==SQLITE_FLOAT ){
    *prVal = sqlite3_value_double(pDup);
  }else{
    eType = 0;
  }
  sqlite3_value_free(pDup);
  return eType;
}

static int cmp_int64(const void *a, const void *b){
  int64_t x = *(const int64_t*)a, y = *(const int64_t*)b;
  return x<y ? -1 : x>y;
}

/* Compare bytes a[0..na-1] with b[0..nb-1] as BINARY collation does. */
static int cmp_bytes(const char *a, size_t na, const char *b, size_t nb){
  int c = memcmp(a, b, na<nb ? na : nb);
  if( c ) return c;
  return na<nb ? -1 : na>nb;
}

static int cmp_in_text(const void *a, const void *b){
  const VfText *x = (const VfText*)a, *y = (const VfText*)b;
  return cmp_bytes(x->z, (size_t)x->n, y->z, (size_t)y->n);
}

/*
** Read the IN list into p. Values that can never equal a column value of
** this type (NULL; non-numeric text against integers) are left out.
*/
static int filter_in_list(VfTerm *p, sqlite3_value *pList){
  sqlite3_value *pX = 0;
  int rc, nAlloc = 0;
  for(rc=sqlite3_vtab_in_first(pList, &pX); rc==SQLITE_OK && pX;
      rc=sqlite3_vtab_in_next(pList, &pX)){
    if( p->nIn>=nAlloc ){
      int nNew = nAlloc ? nAlloc*2 : 16;
      if( p->bInt ){
        int64_t *a = sqlite3_realloc64(p->aInInt, sizeof(int64_t)*nNew);
        if( a==0 ) return SQLITE_NOMEM;
        p->aInInt = a;
      }else{
        VfText *a = sqlite3_realloc64(p->aInText, sizeof(VfText)*nNew);
        if( a==0 ) return SQLITE_NOMEM;
        p->aInText = a;
      }
      nAlloc = nNew;
    }
    if( p->bInt ){
      int64_t iVal = 0;
      double rVal = 0;
      int e = filter_numeric(pX, &iVal, &rVal);
      if( e<0 ) return SQLITE_NOMEM;
      if( e==SQLITE_FLOAT ){
        /* only an integral REAL can equal an integer */
        if( rVal<-9.2e18 || rVal>9.2e18 || (double)(int64_t)rVal!=rVal ){
          continue;
        }
        iVal = (int64_t)rVal;
      }else if( e!=SQLITE_INTEGER ){
        if( sqlite3_value_type(pX)==SQLITE_BLOB ){ p->bPassAll = 1; }
        continue;
      }
      p->aInInt[p->nIn++] = iVal;
    }else{
      int eType = sqlite3_value_type(pX);
      if( eType==SQLITE_NULL ) continue;
      if( eType!=SQLITE_TEXT ){
        /* numbers against a TEXT column: leave it to SQLite */
        p->bPassAll = 1;
        continue;
      }
      {
        VfText *pT = &p->aInText[p->nIn];
        pT->n = sqlite3_value_bytes(pX);
        pT->z = sqlite3_malloc64((sqlite3_uint64)pT->n+1);
        if( pT->z==0 ) return SQLITE_NOMEM;
        memcpy(pT->z, sqlite3_value_text(pX), (size_t)pT->n);
        p->nIn++;
      }
    }
  }
  if( rc!=SQLITE_OK && rc!=SQLITE_DONE ) return rc;
  if( p->bInt ){
    if( p->nIn ) qsort(p->aInInt, (size_t)p->nIn, sizeof(int64_t), cmp_int64);
  }else if( p->nIn>1 ){
    qsort(p->aInText, (size_t)p->nIn, sizeof(VfText), cmp_in_text);
  }
  return SQLITE_OK;
}

int vf_term_init(VfTerm *p, int iSlot, char op, int bInt, sqlite3_value *pVal){
  memset(p, 0, sizeof(*p));
  p->iSlot = iSlot;
  p->op = op;
  p->bInt = (char)bInt;
  if( op==VF_OP_ISNULL || op==VF_OP_NOTNULL ) return SQLITE_OK;
  if( op==VF_OP_IN ) return filter_in_list(p, pVal);
  if( op==VF_OP_CIDR ){
    /* A CIDR ip_in_cidr() would refuse: let SQLite call it and fail. */
    const char *z = (const char*)sqlite3_value_text(pVal);
    if( sqlite3_value_type(pVal)!=SQLITE_TEXT || z==0
     || vf_cidr_parse(z, sqlite3_value_bytes(pVal), &p->cidr) ){
      p->bPassAll = 1;
    }
    return SQLITE_OK;
  }
  if( bInt ){
    int e = filter_numeric(pVal, &p->iVal, &p->rVal);
    if( e<0 ) return SQLITE_NOMEM;
    if( e==SQLITE_FLOAT ) p->bReal = 1;
    if( e==0 ) p->bPassAll = 1;      /* int vs text/blob/NULL: SQLite's call */
  }else if( sqlite3_value_type(pVal)==SQLITE_TEXT ){
    p->nVal = sqlite3_value_bytes(pVal);
    p->zVal = sqlite3_malloc64((sqlite3_uint64)p->nVal+1);
    if( p->zVal==0 ) return SQLITE_NOMEM;
    memcpy(p->zVal, sqlite3_value_text(pVal), (size_t)p->nVal);
    p->zVal[p->nVal] = 0;
  }else{
    p->bPassAll = 1;                  /* text column vs a number or NULL */
  }
  return SQLITE_OK;
}

void vf_term_clear(VfTerm *p){
  int i;
  if( p->aInText ){
    for(i=0; i<p->nIn; i++) sqlite3_free(p->aInText[i].z);
  }
  sqlite3_free(p->aInText);
  sqlite3_free(p->aInInt);
  sqlite3_free(p->zVal);
  memset(p, 0, sizeof(*p));
}

/* 1 if comparison result c (<0, 0, >0 for row vs constant) satisfies op. */
static int filter_cmp_ok(char op, int c){
  switch( op ){
    case VF_OP_EQ: return c==0;
    case VF_OP_LT: return c<0;
    case VF_OP_LE: return c<=0;
    case VF_OP_GT: return c>0;
    default:       return c>=0;      /* VF_OP_GE */
  }
}

int vf_term_test(const VfTerm *p, int bNull, int64_t iVal,
                 const char *z, size_t n){
  int c;
  if( p->bPassAll ) return 1;
  if( p->op==VF_OP_ISNULL ) return bNull;
  if( p->op==VF_OP_NOTNULL ) return !bNull;
  if( bNull ) return 0;                 /* NULL compares to nothing */
  if( p->op==VF_OP_CIDR ){
    unsigned char a[16];
    /* An address ip_in_cidr() cannot parse is an error it must raise:
    ** pass the row so that SQLite calls it. */
    if( vf_addr_parse(z, (int)n, a) ) return 1;
    return vf_cidr_contains(&p->cidr, a);
  }
  if( p->op==VF_OP_IN ){
    int lo = 0, hi = p->nIn-1;
    while( lo<=hi ){
      int mid = (lo+hi)/2;
      if( p->bInt ){
        c = iVal<p->aInInt[mid] ? -1 : iVal>p->aInInt[mid];
      }else{
        c = cmp_bytes(z, n, p->aInText[mid].z, (size_t)p->aInText[mid].n);
      }
      if( c==0 ) return 1;
      if( c<0 ) hi = mid-1; else lo = mid+1;
    }
    return 0;
  }
  if( p->bInt ){
    if( p->bReal ){
      /* doubles hold integers exactly only up to 2^53: beyond, pass */
      if( iVal>9007199254740992LL || iVal<-9007199254740992LL ) return 1;
      c = (double)iVal<p->rVal ? -1 : (double)iVal>p->rVal;
    }else{
      c = iVal<p->iVal ? -1 : iVal>p->iVal;
    }
  }else{
    c = cmp_bytes(z, n, p->zVal, (size_t)p->nVal);
  }
  return filter_cmp_ok(p->op, c);
}

void vf_term_bounds(const VfTerm *p, int64_t *pLo, int64_t *pHi){
  int64_t lo = INT64_MIN, hi = INT64_MAX;
  if( p->bPassAll || !p->bInt ) return;
  if( p->op==VF_OP_IN ){
    if( p->nIn==0 ){ lo = 1; hi = 0; }
    else{ lo = p->aInInt[0]; hi = p->aInInt[p->nIn-1]; }
  }else if( p->bReal ){
    /* widen to whole numbers on the safe side */
    double r = p->rVal;
    if( r>-9.2e18 && r<9.2e18 ){
      int64_t v = (int64_t)r;        /* toward zero */
      if( p->op==VF_OP_EQ || p->op==VF_OP_GT || p->op==VF_OP_GE ) lo = v-1;
      if( p->op==VF_OP_EQ || p->op==VF_OP_LT || p->op==VF_OP_LE ) hi = v+1;
    }
  }else{
    switch( p->op ){
      case VF_OP_EQ: lo = hi = p->iVal; break;
      case VF_OP_GT: case VF_OP_GE: lo = p->iVal; break;
      case VF_OP_LT: case VF_OP_LE: hi = p->iVal; break;
      default: break;
    }
  }
  if( lo>*pLo ) *pLo = lo;
  if( hi<*pHi ) *pHi = hi;
}
