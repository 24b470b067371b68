/*
** 2026-12-06
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** s3.c - read flow logs straight from Amazon S3 or an S3-compatible
** store (the contract is in s3.h).
**
** Usage:
**
**   SELECT count(*) FROM vpcflow('s3://my-logs/AWSLogs/123456789012/');
**   CREATE VIRTUAL TABLE temp.flows USING
**     vpcflow('s3://my-logs/AWSLogs/1234/vpcflowlogs/us-east-1/2026/12/'
**             || '0[1-3]/1234_vpcflowlogs_*.log.gz');
**
** Settings are read as the AWS SDKs read them, at each listing and each
** object (so a changed environment takes effect on the next query):
**   credentials  AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+
**                AWS_SESSION_TOKEN); else the profile AWS_PROFILE (or
**                "default") of the credentials file (AWS_SHARED_CREDENTIALS_
**                FILE or ~/.aws/credentials), then of the config file
**                (AWS_CONFIG_FILE or ~/.aws/config, section "[profile X]"
**                or "[default]"); else the container endpoint
**                (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI); else
**                instance metadata, IMDSv2 (the last two cached);
**   region       AWS_REGION, AWS_DEFAULT_REGION, the profile's "region",
**                else us-east-1; a bucket in another region is followed
**                when the answer names its region (x-amz-bucket-region),
**                and remembered for the process (16 buckets);
**   endpoint     AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL, addressed
**                path-style (http://HOST:PORT/BUCKET/KEY), for S3-compatible
**                stores; else https://BUCKET.s3.REGION.amazonaws.com/KEY
**                (path-style on s3.REGION.amazonaws.com for a bucket with
**                a '.' in its name).
** Not yet: SSO, credential_process, web identity and assume-role
** profiles; coalescing adjacent Parquet column chunks into one GET.
**
** HOW IT WORKS
**
** HTTP, TLS and the SigV4 signature are libcurl's (CURLOPT_AWS_SIGV4):
** no HTTP, TLS or cryptography is written here. This file builds the URLs
** (with the key percent-encoded as S3's canonical request wants it, and
** the query's parameters in sorted order, since libcurl signs the query
** as given), reads the few XML elements it needs, and decides what to
** retry.
**
** Listing (vf_s3_expand, on the caller's thread) asks ListObjectsV2 for
** the key's longest literal prefix, page after page (continuation-token),
** and keeps the keys the path selects (s3.h), sorted like local files.
** The XML is scanned, not parsed: only <Key> inside <Contents>,
** <IsTruncated>, <NextContinuationToken>, and <Code>/<Message> of an
** error are read, entities decoded; anything else is ignored, and a page
** that says it is truncated without a token is an error (never a loop).
**
** An object (vf_s3_open) is fetched by a thread of its own, which writes
** its bytes into one end of a socketpair; the reader (reader.c) reads the
** other end exactly as it reads a pipe, so gzip sniffing, the inflater
** thread and the 10 ms poll slices that keep Ctrl-C prompt all apply
** unchanged. A socket rather than a pipe because send(MSG_NOSIGNAL) lets
** the thread see a reader that went away (EPIPE) without a SIGPIPE. When
** the transfer fails the thread records why before it closes its end;
** the reader, at that end, asks vf_s3_failed() and reports the failure
** instead of a clean end of file.
**
** A Parquet object (a key ending in ".parquet": vf_s3_parquet_open) is
** not streamed: parquet.c reads it through a VfParquetIo (parquet.h)
** whose reads are ranged GETs made in the caller's thread, through the
** same s3_get() (retries, the 50 ms stop test, scrubbed messages), over
** one easy handle kept for the object so its connection is reused. The
** first GET asks for bytes 0-3: its Content-Range gives the object's
** size and its ETag goes into If-Match on every later GET. parquet.c
** then reads the tail, the footer, and page by page the column chunks
** of the row groups and columns the query needs, telling each read where
** the chunk ends (iAhead). A read that is not in a block held gets one
** GET from its offset to that end, at most S3_PQ_AHEAD (4 MiB) more: so
** each needed column chunk is one request (a larger one a few), not one
** per page (or two: a page's header, then its body), and never a byte
** beyond the chunk, so an unused column or a skipped row group costs
** nothing. Adjacent needed chunks are not merged into one GET: that
** would save a round trip per column but would hold a row group's
** columns in one buffer, and a column read ahead of the others cannot
** free its part; per-chunk blocks (S3_PQ_CACHE bounds them, least
** recently used first out) keep memory at about one block per column.
**
** Every request runs in a curl multi handle polled 50 ms at a time, so a
** stop (an interrupt during a listing, vf_s3_close() during a transfer)
** is noticed within 50 ms even while the server says nothing. Failures:
** HTTP 500/502/503/504 and the SlowDown/InternalError/RequestTimeout codes,
** and connections that fail or drop, are tried again, S3_TRIES times in
** all, after 100, 200, 400 ... ms; a GET that dropped mid-object goes on
** with "Range: bytes=N-" from the byte reached, with If-Match on the first
** answer's ETag so that an object replaced meanwhile is an error, not a
** splice of two objects. Other answers are errors naming the bucket and
** key, S3's Code and Message. Messages never hold the secret, the token
** or a signature: only Code and Message are taken from an error body
** (a SignatureDoesNotMatch body quotes the string to sign), and every
** message is scrubbed of the secret and token before it leaves.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "s3.h"

#if !defined(VF_NO_CURL) && defined(__has_include)
# if __has_include(<curl/curl.h>)
#  define VF_S3_CURL 1
# endif
#endif

/* See s3.h */
int vf_s3_is_url(const char *zPath){
  return zPath!=0 && strncmp(zPath, "s3://", 5)==0;
}

/* See s3.h */
int vf_s3_is_parquet(const char *zUrl){
  size_t n;
  if( !vf_s3_is_url(zUrl) ) return 0;
  n = strlen(zUrl);
  return n>8 && strcasecmp(zUrl+n-8, ".parquet")==0;
}

/* See s3.h */
int vf_s3_schema_skip(VfS3Seen *pSeen, const char *zFile){
  const char *zBase, *zTag, *z, *zEnd = 0;
  size_t n;
  int i;
  char **azNew;
  if( !vf_s3_is_url(zFile) ) return 0;
  zBase = strrchr(zFile, '/');
  zBase = zBase ? zBase+1 : zFile;
  zTag = strstr(zBase, "_vpcflowlogs_");
  if( zTag==0 ) return 0;
  /* the id ends at the '_' before "YYYYMMDDTHHMMZ_" */
  for(z=zTag; (z = strchr(z+1, '_'))!=0; ){
    if( strlen(z)>16 && z[9]=='T' && z[14]=='Z' && z[15]=='_' ){
      zEnd = z;
      break;
    }
  }
  if( zEnd==0 ) return 0;
  n = (size_t)(zEnd - zBase);
  for(i=0; i<pSeen->n; i++){
    if( strlen(pSeen->az[i])==n && memcmp(pSeen->az[i], zBase, n)==0 ) return 1;
  }
  if( pSeen->n>=pSeen->nAlloc ){
    int nNew = pSeen->nAlloc ? pSeen->nAlloc*2 : 8;
    azNew = sqlite3_realloc64(pSeen->az, sizeof(char*)*(size_t)nNew);
    if( azNew==0 ) return 0;
    pSeen->az = azNew;
    pSeen->nAlloc = nNew;
  }
  pSeen->az[pSeen->n] = sqlite3_mprintf("%.*s", (int)n, zBase);
  if( pSeen->az[pSeen->n] ) pSeen->n++;
  return 0;
}

/* See s3.h */
void vf_s3_seen_free(VfS3Seen *pSeen){
  int i;
  for(i=0; i<pSeen->n; i++) sqlite3_free(pSeen->az[i]);
  sqlite3_free(pSeen->az);
  memset(pSeen, 0, sizeof(*pSeen));
}

/* ---- XML, read minimally -------------------------------------------- */

/*
** Decode the XML entities of a[0..n-1] in place (&amp; &lt; &gt; &quot;
** &apos; &#N; &#xH;, as UTF-8) and terminate it. An unknown or broken
** entity is left as it is. Return the new length.
*/
static size_t s3_xml_decode(char *a, size_t n){
  size_t i = 0, j = 0;
  while( i<n ){
    if( a[i]=='&' ){
      static const struct { const char *z; char c; } aEnt[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'},
        {"&apos;", '\''},
      };
      size_t k, nE;
      int bDone = 0;
      for(k=0; k<sizeof(aEnt)/sizeof(aEnt[0]); k++){
        nE = strlen(aEnt[k].z);
        if( n-i>=nE && memcmp(a+i, aEnt[k].z, nE)==0 ){
          a[j++] = aEnt[k].c;
          i += nE;
          bDone = 1;
          break;
        }
      }
      if( !bDone && i+2<n && a[i+1]=='#' ){
        unsigned long v = 0;
        size_t e = i+2;
        int bHex = (a[e]=='x' || a[e]=='X'), nDig = 0;
        if( bHex ) e++;
        while( e<n && nDig<8 ){
          char c = a[e];
          int d = (c>='0' && c<='9') ? c-'0'
                : (bHex && c>='a' && c<='f') ? c-'a'+10
                : (bHex && c>='A' && c<='F') ? c-'A'+10 : -1;
          if( d<0 ) break;
          v = v*(bHex ? 16 : 10) + (unsigned long)d;
          e++;
          nDig++;
        }
        if( nDig>0 && e<n && a[e]==';' && v>0 && v<=0x10FFFF ){
          /* the UTF-8 form is never longer than the entity (>= 4 bytes) */
          if( v<0x80 ){
            a[j++] = (char)v;
          }else if( v<0x800 ){
            a[j++] = (char)(0xC0 | (v>>6));
            a[j++] = (char)(0x80 | (v&0x3F));
          }else if( v<0x10000 ){
            a[j++] = (char)(0xE0 | (v>>12));
            a[j++] = (char)(0x80 | ((v>>6)&0x3F));
            a[j++] = (char)(0x80 | (v&0x3F));
          }else{
            a[j++] = (char)(0xF0 | (v>>18));
            a[j++] = (char)(0x80 | ((v>>12)&0x3F));
            a[j++] = (char)(0x80 | ((v>>6)&0x3F));
            a[j++] = (char)(0x80 | (v&0x3F));
          }
          i = e+1;
          bDone = 1;
        }
      }
      if( bDone ) continue;
    }
    a[j++] = a[i++];
  }
  a[j] = 0;
  return j;
}

/*
** Find the next element <zTag>...</zTag> in z[*pi..n-1]. Return 1 and set
** *piVal, *pnVal to its text (still encoded), *pi past it; 0 if none.
** The text may not contain '<' (a nested element is not a value).
*/
static int s3_xml_next(const char *z, size_t n, size_t *pi, const char *zTag,
                       size_t *piVal, size_t *pnVal){
  char zOpen[64], zClose[64];
  size_t nO, nC, i = *pi;
  snprintf(zOpen, sizeof(zOpen), "<%s>", zTag);
  snprintf(zClose, sizeof(zClose), "</%s>", zTag);
  nO = strlen(zOpen);
  nC = strlen(zClose);
  while( i+nO<=n ){
    const char *p = memchr(z+i, '<', n-i);
    size_t iStart, k;
    if( p==0 ) return 0;
    i = (size_t)(p-z);
    if( n-i<nO || memcmp(z+i, zOpen, nO)!=0 ){
      i++;
      continue;
    }
    iStart = i+nO;
    for(k=iStart; k<n && z[k]!='<'; k++){}
    if( n-k<nC || memcmp(z+k, zClose, nC)!=0 ){
      i = iStart;
      continue;
    }
    *piVal = iStart;
    *pnVal = k-iStart;
    *pi = k+nC;
    return 1;
  }
  return 0;
}

/* The decoded text of the first <zTag> in a[0..n-1] into zOut, or "". */
static void s3_xml_text(const char *a, size_t n, const char *zTag,
                        char *zOut, size_t nOut){
  size_t i = 0, iV, nV;
  zOut[0] = 0;
  if( nOut<2 || !s3_xml_next(a, n, &i, zTag, &iV, &nV) ) return;
  if( nV>nOut-1 ) nV = nOut-1;
  memcpy(zOut, a+iV, nV);
  s3_xml_decode(zOut, nV);
}


/* See s3.h */
int vf_s3_parse_page(char *a, size_t n, int (*xKey)(void*, const char*),
                     void *pArg, int *pbTruncated, char *zToken,
                     size_t nToken){
  size_t i = 0, iV, nV;
  char zTrunc[16];
  *pbTruncated = 0;
  if( nToken>0 ) zToken[0] = 0;
  /* IsTruncated and the token first: a key's decoding leaves its old
  ** bytes behind it, which a later search must not mistake for tags */
  s3_xml_text(a, n, "IsTruncated", zTrunc, sizeof(zTrunc));
  *pbTruncated = strcmp(zTrunc, "true")==0;
  if( nToken>0 ) s3_xml_text(a, n, "NextContinuationToken", zToken, nToken);
  while( s3_xml_next(a, n, &i, "Key", &iV, &nV) ){
    int rc;
    char c = a[iV+nV];            /* the '<' of "</Key>" */
    s3_xml_decode(a+iV, nV);      /* terminates it (never longer) */
    rc = xKey(pArg, a+iV);
    a[iV+nV] = c;
    if( rc ) return rc;
  }
  return 0;
}

/* Most '/'-separated segments of a pattern or key vf_s3_glob_match()
** takes (an S3 key is at most 1,024 bytes). */
#define S3_MAX_SEGS 1100

/*
** Split a[] in place at each '/' (replaced by NUL) into az[]. Return the
** count, or -1 if there are more than S3_MAX_SEGS.
*/
static int s3_split(char *a, char **az){
  int n = 0;
  char *p;
  for(p=a; ; p++){
    char *q = strchr(p, '/');
    if( n>=S3_MAX_SEGS ) return -1;
    az[n++] = p;
    if( q==0 ) break;
    *q = 0;
    p = q;
  }
  return n;
}

/*
** A glob pattern split once, with the scratch space its matches reuse,
** so that matching the keys of a listing allocates nothing per key.
*/
typedef struct S3Glob S3Glob;
struct S3Glob {
  char *aP;                  /* the pattern, split (malloc) */
  char **azP;                /* its segments (S3_MAX_SEGS+1 slots) */
  int m;                     /* their number, -1 if the pattern is bad */
  char *aK;                  /* scratch: a copy of the key */
  size_t nKAlloc;            /* its size */
  char **azK;                /* scratch: the key's segments */
  unsigned char *ok;         /* scratch: the table of s3_glob_test() */
  size_t nOk;                /* its size */
};

/* Split zPat into *pG. Return 0, or 1 on OOM. */
static int s3_glob_init(S3Glob *pG, const char *zPat){
  memset(pG, 0, sizeof(*pG));
  pG->m = -1;
  pG->aP = strdup(zPat);
  pG->azP = malloc(sizeof(char*)*(S3_MAX_SEGS+1));
  pG->azK = malloc(sizeof(char*)*S3_MAX_SEGS);
  if( pG->aP==0 || pG->azP==0 || pG->azK==0 ) return 1;
  pG->m = s3_split(pG->aP, pG->azP);
  if( pG->m>0 && strcmp(pG->azP[pG->m-1], "**")==0 ){
    pG->azP[pG->m++] = "*";                /* final "**": "** / *" */
  }
  return 0;
}

static void s3_glob_free(S3Glob *pG){
  free(pG->aP);
  free(pG->azP);
  free(pG->aK);
  free(pG->azK);
  free(pG->ok);
  memset(pG, 0, sizeof(*pG));
}

/*
** 1 if zKey matches the pattern of pG (s3.h). Dynamic programming over
** (pattern segment i, key segment j), from the ends back: ok[i][j] says
** whether pattern segments i.. match key segments j.., so each pair is
** decided once and a pattern with many "**" costs m*k steps, never an
** exponential search. A "**" matches no segment (ok[i+1][j]) or one more
** directory: a key segment that is not the last (the file), not empty,
** not beginning with '.' (ok[i][j+1]). 0 on OOM or a key of too many
** segments.
*/
static int s3_glob_test(S3Glob *pG, const char *zKey){
  size_t nKey = strlen(zKey)+1, nOk;
  char **azP = pG->azP, **azK = pG->azK;
  unsigned char *ok;
  int m = pG->m, k, i, j;
  if( m<0 ) return 0;
  if( nKey>pG->nKAlloc ){
    char *aNew = realloc(pG->aK, nKey);
    if( aNew==0 ) return 0;
    pG->aK = aNew;
    pG->nKAlloc = nKey;
  }
  memcpy(pG->aK, zKey, nKey);
  k = s3_split(pG->aK, azK);
  if( k<0 ) return 0;
  nOk = (size_t)(m+1)*(size_t)(k+1);
  if( nOk>pG->nOk ){
    unsigned char *aNew = realloc(pG->ok, nOk);
    if( aNew==0 ) return 0;
    pG->ok = aNew;
    pG->nOk = nOk;
  }
  ok = pG->ok;
#define OK(i,j) ok[(size_t)(i)*(size_t)(k+1)+(size_t)(j)]
  for(j=0; j<=k; j++) OK(m, j) = (j==k);
  for(i=m-1; i>=0; i--){
    int bStar = strcmp(azP[i], "**")==0;
    for(j=k; j>=0; j--){
      if( bStar ){
        OK(i, j) = OK(i+1, j) || (j<k-1 && azK[j][0] && azK[j][0]!='.'
                                  && OK(i, j+1));
      }else{
        OK(i, j) = j<k && azK[j][0] && OK(i+1, j+1)
                && fnmatch(azP[i], azK[j], FNM_PERIOD)==0;
      }
    }
  }
  return OK(0, 0);
#undef OK
}

/* See s3.h */
int vf_s3_glob_match(const char *zPat, const char *zKey){
  S3Glob g;
  int bMatch = 0;
  if( s3_glob_init(&g, zPat)==0 ) bMatch = s3_glob_test(&g, zKey);
  s3_glob_free(&g);
  return bMatch;
}

#ifndef VF_S3_CURL
/* ---- a build without libcurl ---------------------------------------- */

#define VF_S3_NOCURL "s3:// paths need libcurl, which this build of vpcflow " \
  "was made without: install libcurl4-openssl-dev (apt-get install " \
  "libcurl4-openssl-dev) and rebuild vpcflow (make)"

int vf_s3_expand(const char *zPath, VfFileList *pList, char **pzErr,
                 int (*xStop)(void*), void *pStopArg){
  (void)pList; (void)xStop; (void)pStopArg;
  *pzErr = sqlite3_mprintf("cannot read '%s': %s", zPath, VF_S3_NOCURL);
  return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
}
int vf_s3_open(const char *zUrl, VfS3Stream **ppS3, int *pFd,
               char *zErr, size_t nErr){
  *ppS3 = 0;
  *pFd = -1;
  if( nErr>0 ) snprintf(zErr, nErr, "cannot open '%s': %s", zUrl, VF_S3_NOCURL);
  return 1;
}
int vf_s3_failed(VfS3Stream *p, char *zErr, size_t nErr){
  (void)p; (void)zErr; (void)nErr;
  return 0;
}
void vf_s3_close(VfS3Stream *p){ (void)p; }
int vf_s3_parquet_open(const char *zUrl, int (*xStop)(void*), void *pStopArg,
                       VfParquetIo **ppIo, char *zErr, size_t nErr){
  (void)xStop; (void)pStopArg;
  *ppIo = 0;
  if( nErr>0 ) snprintf(zErr, nErr, "cannot open '%s': %s", zUrl, VF_S3_NOCURL);
  return 1;
}

#else /* VF_S3_CURL */
/* ---- with libcurl ---------------------------------------------------- */

#include <curl/curl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Tries of one request in all (the first included) before giving up. */
#define S3_TRIES 5

/* First wait before a retry, in ms; doubled each time, at most S3_WAIT_MAX */
#define S3_WAIT_MS  100
#define S3_WAIT_MAX 3000

/* How often a waiting request checks for a stop, in ms. */
#define S3_SLICE_MS 50

/* Largest ListObjectsV2 page kept in memory (S3's are ~300 KiB). */
#define S3_PAGE_MAX (16*1024*1024)

/* Most of an error body kept: S3's are under 2 KiB. */
#define S3_ERRBODY_MAX 16384

/* Most keys one listing returns (as source.c's VF_MAX_FILES). */
#define S3_MAX_FILES 10000000

/* Most ListObjectsV2 pages one listing asks for. */
#define S3_MAX_PAGES 20000

/* Size of a message buffer. */
#define S3_MSG 1024

/*
** Settings of one listing or one object (see the header comment).
*/
typedef struct S3Config S3Config;
struct S3Config {
  char zKeyId[256];          /* access key id, "" if none */
  char zSecret[256];         /* secret access key */
  char zToken[8192];         /* session token, "" if none */
  char zRegion[64];          /* region signed for */
  char zEndpoint[512];       /* custom endpoint, no trailing '/'; "" = AWS */
  char zFrom[320];           /* where the credentials came from (messages) */
};

/*
** One request's answer as it comes in.
*/
typedef struct S3Req S3Req;
struct S3Req {
  CURL *h;                   /* the easy handle */
  long iStatus;              /* HTTP status, 0 until the headers came */
  char zRegionHdr[64];       /* x-amz-bucket-region of the answer */
  char zEtag[256];           /* ETag of the answer */
  char *aBody;               /* listing page, or an error's body (malloc) */
  size_t nBody, nAlloc;      /* bytes in aBody, and its size */
  size_t nMax;               /* most bytes kept */
  int bOver;                 /* the body was larger than nMax */
  VfS3Stream *pStream;       /* a GET streamed to a socket, or 0 */
  const char *zRange;        /* not streamed: "Range: bytes=A-B", or 0 */
  const char *zIfMatch;      /* not streamed: ETag the object must have */
  char zContentRange[128];   /* Content-Range of the answer */
  int bFramed;               /* Content-Length or Transfer-Encoding came */
  char zCurlErr[CURL_ERROR_SIZE];  /* libcurl's words for a failure */
};

/*
** An object being streamed (s3.h).
*/
struct VfS3Stream {
  S3Config cfg;              /* settings (copied: the thread owns them) */
  char *zUrl;                /* "s3://bucket/key" (malloc) */
  char *zBucket, *zKey;      /* parsed from it (malloc) */
  int fdWrite;               /* the thread's end of the socketpair */
  pthread_t tid;             /* the thread */
  int bThread;               /* 1 if it was started */
  int bStop;                 /* set (atomically) by vf_s3_close() */
  uint64_t iPos;             /* object bytes handed to the socket */
  uint64_t nSkip;            /* bytes to drop: a 200 answer to a Range */
  unsigned char aHead[4];    /* the first bytes, held until Parquet is ruled out */
  int nHead;                 /* bytes in aHead */
  int bHeadDone;             /* aHead was checked and sent */
  int bGone;                 /* the reader closed its end */
  int bParquet;              /* the object is Parquet: stopped */
  pthread_mutex_t mutex;     /* guards zFail and bDone */
  int bDone;                 /* the thread finished */
  char zFail[S3_MSG];        /* why it failed, "" if it did not */
};

/* ---- small helpers --------------------------------------------------- */

/* Copy zSrc into a[0..n-1], truncated, always terminated. */
static void s3_copy(char *a, size_t n, const char *zSrc){
  size_t k = strlen(zSrc);
  if( n==0 ) return;
  if( k>=n ) k = n-1;
  memcpy(a, zSrc, k);
  a[k] = 0;
}

/* Replace every occurrence of a non-empty zSecret in z by "****". A
** message can quote a secret only by accident (an endpoint echoing
** headers): this makes sure it never does. */
static void s3_scrub_one(char *z, const char *zSecret){
  size_t n = strlen(zSecret), nz;
  char *p;
  if( n<4 ) return;
  while( (p = strstr(z, zSecret))!=0 ){
    nz = strlen(p);
    memcpy(p, "****", 4);
    memmove(p+4, p+n, nz-n+1);
  }
}
static void s3_scrub(char *z, const S3Config *pCfg){
  s3_scrub_one(z, pCfg->zSecret);
  s3_scrub_one(z, pCfg->zToken);
}

/* Trim white space at both ends of z in place; return the new start. */
static char *s3_trim(char *z){
  size_t n;
  while( *z==' ' || *z=='\t' ) z++;
  n = strlen(z);
  while( n>0 && (z[n-1]==' ' || z[n-1]=='\t' || z[n-1]=='\n'
                 || z[n-1]=='\r') ) z[--n] = 0;
  return z;
}

/* The value of environment variable zName if set and not empty, else 0. */
static const char *s3_env(const char *zName){
  const char *z = getenv(zName);
  return (z && z[0]) ? z : 0;
}

/*
** Read section zSection of INI file zFile (AWS's credentials or config
** file) into the empty fields of *pOut: key id, secret, token, region.
** A missing file is no error (the SDKs do the same).
*/
static void s3_ini(const char *zFile, const char *zSection, S3Config *pOut){
  char aLine[8192+64];
  int bIn = 0;
  FILE *f = fopen(zFile, "re");
  if( f==0 ) return;
  while( fgets(aLine, sizeof(aLine), f) ){
    char *z = s3_trim(aLine), *zEq, *zKey, *zVal;
    if( z[0]=='[' ){
      char *zEnd = strchr(z, ']');
      if( zEnd ) *zEnd = 0;
      bIn = strcmp(s3_trim(z+1), zSection)==0;
      continue;
    }
    if( !bIn || z[0]=='#' || z[0]==';' || (zEq = strchr(z, '='))==0 ) continue;
    *zEq = 0;
    zKey = s3_trim(z);
    zVal = s3_trim(zEq+1);
    if( strcmp(zKey, "aws_access_key_id")==0 && !pOut->zKeyId[0] ){
      s3_copy(pOut->zKeyId, sizeof(pOut->zKeyId), zVal);
    }else if( strcmp(zKey, "aws_secret_access_key")==0 && !pOut->zSecret[0] ){
      s3_copy(pOut->zSecret, sizeof(pOut->zSecret), zVal);
    }else if( strcmp(zKey, "aws_session_token")==0 && !pOut->zToken[0] ){
      s3_copy(pOut->zToken, sizeof(pOut->zToken), zVal);
    }else if( strcmp(zKey, "region")==0 && !pOut->zRegion[0] ){
      s3_copy(pOut->zRegion, sizeof(pOut->zRegion), zVal);
    }
  }
  fclose(f);
}

static pthread_once_t s3Once;
static int s3InitRc;
static void s3_global_init(void);

/* ---- container and instance-metadata credentials -------------------- */

/* Credentials fetched from the container endpoint or IMDS, kept for the
** process until 5 minutes before they expire (one fetch, not one per
** object). Guarded by s3CredMutex. */
typedef struct S3Cached S3Cached;
struct S3Cached {
  char zSource[600];         /* the endpoint they came from */
  char zKeyId[256], zSecret[256], zToken[8192];
  time_t tExpire;            /* 0: not cached */
};
static S3Cached s3Cred;
static pthread_mutex_t s3CredMutex = PTHREAD_MUTEX_INITIALIZER;

/* A small body, read by s3_fetch() (at most 64 KiB kept). */
typedef struct S3Small S3Small;
struct S3Small { char a[65536]; size_t n; };
static size_t s3_small_write(char *a, size_t sz, size_t n, void *pArg){
  S3Small *p = (S3Small*)pArg;
  size_t k = sz*n;
  if( p->n+k>=sizeof(p->a) ) return 0;
  memcpy(p->a+p->n, a, k);
  p->n += k;
  p->a[p->n] = 0;
  return sz*n;
}

/*
** One plain HTTP request (no signature) of the credential providers:
** method zMethod ("GET" or "PUT") of zUrl with header zHdr (or 0), at
** most 2 s (the SDKs give IMDS 1 s: it is a link-local address that may
** not answer at all). Return the HTTP status (0 if there was no answer),
** the body in *pOut.
*/
static long s3_fetch(const char *zMethod, const char *zUrl, const char *zHdr,
                     S3Small *pOut){
  CURL *h;
  struct curl_slist *pH = 0;
  long iStatus = 0;
  pOut->n = 0;
  pOut->a[0] = 0;
  pthread_once(&s3Once, s3_global_init);
  if( s3InitRc ) return 0;
  h = curl_easy_init();
  if( h==0 ) return 0;
  if( zHdr ) pH = curl_slist_append(0, zHdr);
  if( curl_easy_setopt(h, CURLOPT_URL, zUrl)==CURLE_OK
   && curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https")==CURLE_OK
   && curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L)==CURLE_OK
   && curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, zMethod)==CURLE_OK
   && curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 2000L)==CURLE_OK
   && curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 1000L)==CURLE_OK
   && curl_easy_setopt(h, CURLOPT_HTTPHEADER, pH)==CURLE_OK
   && curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, s3_small_write)==CURLE_OK
   && curl_easy_setopt(h, CURLOPT_WRITEDATA, pOut)==CURLE_OK
   && curl_easy_perform(h)==CURLE_OK ){
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &iStatus);
  }
  curl_slist_free_all(pH);
  curl_easy_cleanup(h);
  return iStatus;
}

/* The string value of "zName" in JSON text z into zOut ("" if absent).
** Enough for the providers' flat objects; \" \\ \/ are unescaped. */
static void s3_json_str(const char *z, const char *zName, char *zOut,
                        size_t nOut){
  char zKey[64];
  const char *p;
  size_t j = 0;
  zOut[0] = 0;
  snprintf(zKey, sizeof(zKey), "\"%s\"", zName);
  p = strstr(z, zKey);
  if( p==0 ) return;
  p += strlen(zKey);
  while( *p==' ' || *p=='\t' || *p=='\n' || *p=='\r' ) p++;
  if( *p++!=':' ) return;
  while( *p==' ' || *p=='\t' || *p=='\n' || *p=='\r' ) p++;
  if( *p++!='"' ) return;
  while( *p && *p!='"' && j+1<nOut ){
    if( *p=='\\' && p[1] ) p++;
    zOut[j++] = *p++;
  }
  zOut[j] = 0;
}

/* Seconds since the epoch of an ISO 8601 UTC time "YYYY-MM-DDTHH:MM:SSZ",
** or 0. */
static time_t s3_iso_time(const char *z){
  struct tm t;
  memset(&t, 0, sizeof(t));
  if( sscanf(z, "%4d-%2d-%2dT%2d:%2d:%2d", &t.tm_year, &t.tm_mon, &t.tm_mday,
             &t.tm_hour, &t.tm_min, &t.tm_sec)!=6 ) return 0;
  t.tm_year -= 1900;
  t.tm_mon -= 1;
  return timegm(&t);
}

/*
** Credentials of the container endpoint (ECS, EKS Pod Identity:
** AWS_CONTAINER_CREDENTIALS_RELATIVE_URI on 169.254.170.2, or
** AWS_CONTAINER_CREDENTIALS_FULL_URI, with AWS_CONTAINER_AUTHORIZATION_
** TOKEN or _TOKEN_FILE), else of the instance metadata service, IMDSv2
** (a session token by PUT first; AWS_EC2_METADATA_SERVICE_ENDPOINT, not
** when AWS_EC2_METADATA_DISABLED is "true"). Return 0 and fill *p (keys
** and zFrom), 1 if neither is there (zWhy says what was tried), or 2
** with zWhy when a provider that is configured fails.
*/
static int s3_remote_creds(S3Config *p, char *zWhy, size_t nWhy){
  const char *zRel = s3_env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  const char *zFull = s3_env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  const char *zImds = s3_env("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  const char *zOff = s3_env("AWS_EC2_METADATA_DISABLED");
  char zUrl[600], zHdr[8300], zRole[256], zExp[64];
  S3Small *pB;
  long iStatus;
  int rc = 1;
  time_t now = time(0);

  if( zRel || zFull ){
    snprintf(zUrl, sizeof(zUrl), "%s%s", zRel ? "http://169.254.170.2" : "",
             zRel ? zRel : zFull);
  }else if( zOff && strcasecmp(zOff, "true")==0 ){
    snprintf(zWhy, nWhy, "instance metadata disabled (AWS_EC2_METADATA_DISABLED)");
    return 1;
  }else{
    size_t n;
    snprintf(zUrl, sizeof(zUrl), "%s", zImds ? zImds : "http://169.254.169.254");
    n = strlen(zUrl);
    while( n>0 && zUrl[n-1]=='/' ) zUrl[--n] = 0;
  }
  pthread_mutex_lock(&s3CredMutex);
  if( s3Cred.tExpire>now+300 && strcmp(s3Cred.zSource, zUrl)==0 ){
    memcpy(p->zKeyId, s3Cred.zKeyId, sizeof(p->zKeyId));
    memcpy(p->zSecret, s3Cred.zSecret, sizeof(p->zSecret));
    memcpy(p->zToken, s3Cred.zToken, sizeof(p->zToken));
    rc = 0;
  }
  pthread_mutex_unlock(&s3CredMutex);
  if( rc==0 ) goto remote_found;

  pB = malloc(sizeof(*pB));
  if( pB==0 ){
    snprintf(zWhy, nWhy, "out of memory");
    return 2;
  }
  zHdr[0] = 0;
  if( zRel || zFull ){
    const char *zAuth = s3_env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    const char *zFile = s3_env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    char zTok[8192];
    zTok[0] = 0;
    if( zFile ){
      FILE *f = fopen(zFile, "re");
      if( f ){
        if( fgets(zTok, sizeof(zTok), f)==0 ) zTok[0] = 0;
        fclose(f);
      }
      zAuth = s3_trim(zTok);
    }
    if( zAuth && zAuth[0] ) snprintf(zHdr, sizeof(zHdr), "Authorization: %s", zAuth);
    iStatus = s3_fetch("GET", zUrl, zHdr[0] ? zHdr : 0, pB);
    if( iStatus!=200 ){
      snprintf(zWhy, nWhy, "container credentials from %.300s: %s%ld", zUrl,
               iStatus ? "HTTP " : "no answer", iStatus ? iStatus : 0L);
      if( !iStatus ) zWhy[strlen(zWhy)-1] = 0;   /* (drop the "0") */
      free(pB);
      return 2;
    }
  }else{
    char zTokUrl[1024];
    snprintf(zTokUrl, sizeof(zTokUrl), "%s/latest/api/token", zUrl);
    iStatus = s3_fetch("PUT", zTokUrl, "X-aws-ec2-metadata-token-ttl-seconds: 21600", pB);
    if( iStatus!=200 || pB->n==0 || pB->n>1000 ){
      snprintf(zWhy, nWhy, "no instance metadata (IMDSv2) at %.300s", zUrl);
      free(pB);
      return 1;
    }
    snprintf(zHdr, sizeof(zHdr), "X-aws-ec2-metadata-token: %s", s3_trim(pB->a));
    snprintf(zTokUrl, sizeof(zTokUrl), "%s/latest/meta-data/iam/security-credentials/", zUrl);
    iStatus = s3_fetch("GET", zTokUrl, zHdr, pB);
    s3_copy(zRole, sizeof(zRole), s3_trim(pB->a));
    if( iStatus!=200 || zRole[0]==0 || strchr(zRole, '\n') || strchr(zRole, '/') ){
      snprintf(zWhy, nWhy, "instance metadata at %.300s: no IAM role (HTTP %ld)",
               zUrl, iStatus);
      free(pB);
      return 2;
    }
    snprintf(zTokUrl, sizeof(zTokUrl), "%s/latest/meta-data/iam/security-credentials/%s",
             zUrl, zRole);
    iStatus = s3_fetch("GET", zTokUrl, zHdr, pB);
    if( iStatus!=200 ){
      snprintf(zWhy, nWhy, "instance metadata at %.300s: role '%.100s': HTTP %ld",
               zUrl, zRole, iStatus);
      free(pB);
      return 2;
    }
  }
  s3_json_str(pB->a, "AccessKeyId", p->zKeyId, sizeof(p->zKeyId));
  s3_json_str(pB->a, "SecretAccessKey", p->zSecret, sizeof(p->zSecret));
  s3_json_str(pB->a, "Token", p->zToken, sizeof(p->zToken));
  s3_json_str(pB->a, "Expiration", zExp, sizeof(zExp));
  free(pB);
  if( !p->zKeyId[0] || !p->zSecret[0] ){
    snprintf(zWhy, nWhy, "%s credentials from %.300s: no AccessKeyId or "
             "SecretAccessKey in the answer", (zRel || zFull) ? "container"
             : "instance metadata", zUrl);
    memset(p->zSecret, 0, sizeof(p->zSecret));
    return 2;
  }
  pthread_mutex_lock(&s3CredMutex);
  s3_copy(s3Cred.zSource, sizeof(s3Cred.zSource), zUrl);
  memcpy(s3Cred.zKeyId, p->zKeyId, sizeof(p->zKeyId));
  memcpy(s3Cred.zSecret, p->zSecret, sizeof(p->zSecret));
  memcpy(s3Cred.zToken, p->zToken, sizeof(p->zToken));
  s3Cred.tExpire = s3_iso_time(zExp);   /* 0 (none given): fetched again */
  pthread_mutex_unlock(&s3CredMutex);
remote_found:
  snprintf(p->zFrom, sizeof(p->zFrom), "%s (%.200s)", (zRel || zFull)
           ? "the container endpoint" : "instance metadata (IMDSv2)", zUrl);
  return 0;
}

/*
** Load the settings (header comment). Return 0, or 1 with a message in
** zErr (no credentials, a bad endpoint).
*/
static int s3_config(S3Config *p, char *zErr, size_t nErr){
  const char *zProfile = s3_env("AWS_PROFILE");
  const char *zHome = s3_env("HOME");
  const char *z;
  char zCred[1024], zConf[1024], zSect[300];
  S3Config fromCred, fromConf;

  memset(p, 0, sizeof(*p));
  memset(&fromCred, 0, sizeof(fromCred));
  memset(&fromConf, 0, sizeof(fromConf));
  if( zProfile==0 ) zProfile = "default";
  z = s3_env("AWS_SHARED_CREDENTIALS_FILE");
  snprintf(zCred, sizeof(zCred), "%s%s", z ? z : (zHome ? zHome : ""),
           z ? "" : "/.aws/credentials");
  z = s3_env("AWS_CONFIG_FILE");
  snprintf(zConf, sizeof(zConf), "%s%s", z ? z : (zHome ? zHome : ""),
           z ? "" : "/.aws/config");
  s3_ini(zCred, zProfile, &fromCred);
  if( strcmp(zProfile, "default")==0 ){
    s3_ini(zConf, "default", &fromConf);
  }
  snprintf(zSect, sizeof(zSect), "profile %s", zProfile);
  s3_ini(zConf, zSect, &fromConf);

  if( s3_env("AWS_ACCESS_KEY_ID") && s3_env("AWS_SECRET_ACCESS_KEY") ){
    s3_copy(p->zKeyId, sizeof(p->zKeyId), getenv("AWS_ACCESS_KEY_ID"));
    s3_copy(p->zSecret, sizeof(p->zSecret), getenv("AWS_SECRET_ACCESS_KEY"));
    z = s3_env("AWS_SESSION_TOKEN");
    if( z ) s3_copy(p->zToken, sizeof(p->zToken), z);
    s3_copy(p->zFrom, sizeof(p->zFrom), "the environment (AWS_ACCESS_KEY_ID)");
  }else if( fromCred.zKeyId[0] && fromCred.zSecret[0] ){
    memcpy(p->zKeyId, fromCred.zKeyId, sizeof(p->zKeyId));
    memcpy(p->zSecret, fromCred.zSecret, sizeof(p->zSecret));
    memcpy(p->zToken, fromCred.zToken, sizeof(p->zToken));
    snprintf(p->zFrom, sizeof(p->zFrom), "profile '%.60s' of %.200s",
             zProfile, zCred);
  }else if( fromConf.zKeyId[0] && fromConf.zSecret[0] ){
    memcpy(p->zKeyId, fromConf.zKeyId, sizeof(p->zKeyId));
    memcpy(p->zSecret, fromConf.zSecret, sizeof(p->zSecret));
    memcpy(p->zToken, fromConf.zToken, sizeof(p->zToken));
    snprintf(p->zFrom, sizeof(p->zFrom), "profile '%.60s' of %.200s",
             zProfile, zConf);
  }else{
    char zWhy[512];
    int e = s3_remote_creds(p, zWhy, sizeof(zWhy));
    if( e==2 ){
      snprintf(zErr, nErr, "no AWS credentials: %s", zWhy);
      return 1;
    }
    if( e ){
      snprintf(zErr, nErr, "no AWS credentials: set AWS_ACCESS_KEY_ID and "
          "AWS_SECRET_ACCESS_KEY, or profile '%.60s' in %.300s (AWS_PROFILE "
          "names another); %s", zProfile, zCred, zWhy);
      return 1;
    }
  }

  if( (z = s3_env("AWS_REGION"))!=0 || (z = s3_env("AWS_DEFAULT_REGION"))!=0 ){
    s3_copy(p->zRegion, sizeof(p->zRegion), z);
  }else if( fromConf.zRegion[0] ){
    memcpy(p->zRegion, fromConf.zRegion, sizeof(p->zRegion));
  }else{
    s3_copy(p->zRegion, sizeof(p->zRegion), "us-east-1");
  }

  if( (z = s3_env("AWS_ENDPOINT_URL_S3"))!=0 || (z = s3_env("AWS_ENDPOINT_URL"))!=0 ){
    size_t n;
    if( strncmp(z, "http://", 7)!=0 && strncmp(z, "https://", 8)!=0 ){
      snprintf(zErr, nErr, "the S3 endpoint '%.200s' (AWS_ENDPOINT_URL_S3 or "
               "AWS_ENDPOINT_URL) must begin with http:// or https://", z);
      return 1;
    }
    s3_copy(p->zEndpoint, sizeof(p->zEndpoint), z);
    n = strlen(p->zEndpoint);
    while( n>0 && p->zEndpoint[n-1]=='/' ) p->zEndpoint[--n] = 0;
  }
  return 0;
}

/*
** Split "s3://BUCKET/KEY" into malloc'd copies. Return 0, or 1 with a
** message: an empty or invalid bucket name (only letters, digits, '.',
** '-' and '_', which also keeps the URL and the Host header sane).
*/
static int s3_parse(const char *zUrl, char **pzBucket, char **pzKey,
                    char *zErr, size_t nErr){
  const char *zB = zUrl+5, *zSlash = strchr(zB, '/');
  size_t nB = zSlash ? (size_t)(zSlash-zB) : strlen(zB), i;
  *pzBucket = *pzKey = 0;
  if( nB==0 || nB>255 ){
    snprintf(zErr, nErr, "'%.300s': no bucket name (write s3://BUCKET/PREFIX/)",
             zUrl);
    return 1;
  }
  for(i=0; i<nB; i++){
    char c = zB[i];
    if( !((c>='a' && c<='z') || (c>='A' && c<='Z') || (c>='0' && c<='9')
          || c=='.' || c=='-' || c=='_') ){
      snprintf(zErr, nErr, "'%.300s': '%.*s' is not a valid bucket name",
               zUrl, (int)nB, zB);
      return 1;
    }
  }
  *pzBucket = strndup(zB, nB);
  *pzKey = strdup(zSlash ? zSlash+1 : "");
  if( *pzBucket==0 || *pzKey==0 ){
    free(*pzBucket);
    free(*pzKey);
    *pzBucket = *pzKey = 0;
    snprintf(zErr, nErr, "out of memory");
    return 1;
  }
  return 0;
}

/*
** Append z percent-encoded as SigV4's canonical form wants it (every
** byte but A-Z a-z 0-9 - _ . ~, and '/' too when bSlash) to the malloc'd
** string *pz of length *pn. Return 0, or 1 on OOM.
*/
static int s3_enc(char **pz, size_t *pn, const char *z, int bSlash){
  static const char hex[] = "0123456789ABCDEF";
  size_t n = strlen(z);
  char *zNew = realloc(*pz, *pn + n*3 + 1), *zOut;
  if( zNew==0 ) return 1;
  *pz = zNew;
  zOut = zNew + *pn;
  for(; *z; z++){
    unsigned char c = (unsigned char)*z;
    if( (c>='A' && c<='Z') || (c>='a' && c<='z') || (c>='0' && c<='9')
        || c=='-' || c=='_' || c=='.' || c=='~' || (c=='/' && bSlash) ){
      *zOut++ = (char)c;
    }else{
      *zOut++ = '%';
      *zOut++ = hex[c>>4];
      *zOut++ = hex[c&15];
    }
  }
  *zOut = 0;
  *pn = (size_t)(zOut - zNew);
  return 0;
}

/* Append the plain string z to *pz (as s3_enc, no encoding). */
static int s3_cat(char **pz, size_t *pn, const char *z){
  size_t n = strlen(z);
  char *zNew = realloc(*pz, *pn + n + 1);
  if( zNew==0 ) return 1;
  memcpy(zNew + *pn, z, n+1);
  *pz = zNew;
  *pn += n;
  return 0;
}

/* True if a bucket is addressed path-style on AWS: a '.' in its name
** would not match the certificate of *.s3.REGION.amazonaws.com. */
static int s3_path_style(const S3Config *pCfg, const char *zBucket){
  return pCfg->zEndpoint[0] || strchr(zBucket, '.')!=0;
}

/*
** The URL of key zKey in zBucket ("" for the bucket itself), with query
** zQuery (already encoded and sorted) or 0. malloc'd; 0 on OOM.
*/
static char *s3_url(const S3Config *pCfg, const char *zBucket,
                    const char *zKey, const char *zQuery){
  char *z = 0;
  size_t n = 0;
  int bad = 0;
  if( pCfg->zEndpoint[0] ){
    bad |= s3_cat(&z, &n, pCfg->zEndpoint);
  }else{
    bad |= s3_cat(&z, &n, "https://");
    if( !s3_path_style(pCfg, zBucket) ){
      bad |= s3_cat(&z, &n, zBucket);
      bad |= s3_cat(&z, &n, ".");
    }
    bad |= s3_cat(&z, &n, "s3.");
    bad |= s3_cat(&z, &n, pCfg->zRegion);
    bad |= s3_cat(&z, &n, ".amazonaws.com");
  }
  if( s3_path_style(pCfg, zBucket) ){
    bad |= s3_cat(&z, &n, "/");
    bad |= s3_cat(&z, &n, zBucket);
  }
  bad |= s3_cat(&z, &n, "/");
  bad |= s3_enc(&z, &n, zKey, 1);
  if( zQuery ){
    bad |= s3_cat(&z, &n, "?");
    bad |= s3_cat(&z, &n, zQuery);
  }
  if( bad ){
    free(z);
    return 0;
  }
  return z;
}

/* ---- one request ----------------------------------------------------- */

/*
** Connections, DNS answers and TLS sessions are shared by every request
** of the process (a CURLSH): each object has a handle of its own (a
** stream's thread, a Parquet source), and without the share each would
** open a connection of its own, a TCP and TLS handshake per object.
** libcurl asks for a lock per kind of data it shares; the share lives as
** long as the process (it holds nothing secret: the signature is per
** request).
*/
static CURLSH *s3Share = 0;
static pthread_mutex_t s3aShareMutex[CURL_LOCK_DATA_LAST];
static void s3_share_lock(CURL *h, curl_lock_data e, curl_lock_access a,
                          void *p){
  (void)h; (void)a; (void)p;
  if( (int)e>=0 && e<CURL_LOCK_DATA_LAST ) pthread_mutex_lock(&s3aShareMutex[e]);
}
static void s3_share_unlock(CURL *h, curl_lock_data e, void *p){
  (void)h; (void)p;
  if( (int)e>=0 && e<CURL_LOCK_DATA_LAST ) pthread_mutex_unlock(&s3aShareMutex[e]);
}

/* When the library is unloaded (dlclose() as SQLite closes the
** connection that loaded it, or exit): the share and its connections go
** (every handle that used it was cleaned up with its request). */
__attribute__((destructor)) static void s3_share_free(void){
  if( s3Share ) curl_share_cleanup(s3Share);
  s3Share = 0;
}

static pthread_once_t s3Once = PTHREAD_ONCE_INIT;
static int s3InitRc = 0;
static void s3_global_init(void){
  int i;
  s3InitRc = (int)curl_global_init(CURL_GLOBAL_DEFAULT);
  if( s3InitRc ) return;
  for(i=0; i<CURL_LOCK_DATA_LAST; i++) pthread_mutex_init(&s3aShareMutex[i], 0);
  s3Share = curl_share_init();
  if( s3Share
   && (curl_share_setopt(s3Share, CURLSHOPT_LOCKFUNC, s3_share_lock)
    || curl_share_setopt(s3Share, CURLSHOPT_UNLOCKFUNC, s3_share_unlock)
    || curl_share_setopt(s3Share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT)
    || curl_share_setopt(s3Share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS)
    || curl_share_setopt(s3Share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION)) ){
    curl_share_cleanup(s3Share);     /* then each handle connects alone */
    s3Share = 0;
  }
}

/* libcurl header callback: keep the region and ETag headers. */
static size_t s3_header(char *a, size_t sz, size_t n, void *pArg){
  S3Req *r = (S3Req*)pArg;
  size_t nByte = sz*n;
  static const char zReg[] = "x-amz-bucket-region:";
  static const char zTag[] = "etag:";
  static const char zCr[] = "content-range:";
  char *zDst = 0;
  size_t nDst = 0, nName = 0;
  if( (nByte>15 && strncasecmp(a, "content-length:", 15)==0)
   || (nByte>18 && strncasecmp(a, "transfer-encoding:", 18)==0) ){
    r->bFramed = 1;
  }
  if( nByte>sizeof(zReg)-1 && strncasecmp(a, zReg, sizeof(zReg)-1)==0 ){
    zDst = r->zRegionHdr; nDst = sizeof(r->zRegionHdr); nName = sizeof(zReg)-1;
  }else if( nByte>sizeof(zTag)-1 && strncasecmp(a, zTag, sizeof(zTag)-1)==0 ){
    zDst = r->zEtag; nDst = sizeof(r->zEtag); nName = sizeof(zTag)-1;
  }else if( nByte>sizeof(zCr)-1 && strncasecmp(a, zCr, sizeof(zCr)-1)==0 ){
    zDst = r->zContentRange; nDst = sizeof(r->zContentRange);
    nName = sizeof(zCr)-1;
  }
  if( zDst ){
    char aVal[300];
    size_t k = nByte-nName;
    if( k>=sizeof(aVal) ) k = sizeof(aVal)-1;
    memcpy(aVal, a+nName, k);
    aVal[k] = 0;
    s3_copy(zDst, nDst, s3_trim(aVal));
  }
  return nByte;
}

/* Keep body bytes in r->aBody, up to r->nMax. */
static void s3_keep(S3Req *r, const char *a, size_t n){
  if( r->nBody+n>r->nMax ){
    r->bOver = 1;
    n = r->nMax>r->nBody ? r->nMax-r->nBody : 0;
  }
  if( n==0 ) return;
  if( r->nBody+n+1>r->nAlloc ){
    size_t nNew = r->nAlloc ? r->nAlloc*2 : 65536;
    char *aNew;
    while( nNew<r->nBody+n+1 ) nNew *= 2;
    aNew = realloc(r->aBody, nNew);
    if( aNew==0 ){
      r->bOver = 1;
      return;
    }
    r->aBody = aNew;
    r->nAlloc = nNew;
  }
  memcpy(r->aBody+r->nBody, a, n);
  r->nBody += n;
  r->aBody[r->nBody] = 0;
}

/* Send a[0..n-1] whole to the stream's socket. 0, or 1 if the reader
** went away. */
static int s3_send(VfS3Stream *s, const unsigned char *a, size_t n){
  while( n>0 ){
    ssize_t k = send(s->fdWrite, a, n, MSG_NOSIGNAL);
    if( k<0 ){
      if( errno==EINTR ) continue;
      s->bGone = 1;
      return 1;
    }
    a += k;
    n -= (size_t)k;
  }
  return 0;
}

/* libcurl write callback: a listing page or error body is kept; object
** bytes go to the socket. Returning less than given aborts the transfer. */
static size_t s3_write(char *a, size_t sz, size_t n, void *pArg){
  S3Req *r = (S3Req*)pArg;
  size_t nByte = sz*n, nLeft = nByte;
  const unsigned char *p = (const unsigned char*)a;
  VfS3Stream *s = r->pStream;
  if( r->iStatus==0 ){
    curl_easy_getinfo(r->h, CURLINFO_RESPONSE_CODE, &r->iStatus);
    /* a server that answers a Range request with the whole object */
    if( s && r->iStatus==200 && s->iPos>0 ) s->nSkip = s->iPos;
  }
  if( s==0 || r->iStatus<200 || r->iStatus>=300 ){
    s3_keep(r, a, nByte);
    return (s==0 && r->bOver && r->iStatus>=200 && r->iStatus<300) ? 0 : nByte;
  }
  if( __atomic_load_n(&s->bStop, __ATOMIC_ACQUIRE) ) return 0;
  if( s->nSkip>0 ){
    /* drop what came already (see above) */
    size_t k = s->nSkip<nLeft ? (size_t)s->nSkip : nLeft;
    s->nSkip -= k;
    p += k;
    nLeft -= k;
  }
  while( nLeft>0 && !s->bHeadDone ){
    /* hold the first 4 bytes: Parquet is known by them */
    s->aHead[s->nHead++] = *p++;
    nLeft--;
    s->iPos++;
    if( s->nHead==4 ){
      if( memcmp(s->aHead, "PAR1", 4)==0 ){
        s->bParquet = 1;
        return 0;
      }
      s->bHeadDone = 1;
      if( s3_send(s, s->aHead, 4) ) return 0;
    }
  }
  if( nLeft>0 ){
    if( s3_send(s, p, nLeft) ) return 0;
    s->iPos += nLeft;
  }
  return nByte;
}

/* libcurl progress callback of a stream: stop when asked. */
static int s3_xferinfo(void *pArg, curl_off_t a, curl_off_t b, curl_off_t c,
                       curl_off_t d){
  VfS3Stream *s = (VfS3Stream*)pArg;
  (void)a; (void)b; (void)c; (void)d;
  return s && __atomic_load_n(&s->bStop, __ATOMIC_ACQUIRE);
}

/*
** Run the request set up on r->h to its end in multi handle m, checking
** xStop every S3_SLICE_MS. Return libcurl's result; *pbStopped is 1 if
** xStop stopped it.
*/
static CURLcode s3_perform(CURLM *m, S3Req *r, int (*xStop)(void*),
                           void *pArg, int *pbStopped){
  CURLcode rc = CURLE_OK;
  int nRun = 1;
  *pbStopped = 0;
  if( curl_multi_add_handle(m, r->h)!=CURLM_OK ) return CURLE_OUT_OF_MEMORY;
  for(;;){
    if( curl_multi_perform(m, &nRun)!=CURLM_OK ){
      rc = CURLE_OUT_OF_MEMORY;
      break;
    }
    if( nRun==0 ){
      CURLMsg *pMsg;
      int nQ;
      while( (pMsg = curl_multi_info_read(m, &nQ))!=0 ){
        if( pMsg->msg==CURLMSG_DONE ) rc = pMsg->data.result;
      }
      break;
    }
    if( xStop && xStop(pArg) ){
      *pbStopped = 1;
      rc = CURLE_ABORTED_BY_CALLBACK;
      break;
    }
    curl_multi_poll(m, 0, 0, S3_SLICE_MS, 0);
  }
  curl_multi_remove_handle(m, r->h);
  if( r->iStatus==0 ) curl_easy_getinfo(r->h, CURLINFO_RESPONSE_CODE, &r->iStatus);
  return rc;
}

/*
** Set up r->h for a signed GET of zUrl, with extra headers (a Range) in
** *ppHdr (freed by the caller). Return 0, or 1 on OOM.
*/
static int s3_setup(S3Req *r, const S3Config *pCfg, const char *zUrl,
                    const char *zRange, const char *zIfMatch,
                    struct curl_slist **ppHdr){
  char zSig[128], zLine[8400];
  struct curl_slist *pH = 0, *pNew;
  curl_easy_reset(r->h);
  r->iStatus = 0;
  r->zRegionHdr[0] = 0;
  r->zContentRange[0] = 0;
  r->bFramed = 0;
  r->nBody = 0;
  r->bOver = 0;
  r->zCurlErr[0] = 0;
  if( r->pStream ) r->pStream->nSkip = 0;
  snprintf(zSig, sizeof(zSig), "aws:amz:%s:s3", pCfg->zRegion);
  /* S3 wants the payload's hash in a header; a GET's is that of "" */
  pH = curl_slist_append(0, "x-amz-content-sha256: "
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  if( pH && pCfg->zToken[0] ){
    snprintf(zLine, sizeof(zLine), "x-amz-security-token: %s", pCfg->zToken);
    pNew = curl_slist_append(pH, zLine);
    if( pNew==0 ){ curl_slist_free_all(pH); pH = 0; }else pH = pNew;
  }
  if( pH && zRange ){
    pNew = curl_slist_append(pH, zRange);
    if( pNew==0 ){ curl_slist_free_all(pH); pH = 0; }else pH = pNew;
  }
  if( pH && zIfMatch && zIfMatch[0] ){
    snprintf(zLine, sizeof(zLine), "If-Match: %s", zIfMatch);
    pNew = curl_slist_append(pH, zLine);
    if( pNew==0 ){ curl_slist_free_all(pH); pH = 0; }else pH = pNew;
  }
  *ppHdr = pH;
  if( pH==0 ) return 1;
  if( curl_easy_setopt(r->h, CURLOPT_URL, zUrl)
   || curl_easy_setopt(r->h, CURLOPT_PROTOCOLS_STR, "http,https")
   || curl_easy_setopt(r->h, CURLOPT_NOSIGNAL, 1L)
   || curl_easy_setopt(r->h, CURLOPT_AWS_SIGV4, zSig)
   || curl_easy_setopt(r->h, CURLOPT_USERNAME, pCfg->zKeyId)
   || curl_easy_setopt(r->h, CURLOPT_PASSWORD, pCfg->zSecret)
   || curl_easy_setopt(r->h, CURLOPT_HTTPHEADER, pH)
   || curl_easy_setopt(r->h, CURLOPT_CONNECTTIMEOUT_MS, 10000L)
   /* a connection that stalls (under 1 byte/s for 30 s) is dropped and
   ** retried, not waited on for ever */
   || curl_easy_setopt(r->h, CURLOPT_LOW_SPEED_LIMIT, 1L)
   || curl_easy_setopt(r->h, CURLOPT_LOW_SPEED_TIME, 30L)
   || curl_easy_setopt(r->h, CURLOPT_ERRORBUFFER, r->zCurlErr)
   || curl_easy_setopt(r->h, CURLOPT_HEADERFUNCTION, s3_header)
   || curl_easy_setopt(r->h, CURLOPT_HEADERDATA, r)
   || curl_easy_setopt(r->h, CURLOPT_WRITEFUNCTION, s3_write)
   || curl_easy_setopt(r->h, CURLOPT_WRITEDATA, r)
   || (s3Share && curl_easy_setopt(r->h, CURLOPT_SHARE, s3Share)) ){
    return 1;
  }
  if( r->pStream ){
    if( curl_easy_setopt(r->h, CURLOPT_NOPROGRESS, 0L)
     || curl_easy_setopt(r->h, CURLOPT_XFERINFOFUNCTION, s3_xferinfo)
     || curl_easy_setopt(r->h, CURLOPT_XFERINFODATA, r->pStream) ){
      return 1;
    }
  }
  return 0;
}

/* 1 if a failed transfer (libcurl's code) is worth trying again. */
static int s3_retry_curl(CURLcode rc){
  switch( rc ){
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return 1;
    default:
      return 0;
  }
}

/* 1 if an HTTP error answer is worth trying again. */
static int s3_retry_http(long iStatus, const char *zCode){
  return iStatus==500 || iStatus==502 || iStatus==503 || iStatus==504
      || strcmp(zCode, "SlowDown")==0 || strcmp(zCode, "InternalError")==0
      || strcmp(zCode, "RequestTimeout")==0;
}

/* Wait before try number iTry (1-based: the second try waits once),
** S3_SLICE_MS at a time. Return 1 if xStop said stop. */
static int s3_backoff(int iTry, int (*xStop)(void*), void *pArg){
  int ms = S3_WAIT_MS << (iTry>10 ? 10 : iTry-1);
  if( ms>S3_WAIT_MAX ) ms = S3_WAIT_MAX;
  while( ms>0 ){
    int k = ms<S3_SLICE_MS ? ms : S3_SLICE_MS;
    struct timespec t;
    if( xStop && xStop(pArg) ) return 1;
    t.tv_sec = 0;
    t.tv_nsec = (long)k*1000000L;
    nanosleep(&t, 0);
    ms -= k;
  }
  return xStop && xStop(pArg);
}

/*
** Describe a failed answer in zOut: "HTTP 404 NoSuchBucket: The
** specified bucket does not exist", or libcurl's words. 301/400 answers
** that name the bucket's region say it.
*/
static void s3_describe(const S3Req *r, CURLcode rc, const S3Config *pCfg,
                        char *zOut, size_t nOut){
  char zCode[128], zMsg[512];
  if( rc!=CURLE_OK && r->iStatus<300 ){
    snprintf(zOut, nOut, "%s", r->zCurlErr[0] ? r->zCurlErr
                                               : curl_easy_strerror(rc));
    return;
  }
  s3_xml_text(r->aBody ? r->aBody : "", r->nBody, "Code", zCode, sizeof(zCode));
  s3_xml_text(r->aBody ? r->aBody : "", r->nBody, "Message", zMsg, sizeof(zMsg));
  if( r->zRegionHdr[0] && strcmp(r->zRegionHdr, pCfg->zRegion)!=0 ){
    snprintf(zOut, nOut, "HTTP %ld%s%s: the bucket is in region %s, not %s "
             "(set AWS_REGION=%s)", r->iStatus, zCode[0] ? " " : "", zCode,
             r->zRegionHdr, pCfg->zRegion, r->zRegionHdr);
  }else if( r->iStatus==403 ){
    snprintf(zOut, nOut, "HTTP 403 %s: %s (credentials from %s)",
             zCode[0] ? zCode : "Forbidden",
             zMsg[0] ? zMsg : "access denied", pCfg->zFrom);
  }else{
    snprintf(zOut, nOut, "HTTP %ld%s%s%s%s", r->iStatus,
             zCode[0] ? " " : "", zCode, zMsg[0] ? ": " : "", zMsg);
  }
}

/*
** Buckets met in another region than the one configured (a 301 or 400
** answer's x-amz-bucket-region): a small process-wide table, so that once
** a listing has followed a bucket's region, its objects are asked for
** there at once instead of each being redirected in turn.
*/
#define S3_MOVED_MAX 16
typedef struct S3Moved S3Moved;
struct S3Moved {
  char zBucket[256];         /* the bucket */
  char zFrom[64];            /* the region configured */
  char zTo[64];              /* the bucket's region */
};
static S3Moved s3aMoved[S3_MOVED_MAX];
static int s3nMoved = 0;
static pthread_mutex_t s3MovedMutex = PTHREAD_MUTEX_INITIALIZER;

/* Record that zBucket, asked for in zFrom, is in zTo. */
static void s3_region_note(const char *zBucket, const char *zFrom,
                           const char *zTo){
  S3Moved *p;
  pthread_mutex_lock(&s3MovedMutex);
  p = &s3aMoved[s3nMoved % S3_MOVED_MAX];   /* the oldest goes */
  s3_copy(p->zBucket, sizeof(p->zBucket), zBucket);
  s3_copy(p->zFrom, sizeof(p->zFrom), zFrom);
  s3_copy(p->zTo, sizeof(p->zTo), zTo);
  s3nMoved++;
  pthread_mutex_unlock(&s3MovedMutex);
}

/* Sign for zBucket's own region if it is known to be another. */
static void s3_region_lookup(const char *zBucket, S3Config *pCfg){
  int i;
  pthread_mutex_lock(&s3MovedMutex);
  for(i=0; i<s3nMoved && i<S3_MOVED_MAX; i++){
    S3Moved *p = &s3aMoved[i];
    if( strcmp(p->zBucket, zBucket)==0 && strcmp(p->zFrom, pCfg->zRegion)==0 ){
      s3_copy(pCfg->zRegion, sizeof(pCfg->zRegion), p->zTo);
      break;
    }
  }
  pthread_mutex_unlock(&s3MovedMutex);
}

/*
** Outcome of one request with its retries: 0 done (2xx), 1 failed
** (zOut says why), 2 stopped.
*/
#define S3_OK      0
#define S3_FAILED  1
#define S3_STOPPED 2

/*
** GET zKey of zBucket (query zQuery, or 0) into r: a listing page kept in
** r->aBody, or an object streamed (r->pStream) from its byte iPos on.
** Retries as the header comment says; follows a region named by a 301
** or 400 answer once. Returns S3_*.
*/
static int s3_get(CURLM *m, S3Req *r, S3Config *pCfg, const char *zBucket,
                  const char *zKey, const char *zQuery,
                  int (*xStop)(void*), void *pArg, char *zOut, size_t nOut){
  int iTry = 0, bMoved = 0;
  VfS3Stream *s = r->pStream;
  char zEtag[256] = "";
  s3_region_lookup(zBucket, pCfg);
  for(;;){
    char zRange[64] = "", *zUrl;
    struct curl_slist *pHdr = 0;
    CURLcode rc;
    int bStopped = 0, bBad;
    uint64_t iFrom = s ? s->iPos : 0;
    iTry++;
    zUrl = s3_url(pCfg, zBucket, zKey, zQuery);
    if( s && iFrom>0 ){
      snprintf(zRange, sizeof(zRange), "Range: bytes=%llu-",
               (unsigned long long)iFrom);
    }
    bBad = zUrl==0 || s3_setup(r, pCfg, zUrl,
                               (s && iFrom>0) ? zRange : r->zRange,
                               (s && iFrom>0) ? zEtag : r->zIfMatch, &pHdr);
    if( bBad ){
      free(zUrl);
      curl_slist_free_all(pHdr);
      snprintf(zOut, nOut, "out of memory");
      return S3_FAILED;
    }
    rc = s3_perform(m, r, xStop, pArg, &bStopped);
    curl_slist_free_all(pHdr);
    free(zUrl);
    if( bStopped || (s && (s->bGone || __atomic_load_n(&s->bStop, __ATOMIC_ACQUIRE))) ){
      return S3_STOPPED;
    }
    if( s && s->bParquet ){
      snprintf(zOut, nOut, "a Parquet object whose name does not end in "
               "'.parquet' (vpcflow reads s3:// Parquet objects, with ranged "
               "GETs, by that name)");
      return S3_FAILED;
    }
    if( s==0 && r->zRange && r->bOver && r->iStatus>=200 && r->iStatus<300 ){
      snprintf(zOut, nOut, r->iStatus==200 ?
               "the server ignored a Range request (HTTP 200 with the whole "
               "object): Parquet over s3:// needs ranged GETs" :
               "the server sent more bytes than the range asked for");
      return S3_FAILED;
    }
    if( rc==CURLE_OK && r->iStatus>=200 && r->iStatus<300 && !r->bFramed ){
      /* S3 frames every answer (Content-Length, or chunked); one without
      ** is a connection dropped inside the headers, which libcurl may
      ** take for an answer without a body: tried again, like any drop */
      rc = CURLE_PARTIAL_FILE;
    }
    if( rc==CURLE_OK && r->iStatus>=200 && r->iStatus<300 ){
      if( s ){
        if( iFrom==0 ) s3_copy(zEtag, sizeof(zEtag), r->zEtag);
        if( !s->bHeadDone && s->nHead>0 ){
          /* an object under 4 bytes: hand over what there is */
          s->bHeadDone = 1;
          if( s3_send(s, s->aHead, (size_t)s->nHead) ) return S3_STOPPED;
        }
      }
      if( r->bOver && r->zRange==0 ){
        snprintf(zOut, nOut, "a listing page over %d bytes", S3_PAGE_MAX);
        return S3_FAILED;
      }
      return S3_OK;
    }
    if( s && iFrom==0 && r->iStatus>=200 && r->iStatus<300 ){
      /* dropped mid-object: the rest is asked for with If-Match on it */
      s3_copy(zEtag, sizeof(zEtag), r->zEtag);
    }
    s3_describe(r, rc, pCfg, zOut, nOut);
    if( rc==CURLE_OK || r->iStatus>=300 ){
      char zCode[128];
      s3_xml_text(r->aBody ? r->aBody : "", r->nBody, "Code", zCode, sizeof(zCode));
      if( !bMoved && r->zRegionHdr[0] && strcmp(r->zRegionHdr, pCfg->zRegion)!=0
          && (r->iStatus==301 || r->iStatus==400) ){
        /* the bucket is elsewhere: ask there (once), and remember it */
        s3_region_note(zBucket, pCfg->zRegion, r->zRegionHdr);
        s3_copy(pCfg->zRegion, sizeof(pCfg->zRegion), r->zRegionHdr);
        bMoved = 1;
        iTry--;
        continue;
      }
      if( r->iStatus==412 && s==0 && r->zIfMatch && r->zIfMatch[0] ){
        snprintf(zOut, nOut, "the object changed while being read (HTTP 412 "
                 "on a ranged GET with If-Match)");
        return S3_FAILED;
      }
      if( r->iStatus==412 && s && iFrom>0 ){
        snprintf(zOut, nOut, "the object changed while being read (at byte "
                 "%llu; HTTP 412 on resuming)", (unsigned long long)iFrom);
        return S3_FAILED;
      }
      if( !s3_retry_http(r->iStatus, zCode) ) return S3_FAILED;
    }else if( !s3_retry_curl(rc) ){
      return S3_FAILED;
    }
    if( iTry>=S3_TRIES ){
      size_t k = strlen(zOut);
      if( s && s->iPos>0 ){
        snprintf(zOut+k, nOut-k, " (gave up after %d tries, at byte %llu)",
                 iTry, (unsigned long long)s->iPos);
      }else{
        snprintf(zOut+k, nOut-k, " (gave up after %d tries)", iTry);
      }
      return S3_FAILED;
    }
    if( s3_backoff(iTry, xStop, pArg) ) return S3_STOPPED;
  }
}

/* A request's handles: the easy and multi handles and the answer. */
static int s3_req_init(S3Req *r, CURLM **pm){
  memset(r, 0, sizeof(*r));
  *pm = 0;
  pthread_once(&s3Once, s3_global_init);
  if( s3InitRc!=0 ) return 1;
  r->h = curl_easy_init();
  *pm = curl_multi_init();
  return r->h==0 || *pm==0;
}
static void s3_req_free(S3Req *r, CURLM *m){
  if( r->h ) curl_easy_cleanup(r->h);
  if( m ) curl_multi_cleanup(m);
  free(r->aBody);
  r->aBody = 0;
}

/* ---- listing --------------------------------------------------------- */

/* True if a key below a folder is taken: a flow log name (.log, .gz,
** .parquet) and no segment that begins with '.' (as a local walk). */
static int s3_folder_takes(const char *zRel){
  static const char *azSuffix[] = { ".log", ".gz", ".parquet" };
  size_t n = strlen(zRel), i;
  const char *z;
  if( n==0 || zRel[0]=='.' || strstr(zRel, "/.") ) return 0;
  z = strrchr(zRel, '/');
  z = z ? z+1 : zRel;
  n = strlen(z);
  for(i=0; i<sizeof(azSuffix)/sizeof(azSuffix[0]); i++){
    size_t nS = strlen(azSuffix[i]);
    if( n>nS && memcmp(z+n-nS, azSuffix[i], nS)==0 ) return 1;
  }
  return 0;
}

/* qsort() comparison of two names */
static int s3_name_cmp(const void *a, const void *b){
  return strcmp(*(char*const*)a, *(char*const*)b);
}

/* State of one expansion */
typedef struct S3List S3List;
struct S3List {
  VfFileList *pList;         /* the result */
  int nAlloc;                /* slots in pList->azFile */
  const char *zBucket;       /* the bucket */
  const char *zKey;          /* the key part as given */
  int bGlob;                 /* zKey is a pattern */
  int bExact;                /* an object named exactly zKey was listed */
  char *zExact;              /* its name, when bExact */
  int nSkip;                 /* keys below the folder not taken by name */
  char **pzErr;              /* where s3_consider_cb() puts an error */
  S3Glob glob;               /* zKey split, when bGlob */
};

/* Add "s3://bucket/key" to the list. SQLITE_OK, SQLITE_NOMEM or ERROR. */
static int s3_add(S3List *pL, const char *zKey, char **pzErr){
  VfFileList *p = pL->pList;
  char *z;
  if( p->nFile>=pL->nAlloc ){
    int nNew = pL->nAlloc ? pL->nAlloc*2 : 64;
    char **azNew;
    if( pL->nAlloc>=S3_MAX_FILES ){
      *pzErr = sqlite3_mprintf("too many objects in 's3://%s/%s' (the "
          "limit is %d)", pL->zBucket, pL->zKey, S3_MAX_FILES);
      return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
    }
    azNew = sqlite3_realloc64(p->azFile, sizeof(char*)*(size_t)nNew);
    if( azNew==0 ) return SQLITE_NOMEM;
    p->azFile = azNew;
    pL->nAlloc = nNew;
  }
  z = sqlite3_mprintf("s3://%s/%s", pL->zBucket, zKey);
  if( z==0 ) return SQLITE_NOMEM;
  p->azFile[p->nFile++] = z;
  return SQLITE_OK;
}

/* Take or leave one listed key. */
static int s3_consider(S3List *pL, const char *zKey, char **pzErr){
  size_t nK = strlen(pL->zKey);
  if( zKey[0]==0 || zKey[strlen(zKey)-1]=='/' ) return SQLITE_OK;  /* folder marker */
  if( pL->bGlob ){
    return s3_glob_test(&pL->glob, zKey) ? s3_add(pL, zKey, pzErr) : SQLITE_OK;
  }
  if( nK>0 && strcmp(zKey, pL->zKey)==0 && pL->zKey[nK-1]!='/' ){
    pL->bExact = 1;
    return SQLITE_OK;
  }
  if( nK>0 && pL->zKey[nK-1]!='/' ){
    /* "s3://b/AWSLogs" is the folder "AWSLogs/", not "AWSLogsOld/" */
    if( strncmp(zKey, pL->zKey, nK)!=0 || zKey[nK]!='/' ) return SQLITE_OK;
    nK++;
  }
  if( !s3_folder_takes(zKey+nK) ){
    pL->nSkip++;
    return SQLITE_OK;
  }
  return s3_add(pL, zKey, pzErr);
}

/* vf_s3_parse_page() callback: s3_consider() */
static int s3_consider_cb(void *pArg, const char *zKey){
  S3List *pL = (S3List*)pArg;
  return s3_consider(pL, zKey, pL->pzErr);
}

/* The listing prefix of a pattern: its text before the first glob
** character, cut back to the last '/' (malloc'd). */
static char *s3_glob_prefix(const char *zPat){
  size_t n = strcspn(zPat, "*?[");
  while( n>0 && zPat[n-1]!='/' ) n--;
  return strndup(zPat, n);
}

/* The stop callback's adapter: vf_s3_expand passes the caller's. */
typedef struct S3Stop S3Stop;
struct S3Stop { int (*xStop)(void*); void *pArg; };

/* See s3.h */
int vf_s3_expand(const char *zPath, VfFileList *pList, char **pzErr,
                 int (*xStop)(void*), void *pStopArg){
  S3Config cfg;
  S3Req r;
  CURLM *m = 0;
  S3List L;
  char zErr[S3_MSG];
  char *zBucket = 0, *zKey = 0, *zPrefix = 0, *zToken = 0;
  int rc = SQLITE_OK, nPage = 0;

  *pzErr = 0;
  memset(&L, 0, sizeof(L));
  memset(&r, 0, sizeof(r));
  zErr[0] = 0;
  if( s3_parse(zPath, &zBucket, &zKey, zErr, sizeof(zErr))
   || s3_config(&cfg, zErr, sizeof(zErr)) ){
    *pzErr = sqlite3_mprintf("cannot read '%s': %s", zPath, zErr);
    free(zBucket);
    free(zKey);
    return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  L.pList = pList;
  L.zBucket = zBucket;
  L.zKey = zKey;
  L.bGlob = strpbrk(zKey, "*?[")!=0;
  zPrefix = L.bGlob ? s3_glob_prefix(zKey) : strdup(zKey);
  if( zPrefix==0 || (L.bGlob && s3_glob_init(&L.glob, zKey))
   || s3_req_init(&r, &m) ){
    rc = SQLITE_NOMEM;
    goto expand_done;
  }
  r.nMax = S3_PAGE_MAX;
  for(;;){
    char *zQuery = 0;
    size_t nQ = 0;
    int bad = 0, e, bTrunc = 0;
    /* parameters in sorted order: libcurl signs the query as written */
    if( zToken ){
      bad |= s3_cat(&zQuery, &nQ, "continuation-token=");
      bad |= s3_enc(&zQuery, &nQ, zToken, 0);
      bad |= s3_cat(&zQuery, &nQ, "&");
    }
    bad |= s3_cat(&zQuery, &nQ, "list-type=2&prefix=");
    bad |= s3_enc(&zQuery, &nQ, zPrefix, 0);
    if( bad ){
      free(zQuery);
      rc = SQLITE_NOMEM;
      goto expand_done;
    }
    e = s3_get(m, &r, &cfg, zBucket, "", zQuery, xStop, pStopArg,
               zErr, sizeof(zErr));
    free(zQuery);
    nPage++;
    if( e==S3_STOPPED ){
      rc = SQLITE_INTERRUPT;
      *pzErr = sqlite3_mprintf("interrupted");
      goto expand_done;
    }
    if( e==S3_FAILED ){
      s3_scrub(zErr, &cfg);
      *pzErr = sqlite3_mprintf("cannot list 's3://%s/%s': %s", zBucket,
                               zPrefix, zErr);
      rc = SQLITE_ERROR;
      goto expand_done;
    }
    free(zToken);
    zToken = malloc(r.nBody+1);
    if( zToken==0 ){
      rc = SQLITE_NOMEM;
      goto expand_done;
    }
    L.pzErr = pzErr;
    rc = vf_s3_parse_page(r.aBody ? r.aBody : (char*)"", r.nBody, s3_consider_cb,
                          &L, &bTrunc, zToken, r.nBody+1);
    if( rc ) goto expand_done;
    if( !bTrunc ) break;
    if( zToken[0]==0 ){
      *pzErr = sqlite3_mprintf("cannot list 's3://%s/%s': page %d says it "
          "is truncated but gives no NextContinuationToken", zBucket,
          zPrefix, nPage);
      rc = SQLITE_ERROR;
      goto expand_done;
    }
    if( nPage>=S3_MAX_PAGES ){
      /* a server that never ends its listing (S3 pages hold 1,000 keys) */
      *pzErr = sqlite3_mprintf("cannot list 's3://%s/%s': more than %d "
          "pages", zBucket, zPrefix, S3_MAX_PAGES);
      rc = SQLITE_ERROR;
      goto expand_done;
    }
    if( xStop && xStop(pStopArg) ){
      rc = SQLITE_INTERRUPT;
      *pzErr = sqlite3_mprintf("interrupted");
      goto expand_done;
    }
  }
  if( L.bExact ){
    /* the path names one object: that object alone, as a local file */
    int i;
    for(i=0; i<pList->nFile; i++) sqlite3_free(pList->azFile[i]);
    pList->nFile = 0;
    rc = s3_add(&L, zKey, pzErr);
  }else if( pList->nFile==0 ){
    if( L.bGlob ){
      *pzErr = sqlite3_mprintf("no objects match '%s'", zPath);
    }else if( L.nSkip ){
      *pzErr = sqlite3_mprintf("no flow log files in '%s': %d objects "
          "skipped: a prefix is read for names ending in .log, .gz or "
          ".parquet; name other objects with a glob", zPath, L.nSkip);
    }else{
      *pzErr = sqlite3_mprintf("no flow log files in '%s': no objects "
          "below it", zPath);
    }
    rc = SQLITE_ERROR;
  }else{
    qsort(pList->azFile, (size_t)pList->nFile, sizeof(char*), s3_name_cmp);
  }

expand_done:
  s3_glob_free(&L.glob);
  s3_req_free(&r, m);
  free(zToken);
  free(zPrefix);
  free(zBucket);
  free(zKey);
  if( rc ){
    vf_source_free(pList);
    if( rc==SQLITE_NOMEM ){
      sqlite3_free(*pzErr);
      *pzErr = 0;
    }
  }
  return rc;
}

/* ---- streaming one object -------------------------------------------- */

/* The stream's stop test, for s3_get(). */
static int s3_stream_stop(void *pArg){
  VfS3Stream *s = (VfS3Stream*)pArg;
  return __atomic_load_n(&s->bStop, __ATOMIC_ACQUIRE);
}

/* Record why the stream failed (messages name the object). */
static void s3_stream_fail(VfS3Stream *s, const char *zWhy){
  pthread_mutex_lock(&s->mutex);
  snprintf(s->zFail, sizeof(s->zFail), "cannot read '%s': %s", s->zUrl, zWhy);
  s3_scrub(s->zFail, &s->cfg);
  pthread_mutex_unlock(&s->mutex);
}

/* The stream's thread: GET the object into the socket, then close it. */
static void *s3_stream_main(void *pArg){
  VfS3Stream *s = (VfS3Stream*)pArg;
  S3Req r;
  CURLM *m = 0;
  char zWhy[S3_MSG];
  int e;
  if( s3_req_init(&r, &m) ){
    s3_stream_fail(s, "out of memory (libcurl)");
  }else{
    r.pStream = s;
    r.nMax = S3_ERRBODY_MAX;
    zWhy[0] = 0;
    e = s3_get(m, &r, &s->cfg, s->zBucket, s->zKey, 0, s3_stream_stop, s,
               zWhy, sizeof(zWhy));
    if( e==S3_FAILED ) s3_stream_fail(s, zWhy);
  }
  s3_req_free(&r, m);
  pthread_mutex_lock(&s->mutex);
  s->bDone = 1;
  pthread_mutex_unlock(&s->mutex);
  /* after the failure is recorded: the reader sees the end only now */
  close(s->fdWrite);
  s->fdWrite = -1;
  return 0;
}

/* See s3.h */
int vf_s3_open(const char *zUrl, VfS3Stream **ppS3, int *pFd,
               char *zErr, size_t nErr){
  VfS3Stream *s;
  char zWhy[S3_MSG];
  int aFd[2];
  *ppS3 = 0;
  *pFd = -1;
  zWhy[0] = 0;
  s = calloc(1, sizeof(*s));
  if( s==0 ){
    snprintf(zErr, nErr, "cannot open '%s': out of memory", zUrl);
    return 1;
  }
  s->fdWrite = -1;
  if( s3_parse(zUrl, &s->zBucket, &s->zKey, zWhy, sizeof(zWhy))
   || s3_config(&s->cfg, zWhy, sizeof(zWhy)) ){
    snprintf(zErr, nErr, "cannot open '%s': %s", zUrl, zWhy);
    vf_s3_close(s);
    return 1;
  }
  s->zUrl = strdup(zUrl);
  if( s->zUrl==0 || pthread_mutex_init(&s->mutex, 0) ){
    free(s->zUrl);
    s->zUrl = 0;
    snprintf(zErr, nErr, "cannot open '%s': out of memory", zUrl);
    vf_s3_close(s);
    return 1;
  }
  if( socketpair(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0, aFd) ){
    snprintf(zErr, nErr, "cannot open '%s': %s", zUrl, strerror(errno));
    pthread_mutex_destroy(&s->mutex);
    free(s->zUrl);
    s->zUrl = 0;
    vf_s3_close(s);
    return 1;
  }
  /* the reader only reads, the thread only writes */
  shutdown(aFd[0], SHUT_WR);
  shutdown(aFd[1], SHUT_RD);
  s->fdWrite = aFd[1];
  if( pthread_create(&s->tid, 0, s3_stream_main, s) ){
    snprintf(zErr, nErr, "cannot open '%s': cannot start a thread", zUrl);
    close(aFd[0]);
    close(aFd[1]);
    pthread_mutex_destroy(&s->mutex);
    free(s->zUrl);
    s->zUrl = 0;
    s->fdWrite = -1;
    vf_s3_close(s);
    return 1;
  }
  s->bThread = 1;
  *ppS3 = s;
  *pFd = aFd[0];
  return 0;
}

/* See s3.h */
int vf_s3_failed(VfS3Stream *s, char *zErr, size_t nErr){
  int bFailed;
  if( s==0 ) return 0;
  pthread_mutex_lock(&s->mutex);
  bFailed = s->zFail[0]!=0 || !s->bDone;
  if( nErr>0 ){
    snprintf(zErr, nErr, "%s", s->zFail[0] ? s->zFail
             : "the transfer ended early");
  }
  pthread_mutex_unlock(&s->mutex);
  return bFailed;
}

/* See s3.h */
void vf_s3_close(VfS3Stream *s){
  if( s==0 ) return;
  if( s->bThread ){
    __atomic_store_n(&s->bStop, 1, __ATOMIC_RELEASE);
    pthread_join(s->tid, 0);
    pthread_mutex_destroy(&s->mutex);
  }
  if( s->fdWrite>=0 ) close(s->fdWrite);
  /* the secret leaves memory with the stream */
  memset(&s->cfg, 0, sizeof(s->cfg));
  free(s->zUrl);
  free(s->zBucket);
  free(s->zKey);
  free(s);
}

/* ---- Parquet objects: ranged GETs ------------------------------------ */

/* Most bytes of a column chunk fetched by one GET (beyond those asked). */
#define S3_PQ_AHEAD (4*1024*1024)

/* Most bytes the blocks of one object hold together. */
#define S3_PQ_CACHE (128*1024*1024)

/* A range of the object in memory. */
typedef struct S3PqBlock S3PqBlock;
struct S3PqBlock {
  uint64_t iOff;             /* its first byte in the object */
  size_t n;                  /* its size */
  char *a;                   /* the bytes (malloc) */
  uint64_t iUse;             /* when it was last read (s3Pq.iClock) */
};

/* A Parquet object read with ranged GETs (s3.h): a VfParquetIo. */
typedef struct S3Pq S3Pq;
struct S3Pq {
  VfParquetIo base;          /* base class: must be first */
  S3Config cfg;              /* settings */
  char *zUrl;                /* "s3://bucket/key" (malloc) */
  char *zBucket, *zKey;      /* parsed from it (malloc) */
  S3Req r;                   /* the one easy handle: its connection stays */
  CURLM *m;                  /* and its multi handle */
  char zEtag[256];           /* ETag of the first answer ("" if none) */
  int (*xStop)(void*);       /* the caller's stop test, or 0 */
  void *pStopArg;            /* its argument */
  S3PqBlock *aBlk;           /* ranges held */
  int nBlk, nBlkAlloc;       /* ranges in aBlk, and its slots */
  size_t nHeld;              /* bytes they hold */
  uint64_t iClock;           /* reads so far (for least recently used) */
};

/*
** GET bytes [iOff, iEnd) of the object into q->r.aBody (exactly that
** many bytes), If-Match the first answer's ETag. Return S3_OK, or
** S3_FAILED / S3_STOPPED with the reason in zOut.
*/
static int s3_pq_get(S3Pq *q, uint64_t iOff, uint64_t iEnd,
                     char *zOut, size_t nOut){
  char zRange[80];
  size_t nWant = (size_t)(iEnd - iOff);
  int e;
  snprintf(zRange, sizeof(zRange), "Range: bytes=%llu-%llu",
           (unsigned long long)iOff, (unsigned long long)(iEnd-1));
  if( q->r.nAlloc<nWant+1 ){
    /* the size is known: one allocation, not s3_keep()'s doublings */
    char *aNew = realloc(q->r.aBody, nWant+1);
    if( aNew==0 ){
      snprintf(zOut, nOut, "out of memory");
      return S3_FAILED;
    }
    q->r.aBody = aNew;
    q->r.nAlloc = nWant+1;
  }
  q->r.zRange = zRange;
  q->r.zIfMatch = q->zEtag;
  /* room for an error's body too: its Code and Message are wanted */
  q->r.nMax = nWant>S3_ERRBODY_MAX ? nWant : S3_ERRBODY_MAX;
  e = s3_get(q->m, &q->r, &q->cfg, q->zBucket, q->zKey, 0, q->xStop,
             q->pStopArg, zOut, nOut);
  q->r.zRange = 0;
  if( e==S3_STOPPED ) snprintf(zOut, nOut, "interrupted");
  if( e!=S3_OK ) return e;
  if( q->r.iStatus!=206 || q->r.nBody!=nWant ){
    snprintf(zOut, nOut, "the server answered bytes %llu-%llu with HTTP %ld "
             "and %llu bytes (Parquet over s3:// needs ranged GETs)",
             (unsigned long long)iOff, (unsigned long long)(iEnd-1),
             q->r.iStatus, (unsigned long long)q->r.nBody);
    return S3_FAILED;
  }
  return S3_OK;
}

/* Drop block i. */
static void s3_pq_drop(S3Pq *q, int i){
  q->nHeld -= q->aBlk[i].n;
  free(q->aBlk[i].a);
  q->aBlk[i] = q->aBlk[--q->nBlk];
}

/*
** Keep q->r.aBody ([iOff, iOff+n)) as a block: the block of the same
** column read so far (one that holds iOff) and then the least recently
** used ones go first while the blocks would exceed S3_PQ_CACHE. Return
** the block, or 0 on OOM.
*/
static S3PqBlock *s3_pq_keep(S3Pq *q, uint64_t iOff, size_t n){
  S3PqBlock *b;
  int i;
  for(i=0; i<q->nBlk; i++){
    S3PqBlock *x = &q->aBlk[i];
    if( iOff>=x->iOff && iOff<=x->iOff+x->n ){
      s3_pq_drop(q, i);
      break;
    }
  }
  while( q->nBlk>0 && q->nHeld+n>S3_PQ_CACHE ){
    int iOld = 0;
    for(i=1; i<q->nBlk; i++){
      if( q->aBlk[i].iUse<q->aBlk[iOld].iUse ) iOld = i;
    }
    s3_pq_drop(q, iOld);
  }
  if( q->nBlk>=q->nBlkAlloc ){
    int nNew = q->nBlkAlloc ? q->nBlkAlloc*2 : 16;
    S3PqBlock *aNew = realloc(q->aBlk, sizeof(*aNew)*(size_t)nNew);
    if( aNew==0 ) return 0;
    q->aBlk = aNew;
    q->nBlkAlloc = nNew;
  }
  b = &q->aBlk[q->nBlk++];
  b->iOff = iOff;
  b->n = n;
  b->a = q->r.aBody;         /* the block takes the body over */
  b->iUse = ++q->iClock;
  q->nHeld += n;
  q->r.aBody = 0;
  q->r.nAlloc = 0;
  q->r.nBody = 0;
  return b;
}

/* VfParquetIo.xRead (parquet.h): from a block, else one ranged GET from
** iOff to iAhead (at most S3_PQ_AHEAD more than asked). */
static int s3_pq_read(VfParquetIo *pIo, uint64_t iOff, void *a, size_t n,
                      uint64_t iAhead, char *zErr, size_t nErr){
  S3Pq *q = (S3Pq*)pIo;
  S3PqBlock *b = 0;
  uint64_t iEnd = iOff + n, iTo;
  int i;
  for(i=0; i<q->nBlk; i++){
    b = &q->aBlk[i];
    if( iOff>=b->iOff && iEnd<=b->iOff+b->n ) break;
  }
  if( i>=q->nBlk ){
    char zWhy[S3_MSG];
    iTo = iAhead<iEnd ? iEnd : iAhead;
    if( iTo>iOff+n+S3_PQ_AHEAD ) iTo = iOff+n+S3_PQ_AHEAD;
    if( iTo>q->base.nSize ) iTo = q->base.nSize;
    if( iTo<iEnd ){
      snprintf(zErr, nErr, "read past the end of the object");
      return 1;
    }
    zWhy[0] = 0;
    if( s3_pq_get(q, iOff, iTo, zWhy, sizeof(zWhy)) ){
      s3_scrub(zWhy, &q->cfg);
      snprintf(zErr, nErr, "%s", zWhy);
      return 1;
    }
    b = s3_pq_keep(q, iOff, (size_t)(iTo-iOff));
    if( b==0 ){
      snprintf(zErr, nErr, "out of memory");
      return 1;
    }
  }
  b->iUse = ++q->iClock;
  memcpy(a, b->a + (iOff - b->iOff), n);
  return 0;
}

/* VfParquetIo.xClose */
static void s3_pq_close(VfParquetIo *pIo){
  S3Pq *q = (S3Pq*)pIo;
  int i;
  if( q==0 ) return;
  for(i=0; i<q->nBlk; i++) free(q->aBlk[i].a);
  free(q->aBlk);
  s3_req_free(&q->r, q->m);
  memset(&q->cfg, 0, sizeof(q->cfg));     /* the secret goes with it */
  free(q->zUrl);
  free(q->zBucket);
  free(q->zKey);
  free(q);
}

/* See s3.h */
int vf_s3_parquet_open(const char *zUrl, int (*xStop)(void*), void *pStopArg,
                       VfParquetIo **ppIo, char *zErr, size_t nErr){
  S3Pq *q;
  char zWhy[S3_MSG];
  int e;
  *ppIo = 0;
  zWhy[0] = 0;
  q = calloc(1, sizeof(*q));
  if( q==0 ){
    snprintf(zErr, nErr, "cannot open '%s': out of memory", zUrl);
    return 1;
  }
  q->base.xRead = s3_pq_read;
  q->base.xClose = s3_pq_close;
  q->xStop = xStop;
  q->pStopArg = pStopArg;
  if( s3_parse(zUrl, &q->zBucket, &q->zKey, zWhy, sizeof(zWhy))
   || s3_config(&q->cfg, zWhy, sizeof(zWhy)) ){
    goto pq_open_failed;
  }
  q->zUrl = strdup(zUrl);
  if( q->zUrl==0 || s3_req_init(&q->r, &q->m) ){
    snprintf(zWhy, sizeof(zWhy), "out of memory");
    goto pq_open_failed;
  }
  /* The first 4 bytes (the magic, read first by parquet.c): the answer's
  ** Content-Range "bytes 0-3/SIZE" gives the size and its ETag pins the
  ** object for the ranged GETs that follow, so no HEAD is needed. */
  q->base.nSize = 4;
  e = s3_pq_get(q, 0, 4, zWhy, sizeof(zWhy));
  if( e==S3_FAILED && q->r.iStatus==416 ){
    q->base.nSize = 0;         /* an empty object: parquet.c says "too short" */
    *ppIo = &q->base;
    return 0;
  }
  if( e ) goto pq_open_failed;
  {
    const char *zSlash = strchr(q->r.zContentRange, '/');
    char *zEnd = 0;
    unsigned long long n = zSlash ? strtoull(zSlash+1, &zEnd, 10) : 0;
    if( zSlash==0 || zEnd==zSlash+1 || n<4 ){
      snprintf(zWhy, sizeof(zWhy), "the answer to a ranged GET has no object "
               "size (Content-Range: %.60s)", q->r.zContentRange);
      goto pq_open_failed;
    }
    q->base.nSize = (uint64_t)n;
  }
  s3_copy(q->zEtag, sizeof(q->zEtag), q->r.zEtag);
  if( s3_pq_keep(q, 0, 4)==0 ){
    snprintf(zWhy, sizeof(zWhy), "out of memory");
    goto pq_open_failed;
  }
  *ppIo = &q->base;
  return 0;

pq_open_failed:
  s3_scrub(zWhy, &q->cfg);
  snprintf(zErr, nErr, "cannot open '%s': %s", zUrl, zWhy);
  s3_pq_close(&q->base);
  return 1;
}

#endif /* VF_S3_CURL */
