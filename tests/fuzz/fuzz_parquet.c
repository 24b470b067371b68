/*
** fuzz_parquet.c - libFuzzer harness for the Parquet reader
** (ext/parquet.c): footer (Thrift compact), schema, page headers, page
** decompression (gzip, snappy, zstd when built with libzstd; other codecs
** refused at open) and value decoding (PLAIN, dictionary,
** RLE/bit-packed, DELTA_*), column selection and row group pruning.
**
** Usage:
**
**   make fuzz FUZZ_NAMES=parquet        (builds build/fuzz/fuzz_parquet)
**   build/fuzz/fuzz_parquet -dict=tests/fuzz/parquet.dict CORPUS_DIR
**
** INPUT LAYOUT. The input is the file, as is: the seeds are real Parquet
** files (tests/fuzz/corpus/parquet/, copied from fixtures/parquet/), so
** mutations keep the magic and mostly keep a parseable footer. What the
** reader is asked for is chosen from the input's length, so that the same
** input always takes the same path:
**
**   nData % 5   0: every column          1: the first column only
**               2: prune start (seconds and milliseconds) and dstport
**               3: prune action = 'ACCEPT' (text statistics)
**               4: no column at all (rows of "-")
**
** The file is written to a per-process path under /tmp, read to the end
** and removed.
**
** HOW IT CHECKS. Every result must keep the contract of parquet.h: rows
** are VF_LINE_OK or VF_PARQUET_BADROW until one VF_LINE_EOF or
** VF_LINE_ERROR, which then repeats; a message exists exactly after
** ERROR and names the file; a row is at most VF_READER_MAX_LINE bytes,
** has no byte below '!' other than single spaces, and exactly one token
** per column; row numbers advance by one and never pass the footer's row
** count. ASan/UBSan catch the rest; -rss_limit_mb catches runaway memory.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "parquet.h"

#define CHECK(x) do{ if( !(x) ){ \
  fprintf(stderr, "fuzz_parquet: %s:%d: check failed: %s\n", \
          __FILE__, __LINE__, #x); abort(); } }while(0)

static char zPath[64];         /* this process's temporary file */

/* Write a[0..n-1] to zPath. */
static void write_file(const uint8_t *a, size_t n){
  FILE *f = fopen(zPath, "wb");
  CHECK( f!=0 );
  CHECK( n==0 || fwrite(a, 1, n, f)==n );
  CHECK( fclose(f)==0 );
}

/* Check that z[0..n-1] is a row of nCol space-separated tokens. */
static void check_row(const char *z, size_t n, int nCol){
  size_t i;
  int nTok = 1;
  CHECK( n>0 && n<=VF_READER_MAX_LINE );
  CHECK( z[0]!=' ' && z[n-1]!=' ' );
  for(i=0; i<n; i++){
    unsigned char c = (unsigned char)z[i];
    if( c==' ' ){
      CHECK( z[i+1]!=' ' );
      nTok++;
    }else{
      CHECK( c>' ' );
    }
  }
  CHECK( nTok==nCol );
}

int LLVMFuzzerInitialize(int *pArgc, char ***pArgv){
  (void)pArgc; (void)pArgv;
  snprintf(zPath, sizeof(zPath), "/tmp/vpcflow-fuzz-parquet-%d.parquet",
           (int)getpid());
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *aData, size_t nData){
  char zErr[256];
  VfParquet *p = 0;
  const char *z;
  size_t n;
  int e, k, nCol, eMode = (int)(nData % 5);
  int64_t iRow = 0;

  write_file(aData, nData);
  if( vf_parquet_open(zPath, &p, zErr, sizeof(zErr)) ){
    CHECK( p==0 );
    CHECK( strncmp(zErr, "'/tmp/vpcflow-fuzz-parquet-", 27)==0 );
    unlink(zPath);
    return 0;
  }
  CHECK( p!=0 );
  nCol = vf_parquet_column_count(p);
  CHECK( nCol>0 && nCol<=VF_PARQUET_MAX_COLUMNS );
  vf_parquet_header(p, &z, &n);
  check_row(z, n, nCol);
  switch( eMode ){
    case 1: {
      const char *az[1];
      az[0] = vf_parquet_column_name(p, 0);
      CHECK( vf_parquet_select(p, az, 1)>=1 );
      break;
    }
    case 2:
      vf_parquet_prune_epoch(p, "start", 1600000000, 1600003600);
      vf_parquet_prune(p, "dstport", 0, 1024);
      break;
    case 3:
      vf_parquet_prune_text(p, "action", "ACCEPT", "ACCEPT");
      break;
    case 4: {
      const char *az[1] = { 0 };
      CHECK( vf_parquet_select(p, az, 0)==0 );
      break;
    }
    default:
      CHECK( vf_parquet_select(p, 0, 0)==nCol );   /* every column */
      break;
  }
  while( 1 ){
    e = vf_parquet_next_row(p, &z, &n);
    if( e==VF_LINE_EOF || e==VF_LINE_ERROR ) break;
    CHECK( e==VF_LINE_OK || e==VF_PARQUET_BADROW );
    CHECK( vf_parquet_rowno(p)>iRow );
    iRow = vf_parquet_rowno(p);
    CHECK( iRow<=vf_parquet_row_count(p) );
    CHECK( vf_parquet_errmsg(p)[0]==0 );
    if( e==VF_LINE_OK ){
      check_row(z, n, nCol);
    }else{
      CHECK( n>0 && strncmp(z, "Parquet ", 8)==0 );
    }
  }
  if( e==VF_LINE_ERROR ){
    CHECK( strncmp(vf_parquet_errmsg(p),
                   "'/tmp/vpcflow-fuzz-parquet-", 27)==0 );
  }else{
    CHECK( vf_parquet_errmsg(p)[0]==0 );
  }
  for(k=0; k<2; k++){
    CHECK( vf_parquet_next_row(p, &z, &n)==e && n==0 );
  }
  CHECK( vf_parquet_groups_skipped(p)<=vf_parquet_group_count(p) );
  vf_parquet_close(p);
  unlink(zPath);
  return 0;
}
