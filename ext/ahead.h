/*
** ahead.h - parse the lines of a plain file on both cores.
**
** The query thread reads a plain file in blocks of whole lines
** (vf_reader_block()) and queues them here. A worker thread parses queued
** blocks ahead of the query thread, which parses one itself whenever it
** would otherwise wait, and takes the blocks back in file order. For each
** line a parsed block holds a record: where the line is and, for an
** ordinary data line of the current layout, the token spans and integer
** values the statement uses, already checked. Every other line (blank, a
** header, a wrong field count, a value that is not a number or out of
** range, control bytes, a CloudWatch timestamp or Firehose wrapper in
** front, a line over VF_READER_MAX_LINE) is only marked VF_AHEAD_SLOW: the
** query thread sends it down the one-line path, which decides what it is
** and says what is wrong with it. So nothing the user sees is decided
** here; the worker only takes the common case off the query thread.
**
** Pure C and pthreads: memory comes from sqlite3_malloc64() in
** vf_ahead_open(), on the caller's thread, and the worker calls nothing of
** SQLite's, so unit tests drive this directly. One VfAhead serves one
** cursor, one file at a time.
*/
#ifndef VPCFLOW_AHEAD_H
#define VPCFLOW_AHEAD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "parse.h"

/*
** What a data line must look like, and what its record keeps. Set by the
** query thread whenever the file's layout changes (vf_ahead_layout()).
*/
typedef struct VfAheadLayout VfAheadLayout;
struct VfAheadLayout {
  int nTok;                             /* tokens of a data line */
  int nInt;                             /* integer tokens: all are checked */
  int aIntTok[VF_MAX_FIELDS];           /* their token indexes */
  uint64_t aIntMax[VF_MAX_FIELDS];      /* largest legal value of each */
  unsigned char aIntEpoch[VF_MAX_FIELDS];  /* 1: Unix time (ms scaled) */
  int nKeepTok;                         /* tokens whose spans are kept */
  int aKeepTok[VF_MAX_FIELDS];          /* their token indexes */
  int nKeepInt;                         /* integers whose values are kept */
  int aKeepInt[VF_MAX_FIELDS];          /* their indexes in aIntTok[] */
};

/*
** A record: the line z[iOff..iOff+nLen-1] of its block (line end
** dropped), then nKeepTok VfSpans (offsets within the line) and nKeepInt
** int64_t values, in the layout's order. Only the first two fields mean
** anything if nLen has VF_AHEAD_SLOW set. A kept integer that was "-"
** has the value 0: its span says it is NULL.
*/
typedef struct VfAheadRec VfAheadRec;
struct VfAheadRec {
  uint32_t iOff;
  uint32_t nLen;
};
#define VF_AHEAD_SLOW 0x80000000u

/* Bytes of one record under layout pL. */
#define VF_AHEAD_RECSIZE(pL) \
  (sizeof(VfAheadRec) + sizeof(VfSpan)*(size_t)(pL)->nKeepTok \
   + sizeof(int64_t)*(size_t)(pL)->nKeepInt)

/* A parsed block, as vf_ahead_take() hands it back. */
typedef struct VfAheadBlock VfAheadBlock;
struct VfAheadBlock {
  const char *z;             /* whole lines, each ending in '\n' */
  size_t n;                  /* bytes at z */
  const unsigned char *aRec; /* nRec records of szRec bytes each */
  size_t szRec;
  int nRec;                  /* records: the first nRec lines */
  size_t iRest;              /* the lines from z[iRest] on have no record
                             ** (the record area was full): handle them as
                             ** slow lines; n if every line has one */
  unsigned iGen;             /* layout generation the block was parsed with */
};

/*
** The line of block z[0..n-1] that starts at *pi, as the reader would
** return it: its length without "\n" or "\r\n". *pi moves past it. Used
** by vf_ahead_parse() and by the caller for the lines after iRest.
*/
static inline size_t vf_ahead_next_line(const char *z, size_t n, size_t *pi){
  const char *zLine = z + *pi;
  const char *zEol = memchr(zLine, '\n', n - *pi);
  size_t nLen = zEol ? (size_t)(zEol - zLine) : n - *pi;
  *pi += nLen + 1;                        /* past n only after the last */
  if( nLen>0 && zLine[nLen-1]=='\r' ) nLen--;
  return nLen;
}

/*
** Parse the block z[0..n-1] (whole lines, the last ending in '\n') under
** layout pL into aRec[0..nArea-1]; return the number of records and set
** *piRest (see VfAheadBlock). This is what both threads run.
*/
int vf_ahead_parse(const VfAheadLayout *pL, const char *z, size_t n,
                   unsigned char *aRec, size_t nArea, size_t *piRest);

typedef struct VfAhead VfAhead;

/*
** Allocate the blocks (nSlot of nBlock bytes each, and their record
** areas) and, if bThread, start the worker. Return 0, or nonzero if out
** of memory or the thread could not start (nothing is left behind then).
*/
int vf_ahead_open(VfAhead **pp, int nSlot, size_t nBlock, int bThread);

/* Stop and join the worker and free everything. NULL is a no-op. */
void vf_ahead_close(VfAhead *p);

/* Drop every block, queued or parsed (a new file begins); waits for the
** worker to finish the block it is parsing, if any. */
void vf_ahead_reset(VfAhead *p);

/* Blocks queued from now on are parsed under *pL, generation one more
** than before; return the new generation. */
unsigned vf_ahead_layout(VfAhead *p, const VfAheadLayout *pL);

/*
** bSolo 1: the worker takes no more blocks, the caller parses them all
** (another thread of the query needs the second core more); 0: both
** parse again. A new ring starts at 0.
*/
void vf_ahead_solo(VfAhead *p, int bSolo);

/* The buffer of a free block and its size, or NULL if none is free. */
char *vf_ahead_space(VfAhead *p, size_t *pnCap);

/* The block vf_ahead_space() gave now holds n bytes of lines: parse it. */
void vf_ahead_queue(VfAhead *p, size_t n);

/*
** The oldest queued block, parsed (waiting for the worker, or parsing it
** on this thread), or NULL if nothing is queued. It stays valid until
** vf_ahead_release().
*/
const VfAheadBlock *vf_ahead_take(VfAhead *p);

/* Give the block vf_ahead_take() returned back. */
void vf_ahead_release(VfAhead *p);

#endif /* VPCFLOW_AHEAD_H */
