/*
** fuzz_format.c - libFuzzer harness for the log format parser and the
** header detection of vpcflow (ext/parse.c, ext/catalog.c).
**
** Usage:
**
**   make fuzz                      (builds build/fuzz/fuzz_format)
**   build/fuzz/fuzz_format -dict=tests/fuzz/vpcflow.dict CORPUS_DIR
**
** Each input is a format argument ("${version} ${srcaddr} ...", or a plain
** list of names) and, at the same time, a candidate header line. The
** format goes to vf_parse_format() with the room vtab.c gives it and with
** a smaller room taken from the input, and with an error buffer of
** exactly its size. The line goes through the header test vf_is_header
** (a first token the catalog knows, every token shaped like a name),
** checked against that rule, and every token is looked up in the
** catalog, as the virtual table does when it sets a layout.
**
** HOW IT CHECKS. On success every span must lie inside the input, be a
** field name and be written either bare or as ${name}; the count must
** not exceed the room. On failure the message must be a NUL-terminated
** string inside its buffer, and valid UTF-8 if the input is. A catalog hit must name a field whose AWS
** name matches the token with '-' and '_' taken as equal.
**
** The input also goes, as a NUL-terminated path, to the S3 key readers
** of source.c (vf_source_key_date, vf_source_key_time), whose results
** must be real dates and times.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"
#include "catalog.h"
#include "source.h"
#include "fuzz_utf8.h"

#define CHECK(x) do{ if( !(x) ){ \
  fprintf(stderr, "fuzz_format: %s:%d: check failed: %s\n", \
          __FILE__, __LINE__, #x); abort(); } }while(0)

/* Size of the error buffer vtab.c passes to vf_parse_format(). */
#define VTAB_NERR 160

/* 1 if the catalog's AWS name zName equals z[0..n-1], '-' == '_'. */
static int name_eq(const char *zName, const char *z, size_t n){
  size_t i;
  if( strlen(zName)!=n ) return 0;
  for(i=0; i<n; i++){
    char a = zName[i]=='_' ? '-' : zName[i];
    char b = z[i]=='_' ? '-' : z[i];
    if( a!=b ) return 0;
  }
  return 1;
}

/* Look z[0..n-1] up in the catalog and check the answer. */
static int check_find(const char *z, size_t n){
  int i = vf_catalog_find(z, n);
  CHECK( i>=-1 && i<vf_catalog_count() );
  if( i>=0 ) CHECK( name_eq(vf_catalog_field(i)->zName, z, n) );
  return i;
}

/*
** Parse z[0..n-1] as a format with room for nMax fields and an error
** buffer of nErr bytes, both heap arrays of exactly that size.
*/
static void check_format(const char *z, size_t n, int nMax, size_t nErr){
  VfSpan *a = malloc(sizeof(VfSpan)*(size_t)(nMax>0 ? nMax : 1));
  char *zErr = malloc(nErr);
  int nFld, i;
  CHECK( a!=0 && zErr!=0 );
  memset(zErr, 'x', nErr);
  nFld = vf_parse_format(z, n, a, nMax, zErr, nErr);
  if( nFld<0 ){
    CHECK( nFld==-1 );
    CHECK( memchr(zErr, 0, nErr)!=0 );
    /* With the table's room, a message about valid UTF-8 is valid UTF-8:
    ** quoting must not cut a character. */
    if( nErr>=VTAB_NERR && is_utf8(z, n) ) CHECK( is_utf8(zErr, strlen(zErr)) );
  }else{
    CHECK( nFld>=1 && nFld<=nMax && nFld<=VF_MAX_FIELDS );
    for(i=0; i<nFld; i++){
      size_t iOff = a[i].iOff, nLen = a[i].nLen;
      CHECK( nLen>0 && iOff+nLen<=n );
      CHECK( vf_is_name(z+iOff, nLen) );
      /* bare, or exactly ${name} */
      if( iOff>=2 && z[iOff-2]=='$' && z[iOff-1]=='{' ){
        CHECK( iOff+nLen<n && z[iOff+nLen]=='}' );
      }else{
        /* after a separator: any byte 0x20 or below (vf_split) */
        CHECK( iOff==0 || (unsigned char)z[iOff-1]<=0x20 );
      }
      check_find(z+iOff, nLen);
    }
  }
  free(a);
  free(zErr);
}

/*
** The header test (vf_is_header) against its contract, checking every
** catalog lookup on the way.
*/
static int check_header(const char *z, size_t n){
  VfSpan aTok[VF_MAX_FIELDS];
  int nTok = vf_split(z, n, aTok, VF_MAX_FIELDS), i, bHeader;
  if( nTok<1 || nTok>VF_MAX_FIELDS ){
    CHECK( vf_is_header(z, aTok, nTok)==0 );
    return 0;
  }
  bHeader = check_find(z+aTok[0].iOff, aTok[0].nLen)>=0;
  for(i=0; i<nTok; i++){
    int bName = vf_is_name(z+aTok[i].iOff, aTok[i].nLen);
    int iCat = check_find(z+aTok[i].iOff, aTok[i].nLen);
    /* every catalog name is itself shaped like a name */
    if( iCat>=0 ) CHECK( bName );
    if( !bName ) bHeader = 0;
  }
  CHECK( vf_is_header(z, aTok, nTok)==bHeader );
  /* A CloudWatch export line is never taken for a header. */
  if( bHeader ) CHECK( !vf_is_cw_timestamp(z+aTok[0].iOff, aTok[0].nLen) );
  return bHeader;
}

/* The S3 key readers on z, a NUL-terminated path. */
static void check_key(const char *z){
  int y = 0, m = 0, d = 0;
  int64_t t = -1;
  if( vf_source_key_date(z, &y, &m, &d) ){
    CHECK( y>=1970 && y<=9999 && m>=1 && m<=12 && d>=1 && d<=31 );
  }
  if( vf_source_key_time(z, &t) ){
    /* 1970-01-01 to 9999-12-31 23:59, on a whole minute */
    CHECK( t>=0 && t<=253402300740LL && t%60==0 );
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *aData, size_t nData){
  char *z = malloc(nData ? nData : 1);    /* exactly the input */
  char *zPath = malloc(nData+1);           /* the input as a C string */
  CHECK( z!=0 && zPath!=0 );
  memcpy(z, aData, nData);
  check_format(z, nData, VF_MAX_FIELDS, VTAB_NERR);
  check_format(z, nData, (int)(nData % 17), 1 + nData % 40);
  check_header(z, nData);
  memcpy(zPath, aData, nData);
  zPath[nData] = 0;
  check_key(zPath);
  free(z);
  free(zPath);
  return 0;
}
