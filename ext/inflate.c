/*
** 2026-12-06
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** inflate.c - the gzip byte source (ISA-L or zlib) and the producer
** thread that runs a byte source ahead of the line splitter. Split out
** of reader.c; the reader's contract is in reader.h, the parts shared
** with reader.c in reader_int.h.
**
** Where it sits: reader.c opens a file and knows it by its first bytes
** (format.h's table); for gzip it calls vf_gzip_start() here, and every
** later block of decoded bytes comes from vf_src_fill_gzip(). For gzip
** and for a pipe or device (plain or gzip), vf_reader_start_thread()
** starts inflate_producer(), which fills a ring of chunks from vf_src_fill();
** the splitter in reader.c takes them with vf_pipe_take(), one call per
** chunk, and vf_reader_close() ends the thread with
** vf_reader_stop_thread().
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
** The inflater sits behind four vf_dec_* functions with two
** implementations: ISA-L's igzip, or zlib. vf_src_fill_gzip() feeds it
** from a compressed input buffer, member after member, and reports how
** the data ended: cleanly, with an error after complete data (trailing
** garbage behind a gzip member), or with an error that cut the data short
** (read error, corrupt or truncated gzip).
**
** The producer (inflate_producer) runs the byte source ahead of the caller,
** so that inflating overlaps parsing. It fills a ring of VF_NSLOT chunks
** of VF_CHUNK bytes; the caller's thread takes each filled chunk, splits
** it into lines and gives the slot back. reader.c's header comment says
** how the two threads wait for each other, and why ISA-L.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include "reader_int.h"

/* Choose the inflater: ISA-L where its header exists, unless told not to. */
#if !defined(VPCFLOW_ZLIB) && defined(__has_include)
# if __has_include(<isa-l/igzip_lib.h>)
#  define VF_ISAL 1
# endif
#endif
#ifdef VF_ISAL
# include <isa-l/igzip_lib.h>
#else
# include <zlib.h>
#endif

/* zlib's inflate state and 32 KiB window come from an arena this big. */
#define VF_ZARENA (64*1024)

/* What one step of the inflater did: inflate_dec_run() */
#define VF_DEC_MORE  0   /* progress; the member goes on */
#define VF_DEC_END   1   /* the member ended (trailer checked) */
#define VF_DEC_ERR   2   /* corrupt data; *pzWhy says how */
#define VF_DEC_NOMEM 3   /* the inflater ran out of memory */

/* The inflater's state, allocated by vf_gzip_start(). */
struct VfInflater {
#ifdef VF_ISAL
  struct inflate_state s;    /* ISA-L inflate state */
#else
  z_stream z;                /* zlib inflate state */
  int bZInit;                /* 1 once inflateInit2() succeeded */
  size_t nArena;             /* bytes of aArena handed out */
  unsigned char aArena[VF_ZARENA];  /* for zlib's allocations (last) */
#endif
};

/* ---- the inflater --------------------------------------------------- */

#ifdef VF_ISAL

/* Allocate and start the inflater (on the caller's thread). 0 or ENOMEM. */
static int inflate_dec_init(VfByteSrc *pSrc){
  pSrc->pDec = sqlite3_malloc64(sizeof(*pSrc->pDec));
  if( pSrc->pDec==0 ) return ENOMEM;
  isal_inflate_init(&pSrc->pDec->s);
  /* parse the gzip header and check CRC-32 and length in the trailer */
  pSrc->pDec->s.crc_flag = ISAL_GZIP;
  return 0;
}

/* Get ready for the next member. Return 0 (ISA-L cannot fail here). */
static int inflate_dec_reset(VfByteSrc *pSrc){
  isal_inflate_reset(&pSrc->pDec->s);
  pSrc->pDec->s.crc_flag = ISAL_GZIP;
  return 0;
}

/* Words for ISA-L's error codes, zlib's where zlib has one for the case. */
static const char *inflate_dec_why(int rc){
  switch( rc ){
    case ISAL_INVALID_BLOCK:      return "invalid block";
    case ISAL_INVALID_SYMBOL:     return "invalid code";
    case ISAL_INVALID_LOOKBACK:   return "invalid distance too far back";
    case ISAL_INVALID_WRAPPER:    return "incorrect header check";
    case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
    case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
  }
  return "invalid data";
}

/*
** Inflate from pSrc->pIn/nIn into aOut[0..nOut-1]: set *pnOut to the bytes
** written, consume input, and return VF_DEC_*.
*/
static int inflate_dec_run(VfByteSrc *pSrc, char *aOut, size_t nOut,
                      size_t *pnOut, const char **pzWhy){
  struct inflate_state *pD = &pSrc->pDec->s;
  size_t nInBefore = pSrc->nIn;
  int rc;
  pD->next_in = pSrc->pIn;
  pD->avail_in = (uint32_t)pSrc->nIn;
  pD->next_out = (uint8_t*)aOut;
  pD->avail_out = (uint32_t)nOut;
  rc = isal_inflate(pD);
  pSrc->pIn = pD->next_in;
  pSrc->nIn = pD->avail_in;
  *pnOut = nOut - pD->avail_out;
  if( rc<0 ){
    *pzWhy = inflate_dec_why(rc);
    if( rc==ISAL_INCORRECT_CHECKSUM
     && (size_t)(pSrc->pIn - pSrc->aIn)>=8 ){
      /* ISA-L says the same for a wrong CRC-32 and a wrong length (ISIZE);
      ** the trailer just consumed tells which, as zlib's words do */
      const unsigned char *t = pSrc->pIn - 4;
      uint32_t nIsize = (uint32_t)t[0] | (uint32_t)t[1]<<8
                      | (uint32_t)t[2]<<16 | (uint32_t)t[3]<<24;
      if( nIsize!=(uint32_t)pD->total_out ) *pzWhy = "incorrect length check";
    }
    return VF_DEC_ERR;
  }
  if( pD->block_state==ISAL_BLOCK_FINISH ) return VF_DEC_END;
  if( *pnOut==0 && pSrc->nIn==nInBefore && nInBefore>0 ){
    /* Neither input taken nor output made: never seen, but it must not
    ** spin the producer forever. */
    *pzWhy = "inflater made no progress";
    return VF_DEC_ERR;
  }
  return VF_DEC_MORE;
}

/* Free the inflater. */
static void inflate_dec_free(VfByteSrc *pSrc){
  sqlite3_free(pSrc->pDec);
}

#else /* zlib */

/*
** zlib allocates from a fixed arena set aside by inflate_dec_init(), because
** it allocates its window lazily inside inflate(), which may run on the
** producer thread. Nothing is freed before the arena itself.
*/
static voidpf inflate_zalloc(voidpf pOpaque, uInt nItem, uInt nSize){
  VfInflater *pD = (VfInflater*)pOpaque;
  size_t n = ((size_t)nItem*nSize + 15) & ~(size_t)15;
  voidpf pRet;
  if( n>VF_ZARENA - pD->nArena ) return Z_NULL;
  pRet = pD->aArena + pD->nArena;
  pD->nArena += n;
  return pRet;
}
static void inflate_zfree(voidpf pOpaque, voidpf p){
  (void)pOpaque;
  (void)p;
}

/* Allocate and start the inflater (on the caller's thread). 0 or ENOMEM. */
static int inflate_dec_init(VfByteSrc *pSrc){
  VfInflater *pD = sqlite3_malloc64(sizeof(*pD));
  if( pD==0 ) return ENOMEM;
  memset(pD, 0, sizeof(*pD) - VF_ZARENA);   /* the arena needs no zeroing */
  pSrc->pDec = pD;
  pD->z.zalloc = inflate_zalloc;
  pD->z.zfree = inflate_zfree;
  pD->z.opaque = pD;
  /* 16+15: gzip wrapper only, 32 KiB window, the largest gzip allows */
  if( inflateInit2(&pD->z, 16+MAX_WBITS)!=Z_OK ) return ENOMEM;
  pD->bZInit = 1;
  return 0;
}

/* Get ready for the next member. Return 0, or nonzero on failure. */
static int inflate_dec_reset(VfByteSrc *pSrc){
  return inflateReset(&pSrc->pDec->z)!=Z_OK;
}

/*
** Inflate from pSrc->pIn/nIn into aOut[0..nOut-1]: set *pnOut to the bytes
** written, consume input, and return VF_DEC_*.
*/
static int inflate_dec_run(VfByteSrc *pSrc, char *aOut, size_t nOut,
                      size_t *pnOut, const char **pzWhy){
  z_stream *pz = &pSrc->pDec->z;
  int rc;
  pz->next_in = pSrc->pIn;
  pz->avail_in = (uInt)pSrc->nIn;
  pz->next_out = (Bytef*)aOut;
  pz->avail_out = (uInt)nOut;
  rc = inflate(pz, Z_NO_FLUSH);
  pSrc->pIn = pz->next_in;
  pSrc->nIn = pz->avail_in;
  *pnOut = nOut - pz->avail_out;
  if( rc==Z_STREAM_END ) return VF_DEC_END;
  /* Progress made, or simply more input wanted: go round again. */
  if( rc==Z_OK || (rc==Z_BUF_ERROR && pz->avail_in==0) ) return VF_DEC_MORE;
  if( rc==Z_MEM_ERROR ) return VF_DEC_NOMEM;
  *pzWhy = pz->msg ? pz->msg : "invalid data";
  return VF_DEC_ERR;
}

/* Free the inflater. */
static void inflate_dec_free(VfByteSrc *pSrc){
  if( pSrc->pDec && pSrc->pDec->bZInit ) inflateEnd(&pSrc->pDec->z);
  sqlite3_free(pSrc->pDec);
}

#endif /* zlib */

/* ---- the gzip byte source ------------------------------------------- */

/*
** Gzip, between members: make sure at least 2 unconsumed input bytes are
** in hand unless the file ends first. Return the count available (0 to 2),
** or a negative value if vf_src_read() said -1 or VF_READ_NOTNOW.
*/
static int inflate_src_need2(VfByteSrc *pSrc, int bHave){
  while( pSrc->nIn<2 ){
    ssize_t got;
    size_t nKeep = pSrc->nIn;
    if( nKeep ) pSrc->aIn[0] = pSrc->pIn[0];
    got = vf_src_read(pSrc, pSrc->aIn+nKeep, VF_INBUF-nKeep, bHave);
    if( got<0 ) return -1;
    pSrc->pIn = pSrc->aIn;
    pSrc->nIn = nKeep + (size_t)got;
    if( got==0 ) break;
  }
  return (int)(pSrc->nIn<2 ? pSrc->nIn : 2);
}

#ifdef VF_ISAL
/*
** Length of the gzip member header at a[0..n-1] if it carries a header
** CRC (FHCRC) and is complete, 0 if more bytes are needed to tell, -1 if
** it has no header CRC or is not a header the inflater will accept (then
** the inflater judges it). RFC 1952: 10 fixed bytes, then the optional
** extra field, name, comment and header CRC.
*/
static int64_t inflate_gzip_header_need(const unsigned char *a, size_t n){
  size_t i;
  if( n<4 ) return 0;
  if( a[0]!=0x1f || a[1]!=0x8b || (a[3] & 0x02)==0 ) return -1;
  i = 10;
  if( a[3] & 0x04 ){                      /* FEXTRA */
    if( n<i+2 ) return 0;
    i += 2 + (size_t)(a[i] | (a[i+1]<<8));
  }
  if( a[3] & 0x08 ){                      /* FNAME */
    while( i<n && a[i] ) i++;
    if( i>=n ) return 0;
    i++;
  }
  if( a[3] & 0x10 ){                      /* FCOMMENT */
    while( i<n && a[i] ) i++;
    if( i>=n ) return 0;
    i++;
  }
  i += 2;                                 /* FHCRC */
  return i<=n ? (int64_t)i : 0;
}

/*
** ISA-L 2.30 cannot check a header CRC (FHCRC) when the header reaches it
** over two calls (found by fuzzing). Before the first inflate call of a
** member, have the whole header in the input buffer when it has such a
** CRC. A header longer than the buffer is left to the inflater to refuse.
** Return 0, or a negative vf_src_read() result.
*/
static int inflate_src_gzip_header(VfByteSrc *pSrc, int bHave){
  while( inflate_gzip_header_need(pSrc->pIn, pSrc->nIn)==0 && !pSrc->bEof ){
    ssize_t got;
    if( pSrc->pIn!=pSrc->aIn ){
      memmove(pSrc->aIn, pSrc->pIn, pSrc->nIn);
      pSrc->pIn = pSrc->aIn;
    }
    if( pSrc->nIn>=VF_INBUF ) break;
    got = vf_src_read(pSrc, pSrc->aIn + pSrc->nIn, VF_INBUF - pSrc->nIn, bHave);
    if( got<0 ) return (int)got;
    pSrc->nIn += (size_t)got;
    if( got==0 ) pSrc->bEof = 1;
  }
  return 0;
}
#endif

/*
** Byte source for a gzip file: inflate into the caller's buffer until it
** is full or the source ends (or, on the producer thread, a pipe runs dry
** or the reader closes). Return the count delivered. Bytes inflated before
** an error are delivered with it; eState says how the source stands.
*/
size_t vf_src_fill_gzip(VfByteSrc *pSrc, char *aOut, size_t nOut){
  size_t nDone = 0;
  while( nDone<nOut && pSrc->eState==VF_SRC_MORE ){
    size_t nGot = 0;
    const char *zWhy = 0;
    int e;
    if( pSrc->bMemberDone ){
      /* Between members: the file must end here or start a new member. */
      int nHave = inflate_src_need2(pSrc, nDone>0);
      if( nHave<0 ) break;
      if( nHave==0 ){
        pSrc->eState = VF_SRC_DONE;
        break;
      }
      if( pSrc->pIn[0]==0 ){
        /* Zero bytes after a member (padding from tape or block tools, a
        ** preallocated file): gzip -d accepts them to the end of the
        ** file, and so does this. Anything else after them is garbage. */
        while( pSrc->nIn>0 && pSrc->pIn[0]==0 ){
          pSrc->pIn++;
          pSrc->nIn--;
        }
        if( pSrc->nIn==0 ){
          ssize_t got = vf_src_read(pSrc, pSrc->aIn, VF_INBUF, nDone>0);
          if( got<0 ) break;
          pSrc->pIn = pSrc->aIn;
          pSrc->nIn = (size_t)got;
          if( got==0 ){
            pSrc->eState = VF_SRC_DONE;
            break;
          }
          if( pSrc->pIn[0]==0 ) continue;
        }
        /* as for gzip -d, padding ends the data: even a member after it
        ** is not read */
        vf_src_error(pSrc, VF_SRC_FAIL,
            "'%s': trailing garbage after gzip member and zero padding at "
            "byte %llu", pSrc->zPath,
            (unsigned long long)(pSrc->iRead - pSrc->nIn));
        break;
      }
      if( pSrc->pIn[0]!=0x1f || (nHave==2 && pSrc->pIn[1]!=0x8b) ){
        vf_src_error(pSrc, VF_SRC_FAIL,
            "'%s': trailing garbage after gzip member at byte %llu",
            pSrc->zPath, (unsigned long long)(pSrc->iRead - pSrc->nIn));
        break;
      }
      /* A lone 1f at the very end falls through: the inflater will want
      ** more, and the file will prove to be truncated. */
      if( inflate_dec_reset(pSrc) ){
        vf_src_error(pSrc, VF_SRC_CUT, "'%s': cannot reset gzip decoder",
                     pSrc->zPath);
        break;
      }
      pSrc->bMemberDone = 0;
      pSrc->bNewMember = 1;
    }
    if( pSrc->nIn==0 && !pSrc->bEof ){
      ssize_t got = vf_src_read(pSrc, pSrc->aIn, VF_INBUF, nDone>0);
      if( got<0 ) break;
      pSrc->pIn = pSrc->aIn;
      pSrc->nIn = (size_t)got;
      pSrc->bEof = got==0;
    }
#ifdef VF_ISAL
    if( pSrc->bNewMember ){
      if( inflate_src_gzip_header(pSrc, nDone>0)<0 ) break;
      pSrc->bNewMember = 0;
    }
#endif
    /* At end of file the inflater still runs: it may hold decoded bytes
    ** that did not fit the last time (ISA-L up to 64 KiB, zlib the rest
    ** of a match). Only when it has nothing left is the stream cut. */
    e = inflate_dec_run(pSrc, aOut+nDone, nOut-nDone, &nGot, &zWhy);
    nDone += nGot;
    if( e==VF_DEC_MORE && pSrc->bEof && nGot==0 ){
      vf_src_error(pSrc, VF_SRC_CUT,
          "'%s': truncated gzip stream (unexpected end of file)",
          pSrc->zPath);
    }else if( e==VF_DEC_END ){
      pSrc->bMemberDone = 1;
    }else if( e==VF_DEC_NOMEM ){
      vf_src_error(pSrc, VF_SRC_CUT, "'%s': out of memory in gzip decoder",
                   pSrc->zPath);
    }else if( e==VF_DEC_ERR ){
      vf_src_error(pSrc, VF_SRC_CUT,
          "'%s': gzip data error: %s near compressed byte %llu",
          pSrc->zPath, zWhy, (unsigned long long)(pSrc->iRead - pSrc->nIn));
    }
  }
  return nDone;
}

/*
** The first two bytes, in aSniff, are the gzip magic 1f 8b: the source
** becomes a gzip one. They go to the compressed input buffer, where the
** inflater reads the member header from. Return 0, or an errno value.
*/
int vf_gzip_start(VfByteSrc *pSrc){
  pSrc->bNewMember = 1;
  pSrc->nSniff = 0;
  pSrc->aIn = sqlite3_malloc64(VF_INBUF);
  if( pSrc->aIn==0 ) return ENOMEM;
  memcpy(pSrc->aIn, pSrc->aSniff, 2);
  pSrc->pIn = pSrc->aIn;
  pSrc->nIn = 2;
  return inflate_dec_init(pSrc);
}

/* Free the inflater and the input buffer (the producer has stopped). */
void vf_gzip_free(VfByteSrc *pSrc){
  inflate_dec_free(pSrc);
  sqlite3_free(pSrc->aIn);
  pSrc->aIn = 0;
}

/* ---- the producer thread and its ring ------------------------------- */

/* Set *pT to VF_WAIT_MS from now on CLOCK_MONOTONIC (the conditions'
** clock, so that setting the wall clock cannot stretch a wait). */
static void inflate_deadline(struct timespec *pT){
  clock_gettime(CLOCK_MONOTONIC, pT);
  pT->tv_nsec += VF_WAIT_MS*1000000L;
  if( pT->tv_nsec>=1000000000L ){
    pT->tv_sec++;
    pT->tv_nsec -= 1000000000L;
  }
}

/*
** The producer: fill free slots from the byte source and hand them over
** in order, until the source ends or the reader closes.
*/
static void *inflate_producer(void *pArg){
  VfReader *p = (VfReader*)pArg;
  int bEnd = 0;
  while( !bEnd ){
    VfSlot *pSlot;
    size_t n;
    pthread_mutex_lock(&p->mutex);
    while( p->nBusy==VF_NSLOT && !vf_src_stopping(&p->src) ){
      struct timespec t;
      inflate_deadline(&t);
      pthread_cond_timedwait(&p->condFree, &p->mutex, &t);
    }
    if( vf_src_stopping(&p->src) ){
      pthread_mutex_unlock(&p->mutex);
      break;
    }
    /* Slots are freed in the order they were filled, so this one is free */
    pSlot = &p->aSlot[p->nFilled % VF_NSLOT];
    pthread_mutex_unlock(&p->mutex);

    n = vf_src_fill(&p->src, pSlot->a + VF_HEADROOM, VF_CHUNK);
    bEnd = p->src.eState!=VF_SRC_MORE;

    pthread_mutex_lock(&p->mutex);
    if( n>0 ){
      pSlot->n = n;
      pSlot->iRead = p->src.iRead;
      p->nFilled++;
      p->nBusy++;
    }
    if( bEnd ) p->bDone = 1;
    if( n>0 || bEnd ) pthread_cond_signal(&p->condFull);
    pthread_mutex_unlock(&p->mutex);
  }
  return 0;
}

/*
** Allocate the ring and start the producer. Return 0, or an errno value.
** If the thread cannot start (or VPCFLOW_NO_THREAD), the ring's memory
** becomes the single window and the source is read on the caller's thread.
*/
int vf_reader_start_thread(VfReader *p){
  size_t nSlot = (size_t)VF_HEADROOM + VF_CHUNK;
  size_t nMem = nSlot*VF_NSLOT;
  pthread_condattr_t attr;
  sigset_t all, old;
  int i, rc;

  p->aMem = sqlite3_malloc64(nMem<VF_OUTBUF ? VF_OUTBUF : nMem);
  if( p->aMem==0 ) return ENOMEM;
  for(i=0; i<VF_NSLOT; i++) p->aSlot[i].a = p->aMem + nSlot*i;
  p->aBuf = p->aMem;
  if( !VF_USE_THREAD ) return 0;
  if( pthread_mutex_init(&p->mutex, 0) ) return 0;
  rc = pthread_condattr_init(&attr);
  if( rc==0 ){
    rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    if( rc==0 ) rc = pthread_cond_init(&p->condFull, &attr);
    if( rc==0 ){
      rc = pthread_cond_init(&p->condFree, &attr);
      if( rc ) pthread_cond_destroy(&p->condFull);
    }
    pthread_condattr_destroy(&attr);
  }
  if( rc ){
    pthread_mutex_destroy(&p->mutex);
    return 0;
  }
  p->bSync = 1;
  /* Not a regular file (or an empty one, where poll() returns at once):
  ** read() could block for as long as the writer likes. */
  p->src.bPoll = p->nSize==0;
  /* The producer takes no signals: they go to the caller's threads. */
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  rc = pthread_create(&p->tid, 0, inflate_producer, p);
  pthread_sigmask(SIG_SETMASK, &old, 0);
  if( rc==0 ){
    p->bThread = 1;
  }else{
    p->src.bPoll = 0;
  }
  return 0;
}

/*
** Threaded refill: wait (at most VF_WAIT_MS) for the next chunk, copy the
** nKeep bytes at the end of the window in front of it, give the previous
** slot back and make the chunk the window. Return 1 if so, 0 if nothing
** arrived in time, or -1 at the end of the data (window unchanged, eSrc
** says how the data ended).
*/
int vf_pipe_take(VfReader *p, size_t nKeep){
  VfSlot *pSlot = 0;
  int bDone;
  pthread_mutex_lock(&p->mutex);
  if( p->nTaken==p->nFilled && !p->bDone ){
    struct timespec t;
    inflate_deadline(&t);
    while( p->nTaken==p->nFilled && !p->bDone ){
      if( pthread_cond_timedwait(&p->condFull, &p->mutex, &t)==ETIMEDOUT ){
        break;
      }
    }
  }
  bDone = p->bDone;
  if( p->nTaken<p->nFilled ){
    pSlot = &p->aSlot[p->nTaken % VF_NSLOT];
    p->nTaken++;
    p->iOffset = pSlot->iRead;
  }
  pthread_mutex_unlock(&p->mutex);
  if( pSlot==0 ){
    if( !bDone ) return 0;
    /* The producer has finished with the source for good. */
    p->eSrc = p->src.eState;
    p->iOffset = p->src.iRead;
    return -1;
  }
  /* The producer leaves a handed-over slot alone until it is given back */
  assert( nKeep<=VF_HEADROOM );
  if( nKeep ){
    memcpy(pSlot->a + VF_HEADROOM - nKeep, p->aBuf + p->nBuf - nKeep, nKeep);
  }
  if( p->bHold ){
    pthread_mutex_lock(&p->mutex);
    p->nBusy--;
    pthread_cond_signal(&p->condFree);
    pthread_mutex_unlock(&p->mutex);
  }
  p->bHold = 1;
  p->aBuf = pSlot->a;
  p->iBuf = VF_HEADROOM - nKeep;
  p->nBuf = VF_HEADROOM + pSlot->n;
  return 1;
}

/* See reader_int.h. The producer notices the stop flag within one chunk
** of work or one VF_WAIT_MS wait. */
void vf_reader_stop_thread(VfReader *p){
  if( p->bThread ){
    pthread_mutex_lock(&p->mutex);
    __atomic_store_n(&p->src.bStop, 1, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&p->condFree);
    pthread_mutex_unlock(&p->mutex);
    pthread_join(p->tid, 0);
    p->bThread = 0;
  }
  if( p->bSync ){
    pthread_cond_destroy(&p->condFree);
    pthread_cond_destroy(&p->condFull);
    pthread_mutex_destroy(&p->mutex);
    p->bSync = 0;
  }
}

/* ---- the gzip byte format (format.h) ------------------------------- */

/* 1 for the gzip magic 1f 8b, whatever the file's name. */
static int inflate_gzip_magic(const void *a, size_t n){
  const unsigned char *u = (const unsigned char*)a;
  return n>=2 && u[0]==0x1f && u[1]==0x8b;
}

const VfFormat vf_format_gzip = {
  "gzip", 2, inflate_gzip_magic,
  1, vf_gzip_start, vf_src_fill_gzip, vf_gzip_free,
  0, 0, 0, 0, 0, 0, 0, 0, 0                     /* not a row format */
};
