/*
** test_big.c - a file over 4 GiB reads whole: 4.9 GiB of flow log lines
** pass through a FIFO (no disk needed) into the reader, and every line
** and byte is counted past the 32-bit limits (offsets and line numbers
** are 64-bit throughout, from the reader to log_line). About 3 s.
*/
#include "test.h"
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include "reader.h"

#define BIG_LINE "2 123456789012 eni-0123456789abcdef0 10.0.1.2 172.16.3.4 " \
                 "49152 443 6 10 8400 1700000000 1700000060 ACCEPT OK\n"
#define BIG_BLOCK_LINES 8192
#define BIG_BLOCKS      6000      /* 6000 * 8192 lines * 107 B = 5.3e9 B */

static char zFifo[128];

/* Write BIG_BLOCKS blocks of BIG_BLOCK_LINES lines into the FIFO. */
static void *big_writer(void *pArg){
  size_t nLine = strlen(BIG_LINE), i;
  char *aBlock = malloc(nLine*BIG_BLOCK_LINES);
  FILE *f = fopen(zFifo, "wb");
  int b;
  (void)pArg;
  if( aBlock==0 || f==0 ){ free(aBlock); if( f ) fclose(f); return 0; }
  for(i=0; i<BIG_BLOCK_LINES; i++) memcpy(aBlock + i*nLine, BIG_LINE, nLine);
  for(b=0; b<BIG_BLOCKS; b++){
    if( fwrite(aBlock, nLine, BIG_BLOCK_LINES, f)!=BIG_BLOCK_LINES ) break;
  }
  fclose(f);
  free(aBlock);
  return 0;
}

static void test_over_4gib(void **state){
  pthread_t thr;
  VfReader *p = 0;
  char zErr[300];
  const char *z;
  size_t n;
  int64_t nLine = 0;
  uint64_t nByte = 0;
  int rc;
  (void)state;
  snprintf(zFifo, sizeof(zFifo), "/tmp/vpcflow-big-%d.fifo", (int)getpid());
  unlink(zFifo);
  assert_int_equal(mkfifo(zFifo, 0600), 0);
  assert_int_equal(pthread_create(&thr, 0, big_writer, 0), 0);
  assert_int_equal(vf_reader_open(zFifo, &p, zErr, sizeof(zErr)), 0);
  while( (rc = vf_reader_next(p, &z, &n))!=VF_LINE_EOF ){
    if( rc==VF_LINE_AGAIN ) continue;
    assert_int_equal(rc, VF_LINE_OK);
    nLine++;
    nByte += n + 1;
    if( n!=strlen(BIG_LINE)-1 ) fail_msg("line %lld has %zu bytes", (long long)nLine, n);
  }
  assert_true(nLine==(int64_t)BIG_BLOCKS*BIG_BLOCK_LINES);
  assert_true(vf_reader_lineno(p)==nLine);
  assert_true(nByte==(uint64_t)BIG_BLOCKS*BIG_BLOCK_LINES*strlen(BIG_LINE));
  assert_true(nByte > ((uint64_t)1<<32) + ((uint64_t)1<<29));
  assert_true(vf_reader_offset(p)==nByte);
  vf_reader_close(p);
  pthread_join(thr, 0);
  unlink(zFifo);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_over_4gib),
  };
  signal(SIGPIPE, SIG_IGN);
  return cmocka_run_group_tests(tests, 0, 0);
}
