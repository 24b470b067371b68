/*
** fuzz_s3.c - libFuzzer harness for what ext/s3.c reads from the network
** and from the user without libcurl's help: a ListObjectsV2 page
** (vf_s3_parse_page) and a glob against a key (vf_s3_glob_match).
**
** Usage:
**
**   make fuzz FUZZ_NAMES=s3        (builds build/fuzz/fuzz_s3)
**   build/fuzz/fuzz_s3 -dict=tests/fuzz/s3.dict CORPUS_DIR
**
** HOW IT CHECKS. The page is given as a heap copy of exactly its bytes
** (no NUL after them, so ASan sees any read past the end). Every key
** handed to the callback must be NUL-terminated within the input's
** length (decoding only shortens), and the token buffer is never
** overrun (ASan) and always terminated. Then the input split at its first
** '\n' is a pattern and a key: a pattern with no glob or escape character
** ('*', '?', '[', '\') must match exactly the key equal to it whose
** segments are all non-empty, and nothing else.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "s3.h"

#define CHECK(x) do{ if( !(x) ){ \
  fprintf(stderr, "fuzz_s3: %s:%d: check failed: %s\n", \
          __FILE__, __LINE__, #x); abort(); } }while(0)

static size_t gMax;           /* the page's length: no key is longer */

static int key_cb(void *pArg, const char *zKey, int64_t nSize){
  (void)pArg;
  CHECK( strnlen(zKey, gMax+1)<=gMax );
  CHECK( nSize>=-1 && nSize<(int64_t)1000000000000000000LL );
  return 0;
}

/* 1 if every '/'-separated segment of z is non-empty */
static int segs_nonempty(const char *z){
  if( z[0]==0 || z[0]=='/' ) return 0;
  if( strstr(z, "//") ) return 0;
  return z[strlen(z)-1]!='/';
}

int LLVMFuzzerTestOneInput(const uint8_t *aData, size_t nData){
  char *a = malloc(nData ? nData : 1);
  char zTok[64];
  int bTrunc = -1;
  const char *zNl;
  if( a==0 ) return 0;
  memcpy(a, aData, nData);
  gMax = nData;
  CHECK( vf_s3_parse_page(a, nData, key_cb, 0, &bTrunc, zTok, sizeof(zTok))==0 );
  CHECK( bTrunc==0 || bTrunc==1 );
  CHECK( memchr(zTok, 0, sizeof(zTok))!=0 );
  free(a);

  zNl = memchr(aData, '\n', nData);
  if( zNl && nData<4096 ){
    size_t nP = (size_t)(zNl - (const char*)aData);
    char *zPat = strndup((const char*)aData, nP);
    char *zKey = strndup(zNl+1, nData-nP-1);
    if( zPat && zKey && strlen(zPat)==nP && strlen(zKey)==nData-nP-1 ){
      int bMatch = vf_s3_glob_match(zPat, zKey);
      CHECK( bMatch==0 || bMatch==1 );
      if( strpbrk(zPat, "*?[\\")==0 ){
        CHECK( bMatch==(strcmp(zPat, zKey)==0 && segs_nonempty(zKey)) );
      }
    }
    free(zPat);
    free(zKey);
  }
  return 0;
}
