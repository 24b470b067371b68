/*
** 2026-11-23
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** reader.c - read one flow log file, plain or gzip, as a sequence of lines
** (the contract is in reader.h).
**
** Usage, from C:
**
**   VfReader *p; char zErr[300]; const char *z; size_t n; int rc;
**   if( vf_reader_open("x.log.gz", &p, zErr, sizeof(zErr)) ) fail(zErr);
**   while( (rc = vf_reader_next(p, &z, &n))!=VF_LINE_EOF ){
**     if( rc==VF_LINE_ERROR ){ fail(vf_reader_errmsg(p)); break; }
**     ... rc is OK, TOOLONG or PARTIAL: z[0..n-1] is (part of) a line ...
**   }
**   vf_reader_close(p);
**
** HOW IT WORKS
**
** Two layers, kept apart so that a second thread can later run the lower
** one ahead of the upper one:
**
**   1. The byte source (VfByteSrc, vf_src_*): fills a caller's buffer with
**      decoded bytes, either straight from read() or through inflate().
**      It reports how it ended: cleanly, with an error after complete data
**      (trailing garbage behind a gzip member), or with an error that cut
**      the data short (read error, corrupt or truncated gzip).
**
**   2. The line splitter (vf_reader_next): holds one window of decoded
**      bytes, VF_OUTBUF long, and hands out lines as pointers into it, so
**      a line is never copied. memchr() finds each '\n'. When the window
**      runs out mid-line the unfinished tail (at most VF_READER_MAX_LINE+1
**      bytes, by construction) moves to the front and the source refills
**      the rest. A tail longer than that can only be a line over the limit:
**      its first VF_HEAD bytes are saved and the rest is read and dropped
**      up to the next '\n', a window at a time.
**
** Memory is the window (256 KiB), the compressed input buffer of a gzip
** file (128 KiB) and zlib's inflate state (about 40 KiB), whatever the
** size of the file or of its lines. The file is only ever read() in order,
** never mapped or seeked, so pipes, character devices and files that grow
** while being read all work.
**
** Gzip is recognised by its magic bytes 1f 8b, never by the file name.
** A gzip file may hold several members back to back (concatenated .gz
** files, or the output of a writer that flushes members); their contents
** are one byte stream, so a line may even span two members. Anything after
** a member that is not the start of another member is an error, but the
** lines before it have already been returned.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <zlib.h>
#include "reader.h"

/* Size of the decoded window. It must hold a longest line, its "\r\n" and
** plenty more, so that a refill after moving a tail is never tiny. */
#define VF_OUTBUF (256*1024)

/* Size of the compressed input buffer of a gzip file. */
#define VF_INBUF (128*1024)

/* Bytes of a too-long line kept for the caller's message. */
#define VF_HEAD 200

/* Room for an error message beyond the length of the path. */
#define VF_ERRROOM 200

/* How the byte source stands: VfByteSrc.eState */
#define VF_SRC_MORE  0   /* more bytes may come */
#define VF_SRC_DONE  1   /* clean end of data */
#define VF_SRC_FAIL  2   /* error, but the data before it was complete */
#define VF_SRC_CUT   3   /* error that cut the data short */

#if defined(__GNUC__)
# define VF_NOINLINE __attribute__((noinline))
#else
# define VF_NOINLINE
#endif

/*
** The byte source: one open file and, for gzip, its inflate state.
*/
typedef struct VfByteSrc VfByteSrc;
struct VfByteSrc {
  int fd;                    /* the open file */
  int bGzip;                 /* 1 if the file starts with the gzip magic */
  int eState;                /* VF_SRC_* */
  uint64_t iRead;            /* bytes read from the file so far */
  unsigned char aSniff[2];   /* first bytes, read to detect gzip */
  int nSniff;                /* plain file: bytes of aSniff not yet given */
  unsigned char *aIn;        /* gzip: compressed input buffer */
  z_stream z;                /* gzip: inflate state; next_in points in aIn */
  int bZInit;                /* 1 once inflateInit2() succeeded */
  int bMemberDone;           /* 1 between two gzip members */
  const char *zPath;         /* file name, for messages */
  char *zErr;                /* message buffer, "" until an error */
  int nErr;                  /* size of zErr[] */
};

/*
** The reader: a byte source plus the line splitter's window.
*/
struct VfReader {
  VfByteSrc src;             /* where the decoded bytes come from */
  char *aBuf;                /* window of decoded bytes, VF_OUTBUF long */
  size_t iBuf;               /* first byte of aBuf not yet returned */
  size_t nBuf;               /* bytes of aBuf filled */
  int64_t iLine;             /* number of the line last returned */
  int eEnd;                  /* 0, or VF_LINE_EOF/VF_LINE_ERROR once final */
  uint64_t nSize;            /* file size from fstat(), 0 if not regular */
  char aHead[VF_HEAD];       /* first bytes of a too-long line */
  int bSkipping;             /* 1 while dropping the rest of a long line */
};

/* zlib allocates through SQLite, so that memory is accounted for alike. */
static voidpf vf_zalloc(voidpf pUnused, uInt nItem, uInt nSize){
  (void)pUnused;
  return sqlite3_malloc64((sqlite3_uint64)nItem*nSize);
}
static void vf_zfree(voidpf pUnused, voidpf p){
  (void)pUnused;
  sqlite3_free(p);
}

/*
** Read up to n bytes of the file into a[], retrying on EINTR. Return the
** count read (0 at end of file), or -1 after recording the error, which
** always cuts the data short.
*/
static ssize_t vf_src_read(VfByteSrc *pSrc, void *a, size_t n){
  ssize_t got;
  do{
    got = read(pSrc->fd, a, n);
  }while( got<0 && errno==EINTR );
  if( got<0 ){
    sqlite3_snprintf(pSrc->nErr, pSrc->zErr, "cannot read '%s': %s",
                     pSrc->zPath, strerror(errno));
    pSrc->eState = VF_SRC_CUT;
    return -1;
  }
  pSrc->iRead += (uint64_t)got;
  return got;
}

/*
** Byte source for a plain file: copy out the sniffed bytes first, then
** read() straight into the caller's buffer. Return the count delivered;
** 0 only once the source has ended (eState says how).
*/
static size_t vf_src_fill_plain(VfByteSrc *pSrc, char *aOut, size_t nOut){
  ssize_t got;
  if( pSrc->nSniff>0 ){
    /* Never more than 2 bytes, and nOut is always larger than that. */
    memcpy(aOut, pSrc->aSniff, pSrc->nSniff);
    got = pSrc->nSniff;
    pSrc->nSniff = 0;
    return (size_t)got;
  }
  got = vf_src_read(pSrc, aOut, nOut);
  if( got==0 ) pSrc->eState = VF_SRC_DONE;
  return got>0 ? (size_t)got : 0;
}

/*
** Gzip: make sure at least 2 unconsumed input bytes are in aIn unless the
** file ends first. Return the count available, or -1 on a read error.
*/
static int vf_src_need2(VfByteSrc *pSrc){
  z_stream *pz = &pSrc->z;
  while( pz->avail_in<2 ){
    ssize_t got;
    size_t nKeep = pz->avail_in;
    if( nKeep ) pSrc->aIn[0] = pz->next_in[0];
    got = vf_src_read(pSrc, pSrc->aIn+nKeep, VF_INBUF-nKeep);
    if( got<0 ) return -1;
    pz->next_in = pSrc->aIn;
    pz->avail_in = (uInt)(nKeep + (size_t)got);
    if( got==0 ) break;
  }
  return (int)(pz->avail_in<2 ? pz->avail_in : 2);
}

/*
** Byte source for a gzip file: inflate into the caller's buffer until it
** is full or the source ends. Return the count delivered; 0 only once the
** source has ended (eState says how). Bytes inflated before an error are
** delivered first, the error shows on the next call.
*/
static size_t vf_src_fill_gzip(VfByteSrc *pSrc, char *aOut, size_t nOut){
  z_stream *pz = &pSrc->z;
  pz->next_out = (Bytef*)aOut;
  pz->avail_out = (uInt)nOut;
  while( pz->avail_out>0 && pSrc->eState==VF_SRC_MORE ){
    int rc;
    if( pSrc->bMemberDone ){
      /* Between members: the file must end here or start a new member. */
      int nHave = vf_src_need2(pSrc);
      if( nHave<0 ) break;
      if( nHave==0 ){
        pSrc->eState = VF_SRC_DONE;
        break;
      }
      if( pz->next_in[0]!=0x1f || (nHave==2 && pz->next_in[1]!=0x8b) ){
        sqlite3_snprintf(pSrc->nErr, pSrc->zErr,
            "'%s': trailing garbage after gzip member at byte %llu",
            pSrc->zPath, (unsigned long long)(pSrc->iRead - pz->avail_in));
        pSrc->eState = VF_SRC_FAIL;
        break;
      }
      /* A lone 1f at the very end falls through: inflate() will want
      ** more, and the file will prove to be truncated. */
      if( inflateReset(pz)!=Z_OK ){
        sqlite3_snprintf(pSrc->nErr, pSrc->zErr,
                         "'%s': cannot reset gzip decoder", pSrc->zPath);
        pSrc->eState = VF_SRC_CUT;
        break;
      }
      pSrc->bMemberDone = 0;
    }
    if( pz->avail_in==0 ){
      ssize_t got = vf_src_read(pSrc, pSrc->aIn, VF_INBUF);
      if( got<0 ) break;
      if( got==0 ){
        sqlite3_snprintf(pSrc->nErr, pSrc->zErr,
            "'%s': truncated gzip stream (unexpected end of file)",
            pSrc->zPath);
        pSrc->eState = VF_SRC_CUT;
        break;
      }
      pz->next_in = pSrc->aIn;
      pz->avail_in = (uInt)got;
    }
    rc = inflate(pz, Z_NO_FLUSH);
    if( rc==Z_STREAM_END ){
      pSrc->bMemberDone = 1;
    }else if( rc==Z_OK || (rc==Z_BUF_ERROR && pz->avail_in==0) ){
      /* Progress made, or simply more input wanted: go round again. */
    }else if( rc==Z_MEM_ERROR ){
      sqlite3_snprintf(pSrc->nErr, pSrc->zErr,
                       "'%s': out of memory in gzip decoder", pSrc->zPath);
      pSrc->eState = VF_SRC_CUT;
    }else{
      sqlite3_snprintf(pSrc->nErr, pSrc->zErr,
          "'%s': gzip data error: %s near compressed byte %llu",
          pSrc->zPath, pz->msg ? pz->msg : "invalid data",
          (unsigned long long)(pSrc->iRead - pz->avail_in));
      pSrc->eState = VF_SRC_CUT;
    }
  }
  return nOut - pz->avail_out;
}

/*
** Fill aOut[0..nOut-1] (nOut>2) with the next decoded bytes. Return the
** count; 0 means the source has ended and eState tells how.
*/
static size_t vf_src_fill(VfByteSrc *pSrc, char *aOut, size_t nOut){
  if( pSrc->eState!=VF_SRC_MORE ) return 0;
  if( pSrc->bGzip ) return vf_src_fill_gzip(pSrc, aOut, nOut);
  return vf_src_fill_plain(pSrc, aOut, nOut);
}

/*
** Read the first two bytes to tell gzip from plain, and set up the source
** for whichever it is. Return 0, or an errno value.
*/
static int vf_src_start(VfByteSrc *pSrc){
  int n = 0;
  while( n<2 ){
    ssize_t got;
    do{
      got = read(pSrc->fd, pSrc->aSniff+n, 2-n);
    }while( got<0 && errno==EINTR );
    if( got<0 ) return errno;
    if( got==0 ) break;
    n += (int)got;
  }
  pSrc->iRead = (uint64_t)n;
  pSrc->nSniff = n;
  if( n==2 && pSrc->aSniff[0]==0x1f && pSrc->aSniff[1]==0x8b ){
    pSrc->bGzip = 1;
    pSrc->nSniff = 0;
    pSrc->aIn = sqlite3_malloc64(VF_INBUF);
    if( pSrc->aIn==0 ) return ENOMEM;
    memcpy(pSrc->aIn, pSrc->aSniff, 2);
    pSrc->z.zalloc = vf_zalloc;
    pSrc->z.zfree = vf_zfree;
    pSrc->z.opaque = 0;
    pSrc->z.next_in = pSrc->aIn;
    pSrc->z.avail_in = 2;
    /* 16+15: gzip wrapper only, 32 KiB window, the largest gzip allows */
    if( inflateInit2(&pSrc->z, 16+MAX_WBITS)!=Z_OK ) return ENOMEM;
    pSrc->bZInit = 1;
  }
  return 0;
}

/*
** Open a reader. See reader.h.
*/
int vf_reader_open(const char *zPath, VfReader **ppOut, char *zErr,
                   size_t nErr){
  VfReader *p = 0;
  struct stat st;
  size_t nPath = strlen(zPath);
  int nMsg = (int)(nPath + VF_ERRROOM);
  int fd;
  int e;

  *ppOut = 0;
  if( nErr>0 ) zErr[0] = 0;
  do{
    fd = open(zPath, O_RDONLY|O_CLOEXEC);
  }while( fd<0 && errno==EINTR );
  if( fd<0 ){
    e = errno;
    goto open_failed;
  }
  if( fstat(fd, &st) ){
    e = errno;
    goto open_failed;
  }
  if( S_ISDIR(st.st_mode) ){
    /* Linux lets open() succeed on a directory; read() would then fail
    ** with EISDIR. Say so now, as a failure to open. */
    e = EISDIR;
    goto open_failed;
  }

  /* One allocation for the reader, its copy of the path and its message. */
  p = sqlite3_malloc64(sizeof(*p) + nPath + 1 + (size_t)nMsg);
  if( p==0 ){
    e = ENOMEM;
    goto open_failed;
  }
  memset(p, 0, sizeof(*p));
  p->src.fd = fd;
  p->src.zPath = (char*)&p[1];
  memcpy((char*)&p[1], zPath, nPath+1);
  p->src.zErr = (char*)&p[1] + nPath + 1;
  p->src.zErr[0] = 0;
  p->src.nErr = nMsg;
  p->nSize = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
  p->aBuf = sqlite3_malloc64(VF_OUTBUF);
  if( p->aBuf==0 ){
    e = ENOMEM;
    goto open_failed;
  }
  e = vf_src_start(&p->src);
  if( e ) goto open_failed;
  *ppOut = p;
  return 0;

open_failed:
  if( nErr>0 ){
    sqlite3_snprintf(nErr>0x7fffffff ? 0x7fffffff : (int)nErr, zErr,
                     "cannot open '%s': %s", zPath, strerror(e));
  }
  if( p ){
    vf_reader_close(p);
  }else if( fd>=0 ){
    close(fd);
  }
  return 1;
}

/*
** The line in aBuf from iBuf has no '\n' yet and is already longer than
** any acceptable line. Keep its first bytes, then drop the rest up to and
** including the next '\n' (or to the end of the data), and report it.
** Dropping reads at most VF_SKIP_WINDOWS windows per call and then returns
** VF_LINE_AGAIN, so that a caller can notice an interrupt even on an
** endless line (/dev/zero, a gzip bomb of zeros).
*/
#define VF_SKIP_WINDOWS 64       /* 16 MiB of decoded bytes per call */

static VF_NOINLINE int vf_reader_skip_long(VfReader *p, const char **pz,
                                           size_t *pn){
  int nWin = 0;
  if( !p->bSkipping ){
    memcpy(p->aHead, p->aBuf + p->iBuf, VF_HEAD);
    p->iBuf = p->nBuf = 0;
    p->bSkipping = 1;
  }
  for(;;){
    size_t nGot;
    char *zEol;
    if( nWin++>=VF_SKIP_WINDOWS ){
      *pz = "";
      *pn = 0;
      return VF_LINE_AGAIN;
    }
    nGot = vf_src_fill(&p->src, p->aBuf, VF_OUTBUF);
    if( nGot==0 ) break;
    zEol = memchr(p->aBuf, '\n', nGot);
    if( zEol ){
      p->iBuf = (size_t)(zEol - p->aBuf) + 1;
      p->nBuf = nGot;
      break;
    }
  }
  p->bSkipping = 0;
  p->iLine++;
  *pz = p->aHead;
  *pn = VF_HEAD;
  return VF_LINE_TOOLONG;
}

/*
** The data has ended and aBuf from iBuf holds what follows the last '\n'
** (at most VF_READER_MAX_LINE+1 bytes). Return that as the last line, or
** the final EOF or ERROR if there is nothing left.
*/
static VF_NOINLINE int vf_reader_last(VfReader *p, const char **pz,
                                      size_t *pn){
  char *z = p->aBuf + p->iBuf;
  size_t n = p->nBuf - p->iBuf;
  if( n==0 ){
    p->eEnd = p->src.eState==VF_SRC_DONE ? VF_LINE_EOF : VF_LINE_ERROR;
    *pz = "";
    *pn = 0;
    return p->eEnd;
  }
  p->iBuf = p->nBuf;
  p->iLine++;
  if( z[n-1]=='\r' ) n--;
  *pz = z;
  if( n>VF_READER_MAX_LINE ){
    *pn = VF_HEAD;
    return VF_LINE_TOOLONG;
  }
  *pn = n;
  return p->src.eState==VF_SRC_CUT ? VF_LINE_PARTIAL : VF_LINE_OK;
}

/*
** Fetch the next line. See reader.h. The common case, a whole line inside
** the window, is the first branch; everything else is out of line.
*/
int vf_reader_next(VfReader *p, const char **pz, size_t *pn){
  if( p->eEnd ){
    *pz = "";
    *pn = 0;
    return p->eEnd;
  }
  if( p->bSkipping ) return vf_reader_skip_long(p, pz, pn);
  for(;;){
    char *z = p->aBuf + p->iBuf;
    size_t nAvail = p->nBuf - p->iBuf;
    char *zEol = nAvail ? memchr(z, '\n', nAvail) : 0;
    size_t nGot;
    if( zEol ){
      size_t n = (size_t)(zEol - z);
      p->iBuf += n+1;
      p->iLine++;
      if( n>0 && z[n-1]=='\r' ) n--;
      *pz = z;
      if( n>VF_READER_MAX_LINE ){
        *pn = VF_HEAD;
        return VF_LINE_TOOLONG;
      }
      *pn = n;
      return VF_LINE_OK;
    }
    /* A tail of MAX_LINE+1 bytes may still be a longest line and its
    ** '\r'; one byte more and it is too long whatever follows. */
    if( nAvail>VF_READER_MAX_LINE+1 ) return vf_reader_skip_long(p, pz, pn);
    if( p->src.eState!=VF_SRC_MORE ) return vf_reader_last(p, pz, pn);
    if( p->iBuf>0 ){
      memmove(p->aBuf, z, nAvail);
      p->iBuf = 0;
      p->nBuf = nAvail;
    }
    nGot = vf_src_fill(&p->src, p->aBuf + p->nBuf, VF_OUTBUF - p->nBuf);
    p->nBuf += nGot;
  }
}

/* See reader.h */
int64_t vf_reader_lineno(const VfReader *p){
  return p->iLine;
}

/* See reader.h. Only a final VF_LINE_ERROR shows the message: while lines
** before a late error are still being returned it is not yet "the" error. */
const char *vf_reader_errmsg(const VfReader *p){
  return p->eEnd==VF_LINE_ERROR ? p->src.zErr : "";
}

/* See reader.h */
int vf_reader_is_gzip(const VfReader *p){
  return p->src.bGzip;
}

/* See reader.h. This counts bytes read from the file, which for a gzip
** file runs ahead of inflate() by at most one input buffer. */
uint64_t vf_reader_offset(const VfReader *p){
  return p->src.iRead;
}

/* See reader.h */
uint64_t vf_reader_size(const VfReader *p){
  return p->nSize;
}

/* See reader.h */
void vf_reader_close(VfReader *p){
  if( p==0 ) return;
  if( p->src.bZInit ) inflateEnd(&p->src.z);
  if( p->src.fd>=0 ) close(p->src.fd);
  sqlite3_free(p->src.aIn);
  sqlite3_free(p->aBuf);
  sqlite3_free(p);
}
