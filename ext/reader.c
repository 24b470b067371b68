/*
** 2026-11-23
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** reader.c - read one flow log file, plain, gzip or Parquet, as a sequence
** of lines (the contract is in reader.h): opening, the table of input
** formats (format.h), the plain format and the line splitter. The gzip
** format and the producer thread are in inflate.c, the Parquet format in
** parquet.c.
**
** Usage, from C:
**
**   VfReader *p; char zErr[300]; const char *z; size_t n; int rc;
**   if( vf_reader_open("x.log.gz", &p, zErr, sizeof(zErr)) ) fail(zErr);
**   while( (rc = vf_reader_next(p, &z, &n))!=VF_LINE_EOF ){
**     if( rc==VF_LINE_AGAIN ){ ... check for an interrupt ...; continue; }
**     if( rc==VF_LINE_ERROR ){ fail(vf_reader_errmsg(p)); break; }
**     ... rc is OK, TOOLONG or PARTIAL: z[0..n-1] is (part of) a line ...
**   }
**   vf_reader_close(p);
**
** Build options:
**
**   -DVPCFLOW_ZLIB       inflate with zlib even where ISA-L is installed.
**                        Without ISA-L's header (<isa-l/igzip_lib.h>)
**                        zlib is used anyway. The Makefile links -lisal
**                        by the same test.
**   -DVPCFLOW_NO_THREAD  never start the second thread: gzip is inflated
**                        on the caller's thread, as plain files are read.
**
** HOW IT WORKS
**
** A file is read by the first format of aFormat[] (below) that claims
** its first bytes. A row format (Parquet) makes its lines itself; every
** other file goes through three parts:
**
**   1. The byte source (VfByteSrc, vf_src_*): fills a buffer with decoded
**      bytes, through its byte format's xFill, one call per block: either
**      straight from read() (plain) or through the inflater (gzip). It
**      reports how it ended: cleanly, with an error after complete data
**      (trailing garbage behind a gzip member), or with an error that cut
**      the data short (read error, corrupt or truncated gzip). The inflater
**      (inflate.c) sits behind four vf_dec_* functions with two
**      implementations: ISA-L's igzip, or zlib.
**
**   2. For gzip, a producer thread (vf_producer, inflate.c) runs the byte source
**      ahead of the caller, so that inflating overlaps parsing. It fills a
**      ring of VF_NSLOT chunks of VF_CHUNK bytes; the caller's thread takes
**      each filled chunk, splits it into lines and gives the slot back.
**      Plain files get no thread: read() from the page cache costs little
**      next to parsing, and a thread measured no faster. A plain file is
**      read on the caller's thread into a single window of VF_OUTBUF
**      bytes. (3 or 4 slots, 128 to 512 KiB chunks all measured the same;
**      64 KiB chunks were slower.)
**
**   3. The line splitter (vf_reader_next): hands out lines as pointers
**      into the current window (a chunk of the ring, or the single window),
**      so a line is never copied. memchr() finds each '\n'. When the window
**      runs out mid-line the unfinished tail (at most VF_READER_MAX_LINE+1
**      bytes, by construction) moves to just before the new bytes: to the
**      front of the single window, or into the VF_HEADROOM bytes that every
**      ring slot keeps in front of its chunk. A tail longer than that can
**      only be a line over the limit: its first VF_HEAD bytes are saved and
**      the rest is read and dropped up to the next '\n'.
**
** The thread. Everything, the ring and the inflater state included, is
** allocated by vf_reader_open() before the producer starts; the producer
** calls nothing of SQLite's and allocates nothing (zlib gets a fixed arena
** instead of malloc). Producer and caller share the ring counters under
** one mutex. Neither ever blocks for long:
**
**   - the caller waits for a chunk at most VF_WAIT_MS (50 ms) and then
**     returns VF_LINE_AGAIN, so that a stalled source (a FIFO whose writer
**     pauses) cannot keep it from noticing an interrupt;
**   - the producer waits for a free slot at most VF_WAIT_MS at a time and
**     checks the stop flag in between; on a pipe or device it poll()s before
**     each read, also VF_WAIT_MS at a time, and on a pipe it hands over a
**     partly filled chunk whenever the pipe runs dry, so lines that arrived
**     are not held back waiting for more;
**   - vf_reader_close() sets the stop flag and joins the producer, which
**     sees the flag within one chunk of work or one wait.
**
** The producer blocks all signals, so they keep going to the caller's
** threads as before.
**
** Pipes, FIFOs and devices (standard input too) never block the caller:
** open() is done with O_NONBLOCK (a FIFO with no writer would otherwise
** block it until a writer came), then the first bytes are waited for in
** poll() slices of VF_POLL_MS by vf_reader_next(), which says
** VF_LINE_AGAIN in between; once they came, the file is read through the
** producer thread, gzip or not, so every later wait is a VF_WAIT_MS one.
**
** Memory per reader. A plain file: the 256 KiB window. A gzip file: the
** ring, 4 x (256 KiB + 64 KiB headroom) = 1.25 MiB, the compressed input
** buffer (128 KiB) and the inflater state (ISA-L about 85 KiB, or zlib's
** fixed 64 KiB arena): about 1.5 MiB, whatever the size of the file or of
** its lines. The file is only ever read() in order, never mapped or
** seeked, so pipes, character devices and files that grow while being read
** all work.
**
** Why ISA-L. It is the fastest inflater Debian ships: on a 315 MB flow
** log compressed 3.2:1 this reader yields 788 MB/s of lines with ISA-L and
** 300 MB/s with zlib (the project's reference machine: igzip 1229 MB/s,
** zlib 424 MB/s). libdeflate (689 MB/s there) only decodes whole buffers,
** so it cannot stream a file of any size through bounded memory. ISA-L
** checks the gzip header and CRC itself (crc_flag ISAL_GZIP) and stops at
** the end of each member like zlib does, so multi-member files, trailing
** garbage and truncation are handled the same way with either inflater.
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
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#if defined(__SSE2__)
# include <emmintrin.h>
#endif
#include "reader_int.h"
#include "parse.h"
#include "parquet.h"     /* an s3:// Parquet object: vf_parquet_open_io() */

/* ---- the byte source ------------------------------------------------ */

/* Record the source's error and its new eState. The format's first
** argument is always the path. Plain vsnprintf(): this may run on the
** producer thread, which must not call SQLite. */
void vf_src_error(VfByteSrc *pSrc, int eState, const char *zFmt, ...){
  va_list ap;
  va_start(ap, zFmt);
  vsnprintf(pSrc->zErr, (size_t)pSrc->nErr, zFmt, ap);
  va_end(ap);
  pSrc->eState = eState;
}

/*
** Producer on a pipe or device: wait until read() will not block. Return
** 1 when it will not; 0 when the producer had better not wait: the reader
** is closing, or bHave (decoded bytes wait to be handed over) and nothing
** is there to read right now.
*/
static int reader_src_ready(VfByteSrc *pSrc, int bHave){
  for(;;){
    struct pollfd x;
    int rc;
    if( vf_src_stopping(pSrc) ) return 0;
    x.fd = pSrc->fd;
    x.events = POLLIN;
    x.revents = 0;
    rc = poll(&x, 1, bHave ? 0 : VF_POLL_MS);
    if( rc>0 ) return 1;
    if( rc<0 && errno!=EINTR ) return 1;   /* read() will say what it is */
    if( rc==0 && bHave ) return 0;
  }
}

/*
** 1 if a read of 0 bytes from pSrc is not the end of the data but an
** s3:// transfer that failed (s3.h): then pSrc holds the reason and is
** VF_SRC_CUT. The one place where a stream's failure is asked for.
*/
static int reader_src_s3_cut(VfByteSrc *pSrc){
  if( pSrc->pS3==0 ) return 0;
  if( !vf_s3_failed(pSrc->pS3, pSrc->zErr, (size_t)pSrc->nErr) ) return 0;
  pSrc->eState = VF_SRC_CUT;
  return 1;
}

/*
** Read up to n bytes of the file into a[], retrying on EINTR. Return the
** count read (0 at end of file), -1 after recording a read error, which
** always cuts the data short, or VF_READ_NOTNOW (see reader_src_ready()).
*/
ssize_t vf_src_read(VfByteSrc *pSrc, void *a, size_t n, int bHave){
  ssize_t got;
  if( pSrc->bPoll && !reader_src_ready(pSrc, bHave) ) return VF_READ_NOTNOW;
  do{
    got = read(pSrc->fd, a, n);
  }while( got<0 && errno==EINTR );
  if( got<0 ){
    /* glibc's strerror() returns a constant string for a known errno */
    vf_src_error(pSrc, VF_SRC_CUT, "cannot read '%s': %s", pSrc->zPath,
                 strerror(errno));
    return -1;
  }
  if( got==0 && reader_src_s3_cut(pSrc) ) return -1;
  pSrc->iRead += (uint64_t)got;
  return got;
}

/*
** A plain file changed while read: record it at byte iRead (the bytes of
** the current read are not handed out) and return 0.
*/
static size_t reader_src_changed(VfByteSrc *pSrc, const struct stat *pSt){
  if( (uint64_t)pSt->st_size<pSrc->nCap ){
    vf_src_error(pSrc, VF_SRC_CHANGED, "'%s': file got shorter while being "
        "read: %llu bytes when opened, %llu now (seen at byte %llu)",
        pSrc->zPath, (unsigned long long)pSrc->nCap,
        (unsigned long long)pSt->st_size, (unsigned long long)pSrc->iRead);
  }else{
    vf_src_error(pSrc, VF_SRC_CHANGED, "'%s': file was rewritten while "
        "being read (modified, no longer than when opened; seen at byte "
        "%llu)", pSrc->zPath, (unsigned long long)pSrc->iRead);
  }
  return 0;
}

/*
** A plain regular file is read to the size it had when opened (nCap), so
** a file appended to while read gives the rows it had then; the line that
** the size at open cuts in two, if the file has grown since, is read to
** its end (bFinish), so that no cut line is handed out. After each read,
** fstat() looks for a file that got shorter (truncated, or rewritten
** shorter) or was rewritten in place (a new modification time and no
** more bytes than at open): that ends the file with VF_SRC_CHANGED, and
** the unfinished line in hand is dropped by the splitter. (A file that
** is rewritten longer cannot be told from one appended to.)
*/
static VF_NOINLINE size_t reader_src_fill_capped(VfByteSrc *pSrc, char *aOut,
                                             size_t nOut){
  ssize_t got;
  struct stat st;
  if( pSrc->bFinish ){
    char *zEol;
    got = vf_src_read(pSrc, aOut, nOut, 0);
    if( got<=0 ){
      if( got==0 ) pSrc->eState = VF_SRC_DONE;
      return 0;
    }
    zEol = memchr(aOut, '\n', (size_t)got);
    if( zEol ){
      got = zEol - aOut + 1;
      pSrc->eState = VF_SRC_DONE;
    }
    pSrc->cLast = aOut[got-1];
    return (size_t)got;
  }
  if( pSrc->iRead>=pSrc->nCap ){
    if( pSrc->cLast!='\n' && fstat(pSrc->fd, &st)==0
     && (uint64_t)st.st_size>pSrc->nCap ){
      pSrc->bFinish = 1;
      return reader_src_fill_capped(pSrc, aOut, nOut);
    }
    pSrc->eState = VF_SRC_DONE;
    return 0;
  }
  if( nOut>pSrc->nCap - pSrc->iRead ) nOut = (size_t)(pSrc->nCap-pSrc->iRead);
  got = vf_src_read(pSrc, aOut, nOut, 0);
  if( got<0 ) return 0;
  if( fstat(pSrc->fd, &st)==0 ){
    if( (uint64_t)st.st_size<pSrc->nCap
     || ((st.st_mtim.tv_sec!=pSrc->mtim.tv_sec
          || st.st_mtim.tv_nsec!=pSrc->mtim.tv_nsec)
         && (uint64_t)st.st_size<=pSrc->nCap) ){
      pSrc->iRead -= (uint64_t)got;
      return reader_src_changed(pSrc, &st);
    }
  }
  if( got==0 ){
    /* an end before the size at open, and fstat() did not see it */
    st.st_size = (off_t)pSrc->iRead;
    return reader_src_changed(pSrc, &st);
  }
  pSrc->cLast = aOut[got-1];
  return (size_t)got;
}

/*
** Byte source for a plain file: copy out the sniffed bytes first, then
** read() straight into the caller's buffer. Return the count delivered;
** 0 once the source has ended (eState says how) or if it must stop.
*/
static size_t reader_src_fill_plain(VfByteSrc *pSrc, char *aOut, size_t nOut){
  ssize_t got;
  if( pSrc->nSniff>0 ){
    /* Never more than 2 bytes, and nOut is always larger than that. The
    ** bytes after them come in the same call, so that the first window
    ** is a whole block (reader_sniff_text looks at it). */
    memcpy(aOut, pSrc->aSniff, pSrc->nSniff);
    got = pSrc->nSniff;
    pSrc->nSniff = 0;
    pSrc->cLast = aOut[got-1];
    return (size_t)got + reader_src_fill_plain(pSrc, aOut+got, nOut-(size_t)got);
  }
  if( pSrc->nCap ) return reader_src_fill_capped(pSrc, aOut, nOut);
  got = vf_src_read(pSrc, aOut, nOut, 0);
  if( got==0 ) pSrc->eState = VF_SRC_DONE;
  return got>0 ? (size_t)got : 0;
}

/*
** Fill aOut[0..nOut-1] (nOut>2) with the next decoded bytes. Return the
** count; 0 means the source has ended (eState tells how) or was stopped.
*/
size_t vf_src_fill(VfByteSrc *pSrc, char *aOut, size_t nOut){
  if( pSrc->eState!=VF_SRC_MORE ) return 0;
  return pSrc->pFmt->xFill(pSrc, aOut, nOut);     /* one call per block */
}

/* ---- the input formats ---------------------------------------------- */

/* The plain byte format: any data that no other format claims. */
static int reader_plain_magic(const void *a, size_t n){
  (void)a;
  (void)n;
  return 1;
}
const VfFormat vf_format_plain = {
  "plain", 0, reader_plain_magic,
  0, 0, reader_src_fill_plain, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0                     /* not a row format */
};

/*
** Every input format (format.h), in the order they are asked to claim a
** file by its first bytes: row formats first (only for a regular file of
** at least 12 bytes, by pread), then byte formats, plain last as it
** takes anything. A new format is one file and one row here.
*/
static const VfFormat *const aFormat[] = {
  &vf_format_parquet,        /* parquet.c: "PAR1" (or "PARE") */
  &vf_format_gzip,           /* inflate.c: 1f 8b */
  &vf_format_plain,          /* reader.c:  anything else */
};
#define VF_NFORMAT ((int)(sizeof(aFormat)/sizeof(aFormat[0])))

/* The row format whose magic a[0..n-1] starts with, or 0. */
static const VfFormat *reader_row_format(const void *a, size_t n){
  int i;
  for(i=0; i<VF_NFORMAT; i++){
    const VfFormat *pF = aFormat[i];
    if( pF->xOpen && (size_t)pF->nMagic<=n && pF->xMagic(a, n) ) return pF;
  }
  return 0;
}

/*
** Read the first two bytes to tell the byte format (gzip from plain), and
** set up the source for it. Return 0, or an errno value.
*/
static int reader_src_sniffed(VfByteSrc*, int);
static int reader_src_start(VfByteSrc *pSrc){
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
  return reader_src_sniffed(pSrc, n);
}

/*
** The first n bytes (n<2 only if the data ended) are in aSniff: choose
** the first byte format of aFormat[] that claims them and set the source
** up for it. Return 0, or an errno value.
*/
static int reader_src_sniffed(VfByteSrc *pSrc, int n){
  int i;
  pSrc->iRead = (uint64_t)n;
  pSrc->nSniff = n;
  for(i=0; i<VF_NFORMAT; i++){
    const VfFormat *pF = aFormat[i];
    if( pF->xFill && pF->xMagic(pSrc->aSniff, (size_t)n) ){
      pSrc->pFmt = pF;
      return pF->xStart ? pF->xStart(pSrc) : 0;
    }
  }
  assert( 0 );                       /* plain takes anything */
  return EINVAL;
}

/* ---- the line splitter ---------------------------------------------- */

/*
** Keep the last nKeep bytes of the window (the start of an unfinished
** line, or nothing) and bring in the bytes that follow them. Return 1 if
** more bytes came, 0 if none came within VF_WAIT_MS (threaded only), -1
** once the data has ended (eSrc says how).
*/
static int reader_begin(VfReader*);
static int reader_refill(VfReader *p, size_t nKeep){
  size_t nGot;
  if( p->bPending ){
    int rc = reader_begin(p);
    if( rc<=0 ) return rc;
  }
  if( p->bThread ) return vf_pipe_take(p, nKeep);
  if( p->iBuf>0 && nKeep ){
    memmove(p->aBuf, p->aBuf + p->nBuf - nKeep, nKeep);
  }
  p->iBuf = 0;
  p->nBuf = nKeep;
  nGot = vf_src_fill(&p->src, p->aBuf + nKeep, VF_OUTBUF - nKeep);
  p->iOffset = p->src.iRead;
  if( nGot==0 ){
    p->eSrc = p->src.eState;
    return -1;
  }
  p->nBuf += nGot;
  return 1;
}

/*
** A pipe or device not started yet: wait up to VF_POLL_MS for its first
** two bytes (fewer if it ends), then set it up as gzip or plain and start
** the producer, which poll()s before every read() from then on. Return 1
** once started, 0 if the bytes have not all come yet (the caller returns
** VF_LINE_AGAIN and may notice an interrupt), -1 after an error (eSrc
** and the message set).
*/
static VF_NOINLINE int reader_begin(VfReader *p){
  VfByteSrc *pSrc = &p->src;
  int e;
  for(;;){
    struct pollfd x;
    ssize_t got;
    int rc;
    if( pSrc->nSniff>=2 ) break;
    x.fd = pSrc->fd;
    x.events = POLLIN;
    x.revents = 0;
    rc = poll(&x, 1, VF_POLL_MS);
    if( rc==0 || (rc<0 && errno==EINTR) ) return 0;
    /* ready, or poll() failed: read() says which */
    do{
      got = read(pSrc->fd, pSrc->aSniff + pSrc->nSniff, 2 - pSrc->nSniff);
    }while( got<0 && errno==EINTR );
    if( got<0 ){
      if( errno==EAGAIN ) return 0;
      e = errno;
      goto begin_failed;
    }
    if( got==0 && reader_src_s3_cut(pSrc) ){
      p->bPending = 0;
      p->eSrc = VF_SRC_CUT;
      return -1;
    }
    if( got==0 ) break;
    pSrc->nSniff += (int)got;
  }
  p->bPending = 0;
  e = reader_src_sniffed(pSrc, pSrc->nSniff);
  p->iOffset = pSrc->iRead;          /* before the producer owns pSrc */
  if( e==0 ) e = vf_reader_start_thread(p);
  if( e==0 ) return 1;
begin_failed:
  p->bPending = 0;
  vf_src_error(pSrc, VF_SRC_CUT, "cannot read '%s': %s", pSrc->zPath,
               strerror(e));
  p->eSrc = VF_SRC_CUT;
  return -1;
}

/*
** A reader of a row format's rows from pFile, which it owns from now on
** (pFile 0: a reader stopped by xStop before it had any, whose
** vf_reader_next() says VF_LINE_AGAIN: the caller then sees its
** interrupt). Return 0, or 1 on OOM (pFile closed).
*/
static int reader_new_rows(const VfFormat *pRows, void *pFile,
                              VfReader **ppOut,
                              int (*xStop)(void*), void *pStopArg){
  VfReader *p = sqlite3_malloc64(sizeof(*p));
  if( p==0 ){
    if( pFile ) pRows->xClose(pFile);
    return 1;
  }
  memset(p, 0, sizeof(*p));
  p->src.fd = -1;
  p->pRows = pRows;
  p->pFile = pFile;
  p->xStop = xStop;
  p->pStopArg = pStopArg;
  p->eEnd = pFile ? VF_END_ROWS : VF_LINE_AGAIN;
  *ppOut = p;
  return 0;
}

/*
** An s3:// Parquet object (s3.h): read with ranged GETs in this thread,
** asking xStop. A failure because xStop said stop gives a stopped reader,
** not an error: the object is not at fault.
*/
static int reader_open_s3_parquet(const char *zPath, VfReader **ppOut,
                                     char *zErr, size_t nErr,
                                     int (*xStop)(void*), void *pStopArg){
  VfParquetIo *pIo = 0;
  VfParquet *pPq = 0;
  if( vf_s3_parquet_open(zPath, xStop, pStopArg, &pIo, zErr, nErr)
   || vf_parquet_open_io(zPath, pIo, &pPq, zErr, nErr) ){
    if( xStop==0 || !xStop(pStopArg) ) return 1;
    pPq = 0;
  }
  if( reader_new_rows(&vf_format_parquet, pPq, ppOut, xStop, pStopArg) ){
    sqlite3_snprintf(nErr>0x7fffffff ? 0x7fffffff : (int)nErr, zErr,
                     "cannot open '%s': %s", zPath, strerror(ENOMEM));
    return 1;
  }
  return 0;
}

/*
** Open a reader. See reader.h.
*/
int vf_reader_open(const char *zPath, VfReader **ppOut, char *zErr,
                   size_t nErr){
  return vf_reader_open_ex(zPath, ppOut, zErr, nErr, 0, 0);
}
int vf_reader_open_ex(const char *zPath, VfReader **ppOut, char *zErr,
                      size_t nErr, int (*xStop)(void*), void *pStopArg){
  VfReader *p = 0;
  struct stat st;
  size_t nPath = strlen(zPath);
  int nMsg = (int)(nPath + VF_ERRROOM);
  int fd;
  int e;
  VfS3Stream *pS3 = 0;       /* s3:// (s3.h): the transfer feeding fd */

  *ppOut = 0;
  if( nErr>0 ) zErr[0] = 0;
  if( vf_s3_is_parquet(zPath) ){
    return reader_open_s3_parquet(zPath, ppOut, zErr, nErr, xStop,
                                     pStopArg);
  }
  if( vf_s3_is_url(zPath) ){
    /* s3:// (s3.h): a socket a thread of s3.c feeds, read as a pipe */
    if( vf_s3_open(zPath, &pS3, &fd, zErr, nErr) ) return 1;
    nMsg += 1000;              /* s3.c's reasons are longer */
  }else if( strcmp(zPath, "-")==0 ){
    /* Standard input (source.h): a copy of descriptor 0, so that closing
    ** the reader leaves the process's own stdin open. */
    fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
  }else{
    /* O_NONBLOCK: a FIFO with no writer yet would block open() until one
    ** comes, past any interrupt. Cleared below: reads of a pipe or device
    ** wait in poll(), a slice at a time (reader_begin, reader_src_ready). */
    do{
      fd = open(zPath, O_RDONLY|O_CLOEXEC|O_NONBLOCK);
    }while( fd<0 && errno==EINTR );
  }
  if( fd<0 ){
    e = errno;
    goto open_failed;
  }
  if( fstat(fd, &st) ){
    e = errno;
    goto open_failed;
  }
  if( !S_ISREG(st.st_mode) && strcmp(zPath, "-")!=0 ){
    /* (O_NONBLOCK does nothing to a regular file: two system calls a
    ** file saved on a folder of thousands) */
    int fl = fcntl(fd, F_GETFL);
    if( fl>=0 ) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  }
  if( S_ISDIR(st.st_mode) ){
    /* Linux lets open() succeed on a directory; read() would then fail
    ** with EISDIR. Say so now, as a failure to open. */
    e = EISDIR;
    goto open_failed;
  }

  /* A Parquet file (by its magic, as gzip is known by its own) is read by
  ** parquet.c, which needs random access: only a regular file can be one. */
  if( S_ISREG(st.st_mode) && st.st_size>=12 ){
    unsigned char aMagic[4];
    ssize_t nMagic = 0, k;
    /* all 4 bytes: a read may be short or interrupted (EINTR), and a
    ** Parquet file taken for text would be "not a flow log" */
    while( nMagic<4 ){
      k = pread(fd, aMagic+nMagic, (size_t)(4-nMagic), (off_t)nMagic);
      if( k<0 && errno==EINTR ) continue;
      if( k<0 ){
        e = errno;               /* EIO: not a reason to read it as text */
        goto open_failed;
      }
      if( k==0 ) break;
      nMagic += k;
    }
    if( nMagic==4 && reader_row_format(aMagic, 4) ){
      const VfFormat *pRows = reader_row_format(aMagic, 4);
      void *pFile = 0;
      close(fd);
      if( pRows->xOpen(zPath, &pFile, zErr, nErr) ) return 1;
      if( reader_new_rows(pRows, pFile, ppOut, 0, 0) ){
        e = ENOMEM;
        fd = -1;
        goto open_failed;
      }
      return 0;
    }
  }

  /* One allocation for the reader, its copy of the path and its message. */
  p = sqlite3_malloc64(sizeof(*p) + nPath + 1 + (size_t)nMsg);
  if( p==0 ){
    e = ENOMEM;
    goto open_failed;
  }
  memset(p, 0, sizeof(*p));
  p->src.fd = fd;
  p->src.pS3 = pS3;
  pS3 = 0;
  p->src.zPath = (char*)&p[1];
  memcpy((char*)&p[1], zPath, nPath+1);
  p->src.zErr = (char*)&p[1] + nPath + 1;
  p->src.zErr[0] = 0;
  p->src.nErr = nMsg;
  p->nSize = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
  p->bRegular = S_ISREG(st.st_mode);
  p->src.cLast = '\n';
  if( p->bRegular && st.st_size>0 ){
    /* read to this size (reader_src_fill_capped); a file of size 0 (a /proc
    ** file, an empty log) is read to its end */
    p->src.nCap = (uint64_t)st.st_size;
    p->src.mtim = st.st_mtim;
  }
  if( !p->bRegular && VF_USE_THREAD ){
    /* A pipe, FIFO or device: its first bytes may be long in coming, so
    ** they are waited for by vf_reader_next(), VF_POLL_MS at a time. */
    static char aNone[1];
    p->bPending = 1;
    p->aBuf = aNone;
    *ppOut = p;
    return 0;
  }
  e = reader_src_start(&p->src);
  if( e ) goto open_failed;
  p->iOffset = p->src.iRead;
  if( p->src.pFmt->bDecode ){
    e = vf_reader_start_thread(p);
  }else{
    p->aMem = p->aBuf = sqlite3_malloc64(VF_OUTBUF);
    if( p->aMem==0 ) e = ENOMEM;
  }
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
  vf_s3_close(pS3);          /* after close(fd): its thread sees EPIPE */
  return 1;
}

/*
** A row format's lines (Parquet): its column names first (line 0), then
** one line per row, a row that cannot be a line as VF_LINE_BAD. Out of
** line, so that the splitter's hot path keeps its registers.
*/
static VF_NOINLINE int reader_next_rows(VfReader *p, const char **pz,
                                           size_t *pn){
  int rc = p->pRows->xNext(p->pFile, pz, pn);
  if( rc==VF_LINE_ERROR && p->xStop && p->xStop(p->pStopArg) ){
    /* an s3:// read stopped: not the object's fault; the caller sees its
    ** interrupt (it ends the scan, so the reader is not read again) */
    *pz = "";
    *pn = 0;
    return VF_LINE_AGAIN;
  }
  if( rc==VF_LINE_ERROR || rc==VF_LINE_EOF ) p->eEnd = rc;
  return rc;
}

/*
** End the reader here with its own message (the source may still be in
** use by the producer, so its message buffer is not touched). Return
** VF_LINE_ERROR.
*/
static int reader_stop(VfReader *p, const char **pz, size_t *pn,
                          char *zMsg){
  sqlite3_free(p->zStop);
  p->zStop = zMsg ? zMsg : sqlite3_mprintf("not a flow log");
  p->eEnd = VF_LINE_ERROR;
  p->iBuf = p->nBuf;
  *pz = "";
  *pn = 0;
  return VF_LINE_ERROR;
}

/*
** The first bytes of the data are in the window: if the first
** VF_BINARY_BLOCK of them are binary (more than one in VF_BINARY_SHARE
** is not text: a control character other than tab, CR, LF, FF and VT,
** or a byte that is not part of valid UTF-8), end the reader with "not
** a flow log (binary data at byte N)", N the first such byte, 1-based:
** a random or compressed file (other than gzip) would otherwise give an
** error row for nearly every "line". A few bad bytes (a NUL in one line)
** stay errors of their lines. Return VF_LINE_ERROR, or 0 if text.
*/
static VF_NOINLINE int reader_sniff_text(VfReader *p, const char **pz,
                                            size_t *pn){
  const char *z = p->aBuf + p->iBuf;
  size_t n = p->nBuf - p->iBuf, i = 0, nBad = 0, iFirst = 0;
  p->bTextChecked = 1;
  if( n>VF_BINARY_BLOCK ) n = VF_BINARY_BLOCK;
  /* Quick bound first: every byte the rule counts is a control other than
  ** \t \n \v \f \r, or 0x7f and above (a bad UTF-8 byte is one of those).
  ** A loop the compiler vectorizes; for ASCII text the count is 0 and the
  ** exact look below is skipped. (Measured with callgrind on a folder
  ** of 3,000 files of 40 lines: 4 KiB checked with vf_check_text() cost
  ** +21% instructions; 1 KiB through this vector test, about +5%.) */
  {
    const unsigned char *u = (const unsigned char*)z;
    uint32_t nQuick = 0;
#if defined(__SSE2__)
    /* 16 bytes at a time, only to learn whether any byte counts (text
    ** has none): as signed bytes, 0x80 and above are negative, so
    ** "< 0x20" takes them with the controls; then 9..13 are put back and
    ** 0x7f added. Any hit: the bytes are counted one by one below. */
    const __m128i vSp = _mm_set1_epi8(0x20), vTab = _mm_set1_epi8(0x08);
    const __m128i vCr = _mm_set1_epi8(0x0e), vDel = _mm_set1_epi8(0x7f);
    __m128i vAny = _mm_setzero_si128();
    for(i=0; i+16<=n; i+=16){
      __m128i v = _mm_loadu_si128((const __m128i*)(u+i));
      __m128i vLow = _mm_cmplt_epi8(v, vSp);
      __m128i vWs = _mm_and_si128(_mm_cmpgt_epi8(v, vTab),
                                  _mm_cmplt_epi8(v, vCr));
      vAny = _mm_or_si128(vAny, _mm_or_si128(_mm_andnot_si128(vWs, vLow),
                                             _mm_cmpeq_epi8(v, vDel)));
    }
    if( _mm_movemask_epi8(vAny)!=0 ) i = 0;
#else
    i = 0;
#endif
    for(; i<n; i++){
      unsigned char c = u[i];
      nQuick += ((c<0x20) & ((unsigned char)(c-0x09)>4)) | (c>=0x7f);
    }
    if( nQuick<8 || (size_t)nQuick*VF_BINARY_SHARE<=n ) return 0;
  }
  nBad = 0;
  i = 0;
  while( i<n ){
    int bUtf8 = 0;
    size_t iBad = vf_check_text(z+i, n-i, &bUtf8);
    unsigned char c;
    if( iBad==0 ) break;
    i += iBad - 1;
    c = (unsigned char)z[i];
    if( bUtf8 || (c!='\n' && c!='\r' && c!='\f' && c!='\v') ){
      if( nBad++==0 ) iFirst = i + 1;
    }
    i++;
  }
  if( nBad>=8 && nBad*VF_BINARY_SHARE>n ){
    return reader_stop(p, pz, pn, sqlite3_mprintf(
        "'%s': not a flow log (binary data at byte %llu)", p->src.zPath,
        (unsigned long long)(p->iOffset - (p->nBuf - p->iBuf) + iFirst)));
  }
  return 0;
}

/*
** The line in aBuf from iBuf has no '\n' yet and is already longer than
** any acceptable line. Keep its first bytes, then drop the rest up to and
** including the next '\n' (or to the end of the data), and report it.
** Dropping takes at most VF_SKIP_BYTES per call and then returns
** VF_LINE_AGAIN, so that a caller can notice an interrupt even on an
** endless line (/dev/zero, a gzip bomb of zeros); so does a wait for the
** producer that runs out of time.
*/
static VF_NOINLINE int reader_skip_long(VfReader *p, const char **pz,
                                           size_t *pn){
  size_t nDropped = 0;
  if( !p->bSkipping ){
    memcpy(p->aHead, p->aBuf + p->iBuf, VF_HEAD);
    p->bSkipping = 1;
  }
  for(;;){
    char *zEol;
    int rc;
    /* threaded (gzip, a pipe): a chunk may take long to come, so the
    ** caller hears back after each one, to notice an interrupt */
    if( nDropped>=VF_SKIP_BYTES || (p->bThread && nDropped>0) ){
      *pz = "";
      *pn = 0;
      return VF_LINE_AGAIN;
    }
    p->iBuf = p->nBuf;
    rc = reader_refill(p, 0);
    if( rc==0 ){
      *pz = "";
      *pn = 0;
      return VF_LINE_AGAIN;
    }
    if( rc<0 ) break;
    zEol = memchr(p->aBuf + p->iBuf, '\n', p->nBuf - p->iBuf);
    if( zEol ){
      p->iBuf = (size_t)(zEol - p->aBuf) + 1;
      break;
    }
    nDropped += p->nBuf - p->iBuf;
    p->nSkipped += p->nBuf - p->iBuf;
    if( p->nSkipped>VF_SKIP_MAX ){
      /* an endless line (/dev/zero through a pipe, a device): no flow
      ** log has one, so reading stops instead of running for ever */
      return reader_stop(p, pz, pn, sqlite3_mprintf(
          "'%s': not a flow log (a line of over %llu MiB at line %lld): "
          "reading stopped", p->src.zPath,
          (unsigned long long)(VF_SKIP_MAX>>20), (long long)p->iLine+1));
    }
  }
  p->nSkipped = 0;
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
static VF_NOINLINE int reader_last(VfReader *p, const char **pz,
                                      size_t *pn){
  char *z = p->aBuf + p->iBuf;
  size_t n = p->nBuf - p->iBuf;
  if( n==0 ){
    p->eEnd = p->eSrc==VF_SRC_DONE ? VF_LINE_EOF : VF_LINE_ERROR;
    *pz = "";
    *pn = 0;
    return p->eEnd;
  }
  p->iBuf = p->nBuf;
  if( p->eSrc==VF_SRC_CHANGED ){
    /* the file changed under the read: this line may be cut, or spliced
    ** from two versions; the error says where (reader_src_changed) */
    p->eEnd = VF_LINE_ERROR;
    *pz = "";
    *pn = 0;
    return p->eEnd;
  }
  p->iLine++;
  if( z[n-1]=='\r' ) n--;
  *pz = z;
  if( n>VF_READER_MAX_LINE ){
    *pn = VF_HEAD;
    return VF_LINE_TOOLONG;
  }
  *pn = n;
  if( p->eSrc!=VF_SRC_CUT ) return VF_LINE_OK;
  p->bPartialOut = 1;
  return VF_LINE_PARTIAL;
}

/*
** Fetch the next line. See reader.h. The common case, a whole line inside
** the window, is the first branch; everything else is out of line.
*/
int vf_reader_next(VfReader *p, const char **pz, size_t *pn){
  if( p->eEnd ){
    /* a row format's reader has eEnd set from the start (VF_END_ROWS):
    ** that keeps its test off the splitter's path */
    if( p->pFile ) return reader_next_rows(p, pz, pn);
    *pz = "";
    *pn = 0;
    return p->eEnd;
  }
  if( p->bSkipping ) return reader_skip_long(p, pz, pn);
  for(;;){
    char *z = p->aBuf + p->iBuf;
    size_t nAvail = p->nBuf - p->iBuf;
    char *zEol = nAvail ? memchr(z, '\n', nAvail) : 0;
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
    if( nAvail>VF_READER_MAX_LINE+1 ) return reader_skip_long(p, pz, pn);
    if( p->eSrc!=VF_SRC_MORE ) return reader_last(p, pz, pn);
    if( reader_refill(p, nAvail)==0 ){
      *pz = "";
      *pn = 0;
      return VF_LINE_AGAIN;
    }
    if( !p->bTextChecked && reader_sniff_text(p, pz, pn) ){
      return VF_LINE_ERROR;
    }
  }
}

/* See reader.h */
int vf_reader_can_block(const VfReader *p){
  return p->bRegular && p->pFile==0 && !p->src.pFmt->bDecode;
}

/* The last '\n' of z[0..n-1], or NULL. A byte loop is enough: it only
** runs back over the one unfinished line at the end of a block. */
static char *reader_last_eol(char *z, size_t n){
  while( n>0 ){
    if( z[--n]=='\n' ) return z + n;
  }
  return 0;
}

/*
** See reader.h. The bytes the window holds go first; if they end in a
** complete line that fits, nothing is read. Otherwise the file is read
** straight into a[] behind them until it is full or ends, and what
** follows the last '\n' goes back into the window (it fits: nCap is at
** most the window's size) for the next call or for vf_reader_next().
*/
size_t vf_reader_block(VfReader *p, char *a, size_t nCap){
  size_t nHave = p->nBuf - p->iBuf, n;
  char *zEol;
  if( p->eEnd || p->bSkipping || !vf_reader_can_block(p) ) return 0;
  if( !p->bTextChecked ) return 0;   /* vf_reader_next() looks first */
  if( nCap>VF_READER_BLOCK_MAX ) nCap = VF_READER_BLOCK_MAX;
  if( nHave>=nCap ){
    /* Enough in hand: hand over the whole lines among the first nCap. */
    zEol = reader_last_eol(p->aBuf + p->iBuf, nCap);
    if( zEol==0 ) return 0;
    n = (size_t)(zEol - (p->aBuf + p->iBuf)) + 1;
    memcpy(a, p->aBuf + p->iBuf, n);
    p->iBuf += n;
    return n;
  }
  memcpy(a, p->aBuf + p->iBuf, nHave);
  p->iBuf = p->nBuf = 0;
  n = nHave;
  while( n<nCap && p->eSrc==VF_SRC_MORE ){
    size_t nGot = vf_src_fill(&p->src, a + n, nCap - n);
    p->iOffset = p->src.iRead;
    if( nGot==0 ){
      p->eSrc = p->src.eState;
      break;
    }
    n += nGot;
  }
  zEol = reader_last_eol(a, n);
  if( zEol==0 ){
    memcpy(p->aBuf, a, n);            /* all back: vf_reader_next() */
    p->nBuf = n;
    return 0;
  }
  nHave = n - (size_t)(zEol - a) - 1;   /* the tail after the last '\n' */
  memcpy(p->aBuf, zEol + 1, nHave);
  p->nBuf = nHave;
  return (size_t)(zEol - a) + 1;
}

/* See reader.h */
void vf_reader_add_lines(VfReader *p, int64_t nLine){
  p->iLine += nLine;
}

/* See reader.h. Only lowers the cap that vf_reader_open() set: the
** reads after it (reader_src_fill_capped) then stop there, or finish the
** line it cuts, and look for a file that got shorter than it. */
int vf_reader_limit(VfReader *p, uint64_t nSize){
  if( !p->bRegular || p->pFile || p->src.pFmt->bDecode || p->src.nCap==0
   || nSize==0 || nSize<p->src.iRead || p->iLine>0 ){
    return 1;
  }
  if( nSize<p->src.nCap ){
    p->src.nCap = nSize;
    p->nSize = nSize;
  }
  return 0;
}

/* See reader.h */
int64_t vf_reader_lineno(const VfReader *p){
  return p->pFile ? p->pRows->xLineno(p->pFile) : p->iLine;
}

/* See reader.h. Only a final VF_LINE_ERROR shows the message: while lines
** before a late error are still being returned it is not yet "the" error.
** (By then the producer has finished writing it.) */
const char *vf_reader_errmsg(const VfReader *p){
  if( p->pFile ){
    return p->eEnd==VF_LINE_ERROR ? p->pRows->xErrmsg(p->pFile) : "";
  }
  /* also while the last, partial line before the error is handed out,
  ** but not with the whole lines before it (reader.h) */
  if( p->eEnd!=VF_LINE_ERROR && !p->bPartialOut ) return "";
  return p->zStop ? p->zStop : p->src.zErr;
}

/* See reader.h */
int vf_reader_skipping(const VfReader *p){
  return p->bSkipping;
}

/* See reader.h */
int vf_reader_is_gzip(const VfReader *p){
  return p->src.pFmt==&vf_format_gzip;
}

/* See reader.h. This counts the file bytes read to produce the bytes the
** splitter has in hand; for a gzip file it runs ahead of the lines
** returned by at most one chunk and one input buffer. */
uint64_t vf_reader_offset(const VfReader *p){
  return p->pFile ? p->pRows->xOffset(p->pFile) : p->iOffset;
}

/* See reader.h */
uint64_t vf_reader_size(const VfReader *p){
  return p->pFile ? p->pRows->xSize(p->pFile) : p->nSize;
}

/* See reader.h */
const char *vf_reader_format(const VfReader *p){
  if( p->pRows ) return p->pRows->zName;
  return p->src.pFmt ? p->src.pFmt->zName : "";
}

/* See reader.h */
int vf_reader_rows(const VfReader *p){
  return p->pFile!=0;
}

/* See reader.h */
int vf_reader_select(VfReader *p, const char *const *azName, int nName){
  if( p->pFile==0 || p->pRows->xSelect==0 ) return -1;
  return p->pRows->xSelect(p->pFile, azName, nName);
}

/* See reader.h */
int vf_reader_prune(VfReader *p, const VfPrune *pPrune){
  if( p->pFile==0 || p->pRows->xPrune==0 ) return 0;
  return p->pRows->xPrune(p->pFile, pPrune);
}

/* See reader.h. Stops and joins the producer first: it notices the stop
** flag within one chunk of work or one VF_WAIT_MS wait. */
void vf_reader_close(VfReader *p){
  if( p==0 ) return;
  if( p->pFile ){
    p->pRows->xClose(p->pFile);
    sqlite3_free(p);
    return;
  }
  vf_reader_stop_thread(p);          /* inflate.c */
  if( p->src.pFmt && p->src.pFmt->xFree ) p->src.pFmt->xFree(&p->src);
  if( p->src.fd>=0 ) close(p->src.fd);
  vf_s3_close(p->src.pS3);   /* after close(fd): its thread sees EPIPE */
  sqlite3_free(p->src.aIn);
  sqlite3_free(p->aMem);
  sqlite3_free(p->zStop);
  sqlite3_free(p);
}
