/*
** format.h - the input formats' one interface: the table of operations
** each format implements (VfFormat, in the manner of sqlite3_io_methods),
** the line codes every reader returns, and the limits on a line.
**
** reader.c opens a file, shows its first bytes to each format of its
** table in turn (open by magic) and reads it through the first that
** claims it. There are two kinds of format:
**
**   - a byte format (plain, gzip) delivers the file's data as bytes, a
**     block at a time (xFill); reader.c's one line splitter, shared by
**     all of them, makes lines of the bytes, and runs a decoding format
**     (bDecode: gzip) on the producer thread (inflate.c) so that decoding
**     overlaps parsing. No indirect call is made per line: one per block.
**   - a row format (Parquet) has random access to a regular file and
**     makes its lines itself (xNext): the column names first, as line 0,
**     then one line per row. It may read only the columns asked for
**     (xSelect) and skip parts of the file by their statistics (xPrune).
**
** A new format is one file that defines a VfFormat, and one row in the
** table aFormat[] at the top of reader.c (ext/README.md, "Input formats").
**
** reader.h (one file as lines) and parquet.h (one Parquet file as lines)
** both include this file, which includes neither, so the headers form no
** cycle.
*/
#ifndef VPCFLOW_FORMAT_H
#define VPCFLOW_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* Longest line accepted, in bytes, not counting the line end. */
#define VF_READER_MAX_LINE 65536

/* Bytes of a too-long line that VF_LINE_TOOLONG hands back */
#define VF_READER_HEAD 200

/* Results of vf_reader_next() */
#define VF_LINE_OK       0  /* a complete line is in *pz, *pn */
#define VF_LINE_EOF      1  /* no more lines, no error */
#define VF_LINE_TOOLONG  2  /* a line over VF_READER_MAX_LINE: *pz,*pn hold
                            ** its first VF_READER_HEAD bytes for a message;
                            ** the rest of the line was skipped */
#define VF_LINE_PARTIAL  3  /* the last, incomplete line before an error
                            ** that cut the data short (truncated or corrupt
                            ** gzip, read error): *pz,*pn hold what arrived;
                            ** the next call returns VF_LINE_ERROR */
#define VF_LINE_AGAIN    5  /* no line yet: a long line is still being
                            ** skipped (16 MiB per call, one chunk for a
                            ** gzip file or a pipe), or, for a gzip
                            ** file or a pipe, nothing came for 50 ms (a
                            ** stalled pipe, a busy machine), or 10 ms
                            ** before a pipe's first byte; call again.
                            ** Lets the caller check for an interrupt. Any
                            ** call may return it, the first one too. */
#define VF_LINE_BAD      6  /* a Parquet row that cannot be a line: *pz,*pn
                            ** hold the reason (see parquet.h) */
#define VF_LINE_ERROR    4  /* read or inflate error; the message is in
                            ** vf_reader_errmsg(); no further lines */

typedef struct VfFormat VfFormat;
typedef struct VfPrune VfPrune;
typedef struct VfByteSrc VfByteSrc;  /* a byte format's source: reader_int.h */

/*
** A constraint that lets a row format skip what cannot match (xPrune):
** rows whose column zCol is NULL or outside [lo,hi] (VF_PRUNE_INT; for
** VF_PRUNE_EPOCH seconds or milliseconds, as the vpcflow table reads
** start and end), or outside [zLo,zHi] bytewise, either bound 0 for none
** (VF_PRUNE_TEXT). Only for constraints that NULL never satisfies.
*/
#define VF_PRUNE_INT   1
#define VF_PRUNE_EPOCH 2
#define VF_PRUNE_TEXT  3
struct VfPrune {
  int eKind;                 /* VF_PRUNE_* */
  const char *zCol;          /* the column's name */
  int64_t lo, hi;            /* INT, EPOCH: the range */
  const char *zLo, *zHi;     /* TEXT: the range, either bound 0 for none */
};

/*
** The operations of one input format. Members a kind does not use are 0.
** Every method is called on the caller's thread, but a byte format's
** xFill, which runs on the producer thread when there is one and must
** then call nothing of SQLite's.
*/
struct VfFormat {
  const char *zName;         /* "plain", "gzip", "parquet" */
  int nMagic;                /* bytes xMagic needs: at most 2 for a byte
                             ** format, 4 for a row format */
  /* Open by magic: 1 if a file that starts with a[0..n-1] is this
  ** format's (n<nMagic only for a file that short). */
  int (*xMagic)(const void *a, size_t n);

  /* -- a byte format -- */
  int bDecode;               /* 1 if xFill decodes: run on the producer
                             ** thread; no blocks (vf_reader_block), no
                             ** size cap (vf_reader_limit) */
  int (*xStart)(VfByteSrc*);                 /* set up once the magic
                                             ** matched; 0 or an errno */
  size_t (*xFill)(VfByteSrc*, char *a, size_t n);   /* the next bytes; 0
                                             ** once ended (eState says how) */
  void (*xFree)(VfByteSrc*);                 /* free what xStart made */

  /* -- a row format: the file is a regular one, opened by path -- */
  int (*xOpen)(const char *zPath, void **ppFile, char *zErr, size_t nErr);
  int (*xNext)(void *pFile, const char **pz, size_t *pn);   /* next line:
                             ** VF_LINE_OK, BAD, EOF or ERROR */
  int64_t (*xLineno)(void *pFile);       /* line last returned (header 0) */
  uint64_t (*xOffset)(void *pFile);      /* position, for progress */
  uint64_t (*xSize)(void *pFile);        /* size, for progress */
  const char *(*xErrmsg)(void *pFile);   /* after VF_LINE_ERROR, else "" */
  int (*xSelect)(void *pFile, const char *const *azName, int nName);
  int (*xPrune)(void *pFile, const VfPrune *pPrune);   /* 1 if used */
  void (*xClose)(void *pFile);
};

/* The formats: reader.c (plain), inflate.c (gzip), parquet.c (Parquet). */
extern const VfFormat vf_format_plain;
extern const VfFormat vf_format_gzip;
extern const VfFormat vf_format_parquet;

#endif /* VPCFLOW_FORMAT_H */
