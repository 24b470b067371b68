/*
** fuzz_addr.c - libFuzzer harness for the address parser (ext/ipaddr.c)
** shared by the network functions and the ip_in_cidr() push-down.
**
** Usage:
**
**   make fuzz                      (builds build/fuzz/fuzz_addr)
**   build/fuzz/fuzz_addr -dict=tests/fuzz/addr.dict CORPUS_DIR
**
** Each input is one address text, given to vf_addr_parse() as a heap copy
** of exactly its bytes (no NUL after them, so ASan sees any read past the
** end).
**
** HOW IT CHECKS. The reference is the C library's inet_pton(), written
** and tested apart from this project: AF_INET6 when the text holds a ':',
** else AF_INET (dotted quad, no leading zeros, each part 0-255), an IPv4
** result mapped to ::ffff:a.b.c.d. vf_addr_parse() must accept exactly
** the texts inet_pton() accepts, up to its limit of 45 bytes (the longest
** IPv6 text, with an IPv4 tail), and give the same 16 bytes. Then the
** input as "address/len" for vf_cidr_parse(): a valid address with a
** prefix of 0 to 32 (IPv4) or 0 to 128 (IPv6) digits-only length is a
** block that contains the address itself, and never anything else is
** accepted when the address part is not one.
*/
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ipaddr.h"

#define CHECK(x) do{ if( !(x) ){ \
  fprintf(stderr, "fuzz_addr: %s:%d: check failed: %s\n", \
          __FILE__, __LINE__, #x); abort(); } }while(0)

/* The longest address text vf_addr_parse() takes */
#define ADDR_MAXLEN 45

/* inet_pton() of z[0..n-1] into a16 (IPv4 mapped): 0 if it accepts. */
static int ref_parse(const char *z, size_t n, unsigned char *a16){
  char zBuf[ADDR_MAXLEN+1];
  if( n==0 || n>ADDR_MAXLEN || memchr(z, 0, n) ) return 1;
  memcpy(zBuf, z, n);
  zBuf[n] = 0;
  if( memchr(z, ':', n) ){
    return inet_pton(AF_INET6, zBuf, a16)==1 ? 0 : 1;
  }
  memset(a16, 0, 10);
  a16[10] = a16[11] = 0xff;
  return inet_pton(AF_INET, zBuf, a16+12)==1 ? 0 : 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *aData, size_t nData){
  unsigned char aGot[16], aWant[16];
  char *z = malloc(nData ? nData : 1);
  int rGot, rWant;
  CHECK( z!=0 );
  memcpy(z, aData, nData);
  rGot = vf_addr_parse(z, (int)nData, aGot);
  rWant = ref_parse(z, nData, aWant);
  CHECK( rGot==rWant );
  if( rGot==0 ) CHECK( memcmp(aGot, aWant, 16)==0 );

  /* as a CIDR block: the address, then "/len" chosen from the input */
  if( nData<=ADDR_MAXLEN ){
    char zC[ADDR_MAXLEN + 8];
    int bV4 = rWant==0 && memcmp(aWant, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12)==0
              && memchr(z, ':', nData)==0;
    int nMax = bV4 ? 32 : 128;
    int nBit = nData ? aData[0] % (nMax+2) : 0;  /* nMax+1 is one too many */
    int nC;
    memcpy(zC, z, nData);                 /* (a NUL byte stays in too) */
    nC = (int)nData + snprintf(zC+nData, sizeof(zC)-nData, "/%d", nBit);
    VfCidr cidr;
    int rC = vf_cidr_parse(zC, nC, &cidr);
    if( rWant!=0 ){
      CHECK( rC!=0 );
    }else if( nBit<=nMax ){
      CHECK( rC==0 );
      CHECK( cidr.nBit==(bV4 ? 96+nBit : nBit) );
      CHECK( vf_cidr_contains(&cidr, aWant) );
    }else{
      CHECK( rC!=0 );
    }
  }
  free(z);
  return 0;
}
