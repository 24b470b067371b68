/*
** fuzz_reader.c - libFuzzer harness for the file reader (ext/reader.c):
** plain and gzip files, multi-member, damaged, with lines of any length.
**
** Usage:
**
**   make fuzz                      (builds build/fuzz/fuzz_reader)
**   build/fuzz/fuzz_reader -dict=tests/fuzz/vpcflow.dict CORPUS_DIR
**
** INPUT LAYOUT. Byte 0 chooses how the file is made, byte 1 seeds the
** choices below, the rest is the content:
**
**   byte 0, bits 0-1  0: the content is the file, as is (so the fuzzer
**                        also reaches inflate with its own gzip bytes)
**                     1: the content, gzip-compressed
**                     2: the content, gzip-compressed, then damaged:
**                        truncated, bytes flipped, or garbage or zero
**                        padding appended
**                     3: as 1, with FNAME, FEXTRA, FCOMMENT (and, when
**                        the seed state is odd, FHCRC) in each member
**                        header
**           bit  2    expand runs: 0xFE k repeats the previous byte
**                     k*1024 times (0xFE 0 is a literal 0xFE), so short
**                     inputs make lines over VF_READER_MAX_LINE and files
**                     over the reader's 256 KiB window (at most 640 KiB)
**           bits 3-4  gzip members - 1: the content is cut into 1 to 4
**                     members (some may be empty)
**           bits 5-7  deflate level 0 (stored blocks) to 7
**
** The file is written to a per-process path under /tmp, read to the end
** with vf_reader_next() and removed.
**
** A plain file is then read a second time the way the scan's parse-ahead
** reads it (vfBlockLine in vtab.c): blocks of whole lines from
** vf_reader_block(), of sizes the seed picks from 1 byte to the largest,
** split here, and vf_reader_next() for each line no block brings. The
** lines must be the same, checked the same way.
**
** HOW IT CHECKS. Every result must keep the contract of reader.h: line
** numbers advance by one (VF_LINE_AGAIN changes nothing), no '\n' inside
** a line, at most
** VF_READER_MAX_LINE bytes (VF_HEAD for TOOLONG), PARTIAL only right
** before ERROR, the final result repeats, and a message exists exactly
** after ERROR. Where the decoded bytes are known (plain content, intact
** gzip, gzip with garbage after it or cut short) the lines are compared
** with a model that splits those bytes on '\n' itself.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "reader.h"
#include "parquet.h"

#define CHECK(x) do{ if( !(x) ){ \
  fprintf(stderr, "fuzz_reader: %s:%d: check failed: %s\n", \
          __FILE__, __LINE__, #x); abort(); } }while(0)

#define MAX_EXPAND  (640<<10)  /* largest content after expansion */
#define HEAD        200        /* VF_HEAD of reader.c: bytes of a TOOLONG */

/* How the decoded bytes relate to the model */
#define MODEL_NONE   0         /* unknown (damaged data): no comparison */
#define MODEL_EXACT  1         /* every line, then EOF */
#define MODEL_FAIL   2         /* every line, then ERROR */
#define MODEL_PREFIX 3         /* a prefix of the lines, then an end */

static char zPath[64];         /* this process's temporary file */
static int bNoHcrc;            /* FUZZ_READER_NO_HCRC is set */

/* A small deterministic generator, so an input always makes one file. */
static uint32_t rnd(uint32_t *p){
  *p ^= *p<<13; *p ^= *p>>17; *p ^= *p<<5;
  return *p;
}

/*
** Expand the runs of a[0..n-1] into a new buffer (see INPUT LAYOUT).
** Return it, its length in *pn.
*/
static unsigned char *expand(const unsigned char *a, size_t n, size_t *pn){
  unsigned char *z = malloc(MAX_EXPAND);
  size_t i, j = 0;
  CHECK( z!=0 );
  for(i=0; i<n && j<MAX_EXPAND; i++){
    if( a[i]==0xFE && i+1<n ){
      size_t k = (size_t)a[++i]*1024;
      if( k==0 ){
        z[j++] = 0xFE;
      }else{
        unsigned char c = j ? z[j-1] : 'x';
        if( k>MAX_EXPAND-j ) k = MAX_EXPAND-j;
        memset(z+j, c, k);
        j += k;
      }
    }else{
      z[j++] = a[i];
    }
  }
  *pn = j;
  return z;
}

/*
** Compress a[0..n-1] as nMember gzip members, cut at places chosen by
** *pSeed. Return the stream, its length in *pn.
*/
static unsigned char *gzip(const unsigned char *a, size_t n, int nMember,
                           int iLevel, int bExtras, uint32_t *pSeed,
                           size_t *pn){
  size_t nAlloc = n + n/8 + 256*(size_t)nMember + 1024, nOut = 0, iPos = 0;
  unsigned char *zOut = malloc(nAlloc);
  int i;
  CHECK( zOut!=0 );
  for(i=0; i<nMember; i++){
    z_stream s;
    gz_header h;
    size_t nPart = i==nMember-1 ? n-iPos : (n-iPos ? rnd(pSeed)%(n-iPos+1) : 0);
    memset(&s, 0, sizeof(s));
    CHECK( deflateInit2(&s, iLevel, Z_DEFLATED, 16+MAX_WBITS, 8,
                        Z_DEFAULT_STRATEGY)==Z_OK );
    if( bExtras ){
      static unsigned char aExtra[] = "AB\004\000xyzw";
      memset(&h, 0, sizeof(h));
      h.name = (Bytef*)"x.log";
      h.comment = (Bytef*)"vpcflow fuzz";
      h.extra = aExtra;
      h.extra_len = 8;
      /* FHCRC in about half the files; FUZZ_READER_NO_HCRC=1 leaves it
      ** out, to fuzz past a known FHCRC bug while it is open. */
      h.hcrc = (int)(*pSeed & 1) && !bNoHcrc;
      CHECK( deflateSetHeader(&s, &h)==Z_OK );
    }
    s.next_in = (Bytef*)(a + iPos);
    s.avail_in = (uInt)nPart;
    s.next_out = zOut + nOut;
    s.avail_out = (uInt)(nAlloc - nOut);
    CHECK( deflate(&s, Z_FINISH)==Z_STREAM_END );
    nOut = nAlloc - s.avail_out;
    deflateEnd(&s);
    iPos += nPart;
  }
  *pn = nOut;
  return zOut;
}

/*
** Damage the gzip stream z[0..*pn-1] (room for nAlloc bytes is not
** assumed: appending reallocates). Return the new stream and what can
** still be said about its lines.
*/
static unsigned char *damage(unsigned char *z, size_t *pn, uint32_t *pSeed,
                             int *peModel){
  size_t n = *pn;
  switch( rnd(pSeed)%4 ){
    case 0:                    /* cut short */
      *pn = n ? rnd(pSeed)%n : 0;
      *peModel = MODEL_PREFIX;
      break;
    case 1: {                  /* garbage or zero padding after it */
      size_t k, nAdd = 1 + rnd(pSeed)%8, nZero = 0;
      z = realloc(z, n + nAdd);
      CHECK( z!=0 );
      for(k=0; k<nAdd; k++) z[n+k] = (unsigned char)rnd(pSeed);
      if( z[n]==0x1f ) z[n] = 0x20;
      /* sometimes zero padding first: accepted to the end of the file,
      ** as gzip -d accepts it; anything after it is garbage */
      if( rnd(pSeed)%2 ){
        nZero = 1 + rnd(pSeed)%nAdd;
        memset(z+n, 0, nZero);
      }
      while( nZero<nAdd && z[n+nZero]==0 ) nZero++;
      *pn = n + nAdd;
      *peModel = nZero==nAdd ? MODEL_EXACT : MODEL_FAIL;
      break;
    }
    default: {                 /* flip bytes, perhaps also cut */
      int k, nFlip = 1 + (int)(rnd(pSeed)%3);
      for(k=0; k<nFlip && n>0; k++){
        z[rnd(pSeed)%n] ^= (unsigned char)(1 + rnd(pSeed)%255);
      }
      if( n && rnd(pSeed)%2 ) *pn = rnd(pSeed)%n;
      *peModel = MODEL_NONE;
      break;
    }
  }
  return z;
}

/*
** The model: the lines of c[0..n-1] as the reader must return them.
** aOff/aLen get each line's offset and length without its line end.
*/
static size_t model_lines(const unsigned char *c, size_t n, size_t **paOff,
                          size_t **paLen){
  size_t i, iStart = 0, nLine = 0, nAlloc = 16;
  size_t *aOff = malloc(nAlloc*sizeof(size_t));
  size_t *aLen = malloc(nAlloc*sizeof(size_t));
  CHECK( aOff && aLen );
  while( iStart<n ){
    const unsigned char *zEol = memchr(c+iStart, '\n', n-iStart);
    size_t nLen;
    i = zEol ? (size_t)(zEol - c) : n;
    nLen = i - iStart;
    if( nLen>0 && c[iStart+nLen-1]=='\r' ) nLen--;
    if( nLine==nAlloc ){
      nAlloc *= 2;
      aOff = realloc(aOff, nAlloc*sizeof(size_t));
      aLen = realloc(aLen, nAlloc*sizeof(size_t));
      CHECK( aOff && aLen );
    }
    aOff[nLine] = iStart;
    aLen[nLine] = nLen;
    nLine++;
    iStart = i+1;
  }
  *paOff = aOff;
  *paLen = aLen;
  return nLine;
}

/*
** Lines the parse-ahead way (see the header comment). A line from a block
** sets *pbBlock: the reader's line number catches up only when its block
** is done.
*/
typedef struct Blocks Blocks;
struct Blocks {
  char *a;                     /* the block: VF_READER_BLOCK_MAX bytes */
  size_t n, i;                 /* its bytes, and the next line's start */
  int64_t nLines;              /* its lines handed out */
  uint32_t seed;               /* picks block sizes */
};

static int block_next(VfReader *p, Blocks *b, const char **pz, size_t *pn,
                      int *pbBlock){
  static const size_t aCap[] = { 1, 2, 50, 200, 4096, 70000,
                                 VF_READER_BLOCK_MAX };
  for(;;){
    if( b->i<b->n ){
      char *z = b->a + b->i;
      char *zEol = memchr(z, '\n', b->n - b->i);
      size_t n;
      CHECK( zEol!=0 );                /* a block is whole lines */
      n = (size_t)(zEol - z);
      b->i += n+1;
      b->nLines++;
      if( n>0 && z[n-1]=='\r' ) n--;
      *pz = z;
      *pbBlock = 1;
      if( n>VF_READER_MAX_LINE ){
        *pn = HEAD;
        return VF_LINE_TOOLONG;
      }
      *pn = n;
      return VF_LINE_OK;
    }
    if( b->n ){
      vf_reader_add_lines(p, b->nLines);
      b->n = b->i = 0;
      b->nLines = 0;
    }
    b->n = vf_reader_block(p, b->a, aCap[rnd(&b->seed) % 7]);
    if( b->n ){
      CHECK( b->a[b->n-1]=='\n' );
      continue;
    }
    *pbBlock = 0;
    return vf_reader_next(p, pz, pn);
  }
}

/* Write z[0..n-1] to zPath. */
static void write_file(const unsigned char *z, size_t n){
  FILE *f = fopen(zPath, "wb");
  CHECK( f!=0 );
  CHECK( n==0 || fwrite(z, 1, n, f)==n );
  CHECK( fclose(f)==0 );
}

/*
** The reader refuses a file whose first 1024 bytes of data are binary
** (reader.c, vf_reader_sniff_text): at least 8, and over one in ten, are
** a control character other than tab, CR, LF, FF, VT or not valid UTF-8.
** Count, in the first 1024 bytes of c, those controls (*pnCtl) and the
** bytes 0x80 and above (*pnHigh): a bad UTF-8 byte is one of the latter,
** so nCtl+nHigh bounds the reader's count from above, and with no high
** byte it is exactly the reader's count. Return the bytes looked at.
*/
static size_t model_binary(const unsigned char *c, size_t nC, size_t *pnCtl,
                           size_t *pnHigh){
  size_t i, n = nC<1024 ? nC : 1024;
  *pnCtl = *pnHigh = 0;
  for(i=0; i<n; i++){
    unsigned char x = c[i];
    if( x>=0x80 ) (*pnHigh)++;
    else if( (x<0x20 && x!='\t' && x!='\n' && x!='\r' && x!='\f'
              && x!='\v') || x==0x7f ) (*pnCtl)++;
  }
  return n;
}

/*
** Read zPath to its end and check every result; compare with the lines
** of c[0..nC-1] as eModel says.
*/
static void read_all(const unsigned char *c, size_t nC, int eModel,
                     int bGzip, Blocks *pBlocks){
  char zErr[256];
  VfReader *p = 0;
  size_t *aOff = 0, *aLen = 0, nModel = 0, iLine = 0;
  int e = VF_LINE_OK, ePrev = VF_LINE_OK, bPiece = 0, k, bBlock = 0;
  const char *z;
  size_t n;

  if( eModel!=MODEL_NONE ) nModel = model_lines(c, nC, &aOff, &aLen);
  zErr[0] = 0;
  if( !bGzip && nC>=4 && vf_parquet_magic((const char*)c, 4) ){
    /* A file that starts like Parquet ("PAR1", "PARE") is Parquet's to
    ** read: opening may fail, but only with a message. */
    if( vf_reader_open(zPath, &p, zErr, sizeof(zErr)) ){
      CHECK( p==0 && zErr[0]!=0 );
    }else{
      vf_reader_close(p);
    }
    free(aOff);
    free(aLen);
    return;
  }
  CHECK( vf_reader_open(zPath, &p, zErr, sizeof(zErr))==0 && p!=0 );
  CHECK( vf_reader_is_gzip(p)==bGzip );
  CHECK( vf_reader_lineno(p)==0 );
  while( 1 ){
    e = pBlocks ? block_next(p, pBlocks, &z, &n, &bBlock)
                : vf_reader_next(p, &z, &n);
    if( e==VF_LINE_EOF || e==VF_LINE_ERROR ) break;
    if( e==VF_LINE_AGAIN ){            /* no line yet: nothing changes */
      CHECK( n==0 && vf_reader_lineno(p)==(int64_t)iLine );
      continue;
    }
    iLine++;
    CHECK( e==VF_LINE_OK || e==VF_LINE_TOOLONG || e==VF_LINE_PARTIAL );
    CHECK( ePrev!=VF_LINE_PARTIAL );
    if( !bBlock ) CHECK( vf_reader_lineno(p)==(int64_t)iLine );
    /* the cause shows with the partial line before an error, and only
    ** from there on (reader.h) */
    CHECK( (vf_reader_errmsg(p)[0]!=0)==(e==VF_LINE_PARTIAL) );
    CHECK( n<=VF_READER_MAX_LINE );
    if( e==VF_LINE_TOOLONG ) CHECK( n==HEAD );
    else CHECK( n==0 || memchr(z, '\n', n)==0 );
    if( eModel!=MODEL_NONE ){
      size_t nM, iM;
      CHECK( iLine<=nModel );
      nM = aLen[iLine-1];
      iM = aOff[iLine-1];
      if( e==VF_LINE_TOOLONG ){
        CHECK( nM>VF_READER_MAX_LINE && memcmp(z, c+iM, HEAD)==0 );
      }else if( eModel==MODEL_PREFIX ){
        /* Only the last line before a cut may be a piece of its model
        ** line: nothing may follow a piece. */
        CHECK( !bPiece );
        CHECK( n<=nM && memcmp(z, c+iM, n)==0 );
        bPiece = n<nM || e==VF_LINE_PARTIAL;
      }else{
        CHECK( e==VF_LINE_OK && n==nM && memcmp(z, c+iM, n)==0 );
      }
    }
    ePrev = e;
  }
  if( ePrev==VF_LINE_PARTIAL ) CHECK( e==VF_LINE_ERROR );
  CHECK( (vf_reader_errmsg(p)[0]!=0)==(e==VF_LINE_ERROR) );
  {
    size_t nCtl, nHigh, nLook = model_binary(c, nC, &nCtl, &nHigh);
    /* the file's bytes are c: a plain file as given (a damaged gzip
    ** whose magic was hit is neither, and has no model) */
    int bExact = !bGzip && eModel!=MODEL_NONE;
    int bBinary = e==VF_LINE_ERROR
        && strstr(vf_reader_errmsg(p), "not a flow log (binary data at byte");
    if( bBinary ){
      /* refused at its first block: no line came, and only if the rule
      ** can hold (checked for plain files, whose bytes c are) */
      CHECK( iLine==0 );
      if( bExact ) CHECK( nCtl+nHigh>=8 && (nCtl+nHigh)*10>nLook );
      vf_reader_close(p);
      free(aOff);
      free(aLen);
      return;
    }
    /* a plain file of ASCII that the rule calls binary must be refused */
    if( bExact && nHigh==0 ) CHECK( !(nCtl>=8 && nCtl*10>nLook) );
  }
  if( eModel==MODEL_EXACT ) CHECK( e==VF_LINE_EOF && iLine==nModel );
  if( eModel==MODEL_FAIL ) CHECK( e==VF_LINE_ERROR && iLine==nModel );
  if( !bGzip ) CHECK( e==VF_LINE_EOF );
  for(k=0; k<2; k++){
    CHECK( vf_reader_next(p, &z, &n)==e && n==0 );
  }
  vf_reader_close(p);
  free(aOff);
  free(aLen);
}

int LLVMFuzzerInitialize(int *pArgc, char ***pArgv){
  (void)pArgc; (void)pArgv;
  snprintf(zPath, sizeof(zPath), "/tmp/vpcflow-fuzz-reader-%d.dat",
           (int)getpid());
  bNoHcrc = getenv("FUZZ_READER_NO_HCRC")!=0;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *aData, size_t nData){
  unsigned mode = nData>0 ? aData[0] : 0;
  uint32_t seed = 0x9e3779b9u ^ (nData>1 ? aData[1]*0x01000193u : 0);
  const unsigned char *a = nData>2 ? aData+2 : aData;
  size_t n = nData>2 ? nData-2 : 0, nFile = 0;
  unsigned char *zContent = 0, *zFile = 0;
  int eKind = (int)(mode & 3), eModel = MODEL_EXACT, bGzip;

  if( nData<=2 ){                      /* too short for a layout: as is */
    a = aData;
    n = nData;
    eKind = 0;
  }
  if( mode & 4 ){
    zContent = expand(a, n, &n);
    a = zContent;
  }
  if( eKind==0 ){
    write_file(a, n);
    bGzip = n>=2 && a[0]==0x1f && a[1]==0x8b;
    if( bGzip ) eModel = MODEL_NONE;
  }else{
    int nMember = 1 + (int)((mode>>3) & 3);
    int iLevel = (int)(mode>>5);
    zFile = gzip(a, n, nMember, iLevel, eKind==3, &seed, &nFile);
    if( eKind==2 ) zFile = damage(zFile, &nFile, &seed, &eModel);
    write_file(zFile, nFile);
    bGzip = nFile>=2 && zFile[0]==0x1f && zFile[1]==0x8b;
    if( !bGzip ) eModel = MODEL_NONE;   /* damage reached the magic */
  }
  /* Debugging aid: FUZZ_READER_KEEP=file keeps the file made before the
  ** checks run (replay one input with it to see the file). */
  if( getenv("FUZZ_READER_KEEP") ){
    FILE *f = fopen(getenv("FUZZ_READER_KEEP"), "wb");
    CHECK( f!=0 );
    if( eKind==0 ) fwrite(a, 1, n, f); else fwrite(zFile, 1, nFile, f);
    fclose(f);
  }
  read_all(a, n, eModel, bGzip, 0);
  if( !bGzip ){
    Blocks b;
    memset(&b, 0, sizeof(b));
    b.a = malloc(VF_READER_BLOCK_MAX);
    b.seed = seed | 1;
    CHECK( b.a!=0 );
    read_all(a, n, eModel, bGzip, &b);
    free(b.a);
  }
  unlink(zPath);
  free(zFile);
  free(zContent);
  return 0;
}
