/*
** fuzz_utf8.h - a check the fuzz harnesses share: is a message valid
** UTF-8? (Every text vpcflow returns must be: Python's sqlite3 cannot
** even raise an error whose text is not.)
*/
#ifndef VPCFLOW_FUZZ_UTF8_H
#define VPCFLOW_FUZZ_UTF8_H

#include <stddef.h>
#include "parse.h"

/* 1 if z[0..n-1] is valid UTF-8 (control characters allowed). */
static int is_utf8(const char *z, size_t n){
  size_t i = 0;
  while( i<n ){
    int bUtf8 = 0;
    size_t iBad = vf_check_text(z+i, n-i, &bUtf8);
    if( iBad==0 ) return 1;
    if( bUtf8 ) return 0;
    i += iBad;                         /* a control byte: go on after it */
  }
  return 1;
}

#endif /* VPCFLOW_FUZZ_UTF8_H */
