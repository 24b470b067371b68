/*
** replay.c - a main() for the fuzz harnesses without libFuzzer: feed each
** file named on the command line to LLVMFuzzerTestOneInput once. Used by
** `make coverage` to count what the committed corpora reach, with gcc's
** --coverage instead of clang's fuzzer instrumentation.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *aData, size_t nData);
int LLVMFuzzerInitialize(int *pArgc, char ***pArgv) __attribute__((weak));

int main(int argc, char **argv){
  int i;
  if( LLVMFuzzerInitialize ) LLVMFuzzerInitialize(&argc, &argv);
  for(i=1; i<argc; i++){
    FILE *f = fopen(argv[i], "rb");
    long n;
    unsigned char *a;
    if( f==0 ){ perror(argv[i]); return 1; }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    a = malloc(n>0 ? (size_t)n : 1);
    if( a==0 || (n>0 && fread(a, 1, (size_t)n, f)!=(size_t)n) ){
      fclose(f);
      free(a);
      return 1;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(a, (size_t)n);
    free(a);
  }
  return 0;
}
