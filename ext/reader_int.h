/*
** reader_int.h - the parts of the reader that reader.c (opening, the plain
** byte source, the line splitter) and inflate.c (the gzip byte source,
** the producer thread and its ring) share. Internal: nothing outside
** those two files includes it; the reader's contract is reader.h.
*/
#ifndef VPCFLOW_READER_INT_H
#define VPCFLOW_READER_INT_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include "reader.h"
#include "s3.h"

/* Size of the single window of a plain file. It must hold a longest line,
** its "\r\n" and plenty more, so that a refill after moving a tail is
** never tiny. */
#define VF_OUTBUF (256*1024)
#if VF_READER_BLOCK_MAX>VF_OUTBUF
# error "vf_reader_block() puts a block's tail back into the window"
#endif

/* The ring of a gzip file: VF_NSLOT chunks of VF_CHUNK decoded bytes, each
** behind VF_HEADROOM bytes where the unfinished line of the chunk before
** is copied (VF_READER_MAX_LINE+1 at most; 64 more keep chunks aligned). */
#ifndef VF_NSLOT
# define VF_NSLOT 4
#endif
#ifndef VF_CHUNK
# define VF_CHUNK (256*1024)
#endif
#define VF_HEADROOM (VF_READER_MAX_LINE+64)

/* 0 under VPCFLOW_NO_THREAD: gzip is then inflated on the caller's thread */
#ifdef VPCFLOW_NO_THREAD
# define VF_USE_THREAD 0
#else
# define VF_USE_THREAD 1
#endif

/* Longest wait of either thread for the other, in ms. */
#define VF_WAIT_MS 50

/* Longest single wait for a pipe or device to have bytes, in ms: the
** producer's poll() between looks at the stop flag, and the caller's
** poll() for a first byte between VF_LINE_AGAINs. With VF_WAIT_MS it
** bounds how long an interrupt takes on a silent pipe (about 60 ms). */
#define VF_POLL_MS 10

/* Size of the compressed input buffer of a gzip file. */
#define VF_INBUF (128*1024)

/* VfReader.eEnd of a row format's reader until its rows end: not a line
** code, nonzero so that vf_reader_next() leaves its hot path for them. */
#define VF_END_ROWS (-1)

/* Bytes of a too-long line kept for the caller's message. */
#define VF_HEAD VF_READER_HEAD

/* Room for an error message beyond the length of the path. */
#define VF_ERRROOM 200

/* Decoded bytes dropped per call while skipping a too-long line. */
#define VF_SKIP_BYTES (16*1024*1024)

/* Bytes at the start of a file's data examined for binary content, and
** the share of them (1/VF_BINARY_SHARE) that must not be text for the
** file to be taken as binary (vf_reader_sniff_text). */
#define VF_BINARY_BLOCK 1024
#define VF_BINARY_SHARE 10

/* One line may be skipped for at most this many bytes; past it, the
** input is not a flow log (/dev/zero, a disk image): reading stops. */
#define VF_SKIP_MAX ((uint64_t)1<<30)

/* How the byte source stands: VfByteSrc.eState */
#define VF_SRC_MORE  0   /* more bytes may come */
#define VF_SRC_DONE  1   /* clean end of data */
#define VF_SRC_FAIL  2   /* error, but the data before it was complete */
#define VF_SRC_CUT   3   /* error that cut the data short */
#define VF_SRC_CHANGED 4 /* a plain file got shorter or was rewritten while
                         ** read: the unfinished line in hand is dropped */

/* vf_src_read(): no bytes now (reader closing, or a pipe ran dry) */
#define VF_READ_NOTNOW (-2)

#if defined(__GNUC__)
# define VF_NOINLINE __attribute__((noinline))
#else
# define VF_NOINLINE
#endif

/*
** The byte source: one open file and, for gzip, its inflater. When a
** producer thread runs, it alone uses this (but for bStop) until joined.*/
typedef struct VfByteSrc VfByteSrc;
typedef struct VfInflater VfInflater;
struct VfByteSrc {
  int fd;                    /* the open file */
  const VfFormat *pFmt;      /* the byte format (format.h) its first bytes
                             ** chose; 0 until they came */
  int eState;                /* VF_SRC_* */
  uint64_t iRead;            /* bytes read from the file so far */
  unsigned char aSniff[2];   /* first bytes, read to detect gzip */
  int nSniff;                /* plain file: bytes of aSniff not yet given */
  unsigned char *aIn;        /* gzip: compressed input buffer */
  unsigned char *pIn;        /* gzip: first unconsumed byte in aIn */
  size_t nIn;                /* gzip: unconsumed bytes at pIn */
  int bMemberDone;           /* 1 between two gzip members */
  int bEof;                  /* gzip: read() said end of file */
  int bNewMember;            /* gzip: no inflate call yet in this member */
  int bPoll;                 /* poll() before read(): threaded, not a file */
  uint64_t nCap;             /* plain regular file: its size at open, the
                             ** bytes read (0: no cap, read to the end) */
  struct timespec mtim;      /* ... and its st_mtim at open */
  int bFinish;               /* past nCap: finishing the line cut by it */
  char cLast;                /* last byte handed out ('\n' before any) */
  int bStop;                 /* set (atomically) to make the producer stop */
  VfInflater *pDec;          /* gzip: the inflater's state (inflate.c) */
  const char *zPath;         /* file name, for messages */
  VfS3Stream *pS3;           /* s3:// object: its transfer (s3.h), or 0 */
  char *zErr;                /* message buffer, "" until an error */
  int nErr;                  /* size of zErr[] */
};

/* One chunk of the ring. */
typedef struct VfSlot VfSlot;
struct VfSlot {
  char *a;                   /* VF_HEADROOM bytes, then the chunk */
  size_t n;                  /* decoded bytes at a[VF_HEADROOM] */
  uint64_t iRead;            /* file bytes read once the chunk was full */
};

/*
** The reader: a byte source, perhaps its producer thread and ring, and the
** line splitter's window. Fields marked (mutex) are shared by the two
** threads and only touched with the mutex held.
*/
struct VfReader {
  VfByteSrc src;             /* where the decoded bytes come from */
  char *aBuf;                /* the window: aMem, or a slot of the ring */
  size_t iBuf;               /* first byte of aBuf not yet returned */
  size_t nBuf;               /* end of the bytes in aBuf */
  int64_t iLine;             /* number of the line last returned */
  int eEnd;                  /* 0, or VF_LINE_EOF/VF_LINE_ERROR once final;
                             ** VF_END_ROWS for a row format until then */
  int eSrc;                  /* VF_SRC_* as the splitter knows it */
  int bPartialOut;           /* 1 once the PARTIAL line before an error
                             ** has been handed out (errmsg shows from it) */
  uint64_t iOffset;          /* file bytes behind the bytes in hand */
  uint64_t nSize;            /* file size from fstat(), 0 if not regular */
  int bRegular;              /* 1 if the file is a regular file */
  int bTextChecked;          /* the first block was examined for binary */
  char *zStop;               /* the reader's own end message (binary data,
                             ** an endless line), or NULL: see errmsg */
  uint64_t nSkipped;         /* bytes of the line being skipped so far */
  int bPending;              /* a pipe or device whose first bytes (gzip or
                             ** not) have not arrived: vf_reader_begin() */
  char aHead[VF_HEAD];       /* first bytes of a too-long line */
  int bSkipping;             /* 1 while dropping the rest of a long line */
  const VfFormat *pRows;     /* a row format (Parquet), or 0 */
  void *pFile;               /* ... its open file: rows come from here */
  int (*xStop)(void*);       /* s3:// Parquet: vf_reader_open_ex()'s stop */
  void *pStopArg;            /* its argument */
  char *aMem;                /* the single window or the ring's memory */
  int bThread;               /* 1 while the producer thread runs */
  int bSync;                 /* 1 once mutex and conditions exist */
  int bHold;                 /* 1 if aBuf is slot (nTaken-1)%VF_NSLOT */
  pthread_t tid;             /* the producer */
  pthread_mutex_t mutex;     /* guards the fields marked (mutex) */
  pthread_cond_t condFull;   /* signalled: a chunk is ready, or the end */
  pthread_cond_t condFree;   /* signalled: a slot is free, or stop */
  VfSlot aSlot[VF_NSLOT];    /* the ring */
  uint64_t nFilled;          /* (mutex) chunks the producer handed over */
  uint64_t nTaken;           /* (mutex) chunks the splitter took */
  int nBusy;                 /* (mutex) slots handed over, not yet freed */
  int bDone;                 /* (mutex) the producer saw the source end */
};

/* ---- reader.c, for inflate.c --------------------------------------- */

/* Record the source's error and its new eState (any thread). */
void vf_src_error(VfByteSrc *pSrc, int eState, const char *zFmt, ...);

/* read() up to n bytes, polling first on a pipe; see reader.c. */
ssize_t vf_src_read(VfByteSrc *pSrc, void *a, size_t n, int bHave);

/* The next decoded bytes into aOut[0..nOut-1]; 0 once the source ended. */
size_t vf_src_fill(VfByteSrc *pSrc, char *aOut, size_t nOut);

/* 1 once vf_reader_close() asked the producer to stop. */
static inline int vf_src_stopping(VfByteSrc *pSrc){
  return __atomic_load_n(&pSrc->bStop, __ATOMIC_ACQUIRE);
}

/* ---- inflate.c, for reader.c --------------------------------------- */

/* The first bytes (2, in aSniff) are the gzip magic: allocate the input
** buffer and the inflater, on the caller's thread. 0 or an errno value. */
int vf_gzip_start(VfByteSrc *pSrc);

/* Inflate into aOut[0..nOut-1]; the count delivered, eState says how the
** source stands. */
size_t vf_src_fill_gzip(VfByteSrc *pSrc, char *aOut, size_t nOut);

/* Free what vf_gzip_start() allocated. */
void vf_gzip_free(VfByteSrc *pSrc);

/* Allocate the ring and start the producer. 0 or an errno value. */
int vf_reader_start_thread(VfReader *p);

/* Threaded refill: 1 a chunk is the window, 0 none came in time, -1 the
** data ended. */
int vf_pipe_take(VfReader *p, size_t nKeep);

/* Stop and join the producer, and free the thread's mutex and conditions. */
void vf_reader_stop_thread(VfReader *p);

#endif /* VPCFLOW_READER_INT_H */
