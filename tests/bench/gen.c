/*
** gen.c - deterministic synthetic AWS VPC Flow Log generator for `make bench`.
**
**   gen [-5] [-s SEED] [-o FILE] ROWS
**
** Writes a header line and ROWS records, space separated, to FILE (default
** stdout). Default format: the 14 version-2 fields. With -5: all 29 fields of
** versions 2..5 (version column "5"). The same ROWS and SEED always give the
** same bytes (a splitmix64 generator; no time, no locale, no floating point).
**
** The mix follows the data shape of the project's performance notes:
**   1.0%  NODATA / SKIPDATA records ('-' in every flow field)
**   1.0%  IPv6 flows
**   2.0%  port scanners (one source, random destination ports, ~90% REJECT)
**   8.0%  blocked attempts from outside (a few admin ports, REJECT)
**   88.0% ordinary flows (requests to service ports, 30% responses to
**         ephemeral ports, 1% ICMP with ports 0, a few REJECTs)
** which gives about 89% ACCEPT, 10% REJECT, 1% NODATA/SKIPDATA. Address pools
** scale with ROWS so the group counts of the bench queries keep their
** proportions: at 10 M rows about 105 k source addresses (Q4), ~270 of them
** scanners touching > 100 ports, ~4 M (srcaddr, dstaddr) pairs (Q2), a few
** 100 k (srcaddr, dstport) REJECT pairs (Q3) and ~10 k rows to port 3389
** accepted (Q5). Byte counts are heavy tailed (0.5% "elephant" flows).
*/
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

/* ---------------------------------------------------------------- PRNG */
static uint64_t g_state;

static inline uint64_t mix64(uint64_t z){
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
static inline uint64_t rnd(void){
  return mix64(g_state += 0x9e3779b97f4a7c15ULL);
}
/* Uniform in [0, n) (Lemire's multiply-shift; bias < n / 2^64). */
static inline uint64_t below(uint64_t n){
  return (uint64_t)(((unsigned __int128)rnd() * n) >> 64);
}
/* A stable hash of an entity id, for per-host attributes. */
static inline uint64_t h64(uint64_t x, uint64_t salt){
  return mix64(x * 0x9e3779b97f4a7c15ULL + salt);
}

/* -------------------------------------------------------------- output */
#define OUTBUF (8u << 20)
static char *g_buf;
static size_t g_pos;
static int g_fd = 1;

static void flush_out(void){
  size_t off = 0;
  while( off < g_pos ){
    ssize_t n = write(g_fd, g_buf + off, g_pos - off);
    if( n < 0 ){
      if( errno == EINTR ) continue;
      perror("gen: write");
      exit(1);
    }
    off += (size_t)n;
  }
  g_pos = 0;
}
static inline void put_ch(char c){ g_buf[g_pos++] = c; }
static inline void put_mem(const char *s, size_t n){
  memcpy(g_buf + g_pos, s, n);
  g_pos += n;
}
#define PUT_LIT(s) put_mem(s, sizeof(s) - 1)

static const char k_digits2[201] =
  "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
  "8081828384858687888990919293949596979899";

static inline void put_u64(uint64_t v){
  char tmp[24];
  int i = 24;
  while( v >= 100 ){
    unsigned d = (unsigned)(v % 100) * 2;
    v /= 100;
    tmp[--i] = k_digits2[d + 1];
    tmp[--i] = k_digits2[d];
  }
  if( v >= 10 ){
    unsigned d = (unsigned)v * 2;
    tmp[--i] = k_digits2[d + 1];
    tmp[--i] = k_digits2[d];
  }else{
    tmp[--i] = (char)('0' + v);
  }
  put_mem(tmp + i, (size_t)(24 - i));
}
/* Exactly n lowercase hex digits of v (n <= 16). */
static inline void put_hexn(uint64_t v, int n){
  static const char hx[] = "0123456789abcdef";
  for(int i = n - 1; i >= 0; i--){
    g_buf[g_pos + i] = hx[v & 15];
    v >>= 4;
  }
  g_pos += (size_t)n;
}
/* Hex without leading zeros (an IPv6 group). */
static int fmt_hex(char *out, unsigned v){
  static const char hx[] = "0123456789abcdef";
  char tmp[8];
  int n = 0;
  do{ tmp[n++] = hx[v & 15]; v >>= 4; }while( v );
  for(int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
  return n;
}

/* ------------------------------------------------------------- pools */
typedef struct Addr { char s[40]; unsigned char n; } Addr;

static Addr *g_v4;      /* [0,NH) internal, [NH,NH+NE) external, then scanners */
static Addr *g_v6;      /* IPv6 hosts */
static uint64_t NH, NE, NS, N6, NU;

static int fmt_v4(char *out, unsigned a, unsigned b, unsigned c, unsigned d){
  return sprintf(out, "%u.%u.%u.%u", a, b, c, d);
}

static void build_pools(uint64_t rows){
  NH = rows / 125;   if( NH < 64 ) NH = 64;   /* internal hosts  (80 k @10M) */
  NE = rows / 400;   if( NE < 16 ) NE = 16;   /* outside peers   (25 k @10M) */
  NS = rows / 37000; if( NS < 1 ) NS = 1;     /* scanners        (270 @10M)  */
  N6 = rows / 4000;  if( N6 < 8 ) N6 = 8;     /* IPv6 hosts      (2.5 k)     */
  if( NH > (1u << 24) ) NH = 1u << 24;        /* 10/8 holds 2^24 addresses */
  NU = NH + NE;
  g_v4 = malloc((size_t)(NU + NS) * sizeof(Addr));
  g_v6 = malloc((size_t)N6 * sizeof(Addr));
  if( !g_v4 || !g_v6 ){ fprintf(stderr, "gen: out of memory\n"); exit(1); }
  /* Internal: an odd multiplier is a bijection mod 2^24, so no duplicates. */
  for(uint64_t i = 0; i < NH; i++){
    unsigned v = (unsigned)((i * 0x9E3779B1ULL + 0x2345) & 0xFFFFFF);
    g_v4[i].n = (unsigned char)fmt_v4(g_v4[i].s, 10, v >> 16, (v >> 8) & 255, v & 255);
  }
  static const unsigned char pub[] = { 3, 13, 18, 34, 35, 44, 52, 54, 99, 104,
                                       142, 151, 157, 185, 203, 216 };
  for(uint64_t i = 0; i < NE; i++){
    uint64_t h = h64(i, 0xE77E);
    unsigned a = pub[h % sizeof pub];
    h >>= 8;
    g_v4[NH + i].n = (unsigned char)fmt_v4(g_v4[NH + i].s, a, (h >> 16) & 255,
                                           (h >> 8) & 255, 1 + (h & 127) * 2);
  }
  static const unsigned char scan[] = { 45, 80, 89, 193, 194, 212, 222 };
  for(uint64_t i = 0; i < NS; i++){
    uint64_t h = h64(i, 0x5CA7);
    unsigned a = scan[h % sizeof scan];
    h >>= 8;
    g_v4[NU + i].n = (unsigned char)fmt_v4(g_v4[NU + i].s, a, (h >> 16) & 255,
                                           (h >> 8) & 255, 1 + (h & 127) * 2);
  }
  for(uint64_t i = 0; i < N6; i++){
    uint64_t h = h64(i, 0x1F6);
    char *o = g_v6[i].s;
    int n = 0;
    memcpy(o, "2600:1f18:", 10); n = 10;
    n += fmt_hex(o + n, 0x100 + (unsigned)(h & 0xeff)); o[n++] = ':';
    n += fmt_hex(o + n, (unsigned)((h >> 12) & 0xffff)); o[n++] = ':';
    o[n++] = ':';
    n += fmt_hex(o + n, 1 + (unsigned)((h >> 28) & 0xfffe));
    o[n] = 0;
    g_v6[i].n = (unsigned char)n;
  }
}

/* Weighted port tables: {port, weight}. */
typedef struct Wp { unsigned port, w; } Wp;
static const Wp k_service[] = {
  {443,3400},{80,1000},{53,1300},{22,400},{3306,400},{5432,400},{6379,300},
  {8080,400},{123,300},{8443,200},{9200,150},{27017,100},{25,100},{587,50},
  {445,100},{3389,18},{1433,50},{2049,100},{11211,50},{5671,50},{9092,150},
  {2379,50},{6443,150},{8000,100},{5000,100},{161,50},{514,50},{8888,82},
  {9090,100},{4443,100},{15672,50},{50051,150},
};
static const Wp k_blocked[] = {
  {22,35},{23,15},{445,15},{3389,15},{1433,10},{5900,10},
};
static unsigned pick(const Wp *t, size_t n, unsigned total){
  unsigned r = (unsigned)below(total);
  for(size_t i = 0; i < n; i++){
    if( r < t[i].w ) return t[i].port;
    r -= t[i].w;
  }
  return t[n - 1].port;
}
static unsigned sum_w(const Wp *t, size_t n){
  unsigned s = 0;
  for(size_t i = 0; i < n; i++) s += t[i].w;
  return s;
}
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int is_udp(unsigned port){
  return port == 53 || port == 123 || port == 161 || port == 514;
}

static const char *const k_acct[] = { "123456789012", "210987654321", "555566667777" };
static const char *const k_region[][2] = {
  { "us-east-1", "use1" }, { "us-west-2", "usw2" }, { "eu-west-1", "euw1" },
};
static const char *const k_service_names[] = {
  "AMAZON", "S3", "DYNAMODB", "EC2", "ROUTE53", "CLOUDFRONT",
};

/* One flow, before formatting. */
typedef struct Flow {
  int nodata;            /* 0, 1 = NODATA, 2 = SKIPDATA */
  int v6;
  uint64_t host;         /* internal host owning the ENI */
  const Addr *src, *dst;
  uint64_t sid, did;     /* pool indexes of src and dst (stable hashes) */
  int src_ext, dst_ext;  /* 1 if outside address (for v5 aws-service) */
  unsigned sport, dport, proto;
  uint64_t packets, bytes, start, end;
  int reject;
  int egress;            /* ENI is the source */
} Flow;

static void put_addr(const Addr *a){ put_mem(a->s, a->n); }

static void write_row(const Flow *f, int v5){
  uint64_t host = f->host;
  if( v5 ) PUT_LIT("5 "); else PUT_LIT("2 ");
  const char *acct = k_acct[host % 3];
  put_mem(acct, 12); put_ch(' ');
  PUT_LIT("eni-0"); put_hexn(h64(host, 0xE41), 16); put_ch(' ');
  if( f->nodata ){
    PUT_LIT("- - - - - - - ");
    put_u64(f->start); put_ch(' '); put_u64(f->end);
    if( f->nodata == 1 ) PUT_LIT(" - NODATA"); else PUT_LIT(" - SKIPDATA");
  }else{
    put_addr(f->src); put_ch(' ');
    put_addr(f->dst); put_ch(' ');
    put_u64(f->sport); put_ch(' ');
    put_u64(f->dport); put_ch(' ');
    put_u64(f->proto); put_ch(' ');
    put_u64(f->packets); put_ch(' ');
    put_u64(f->bytes); put_ch(' ');
    put_u64(f->start); put_ch(' ');
    put_u64(f->end);
    if( f->reject ) PUT_LIT(" REJECT OK"); else PUT_LIT(" ACCEPT OK");
  }
  if( v5 ){
    /* vpc-id subnet-id instance-id: the ENI's, also on NODATA records */
    uint64_t vpc = host % 12, subnet = host % 96;
    const char *const *reg = k_region[vpc % 3];
    PUT_LIT(" vpc-0"); put_hexn(h64(vpc, 0x7C), 16);
    PUT_LIT(" subnet-0"); put_hexn(h64(subnet, 0x5B), 16);
    PUT_LIT(" i-0"); put_hexn(h64(host, 0x1D), 16);
    if( f->nodata ){
      PUT_LIT(" - - - - ");
      put_mem(reg[0], strlen(reg[0])); put_ch(' ');
      put_mem(reg[1], 4); PUT_LIT("-az"); put_u64(1 + subnet % 3);
      PUT_LIT(" - - - - - -\n");
      return;
    }
    /* tcp-flags */
    put_ch(' ');
    if( f->proto == 6 ){
      static const unsigned fl[] = { 2, 18, 19, 3, 19, 1, 4, 0, 22, 19, 3, 2 };
      put_u64(fl[(f->packets + f->sport) % NELEM(fl)]);
    }else{
      put_ch('0');
    }
    /* type pkt-srcaddr pkt-dstaddr */
    if( f->v6 ) PUT_LIT(" IPv6 "); else PUT_LIT(" IPv4 ");
    put_addr(f->src); put_ch(' ');
    put_addr(f->dst); put_ch(' ');
    /* region az-id sublocation-type sublocation-id */
    put_mem(reg[0], strlen(reg[0])); put_ch(' ');
    put_mem(reg[1], 4); PUT_LIT("-az"); put_u64(1 + subnet % 3);
    PUT_LIT(" - - ");
    /* pkt-src-aws-service pkt-dst-aws-service */
    uint64_t hs = h64(f->sid, 0xA5);
    uint64_t hd = h64(f->did, 0xA5);
    if( f->src_ext && hs % 4 == 0 ){
      const char *s = k_service_names[(hs >> 8) % NELEM(k_service_names)];
      put_mem(s, strlen(s));
    }else{
      put_ch('-');
    }
    put_ch(' ');
    if( f->dst_ext && hd % 4 == 0 ){
      const char *s = k_service_names[(hd >> 8) % NELEM(k_service_names)];
      put_mem(s, strlen(s));
    }else{
      put_ch('-');
    }
    /* flow-direction traffic-path */
    if( f->egress ){
      static const unsigned tp[] = { 1, 1, 1, 1, 2, 8, 3, 7, 4, 1, 8, 5 };
      PUT_LIT(" egress ");
      put_u64(tp[(f->bytes >> 3) % NELEM(tp)]);
    }else{
      PUT_LIT(" ingress -");
    }
  }
  put_ch('\n');
}

static const char k_hdr2[] =
  "version account-id interface-id srcaddr dstaddr srcport dstport protocol "
  "packets bytes start end action log-status";
static const char k_hdr5[] =
  " vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region "
  "az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service "
  "flow-direction traffic-path";

static void usage(void){
  fprintf(stderr, "usage: gen [-5] [-s SEED] [-o FILE] ROWS\n");
  exit(2);
}

int main(int argc, char **argv){
  int v5 = 0;
  uint64_t seed = 20261123;
  const char *out = 0;
  int opt;
  while( (opt = getopt(argc, argv, "5s:o:")) != -1 ){
    switch( opt ){
      case '5': v5 = 1; break;
      case 's': seed = strtoull(optarg, 0, 10); break;
      case 'o': out = optarg; break;
      default: usage();
    }
  }
  if( optind != argc - 1 ) usage();
  char *end = 0;
  errno = 0;
  uint64_t rows = strtoull(argv[optind], &end, 10);
  if( errno || !end || *end || argv[optind][0] == '-' ) usage();

  if( out ){
    g_fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if( g_fd < 0 ){ perror(out); return 1; }
  }
  g_buf = malloc(OUTBUF);
  if( !g_buf ){ fprintf(stderr, "gen: out of memory\n"); return 1; }
  g_state = seed;
  build_pools(rows);
  const unsigned svc_total = sum_w(k_service, NELEM(k_service));
  const unsigned blk_total = sum_w(k_blocked, NELEM(k_blocked));
  const uint64_t t0 = 1700000000;    /* 2023-11-14, one simulated day */

  put_mem(k_hdr2, sizeof k_hdr2 - 1);
  if( v5 ) put_mem(k_hdr5, sizeof k_hdr5 - 1);
  put_ch('\n');

  for(uint64_t i = 0; i < rows; i++){
    Flow f;
    memset(&f, 0, sizeof f);
    f.start = t0 + (uint64_t)((unsigned __int128)i * 86400 / (rows ? rows : 1));
    f.end = f.start + 1 + below(60);
    unsigned kind = (unsigned)below(10000);
    if( kind < 100 ){                              /* 1%: NODATA / SKIPDATA */
      f.nodata = kind < 70 ? 1 : 2;
      f.host = below(NH);
    }else if( kind < 200 ){                        /* 1%: IPv6 */
      uint64_t s = below(N6), d;
      if( below(100) < 70 ) d = h64(s * 4 + below(4), 0x66) % N6;
      else d = below(N6);
      f.v6 = 1;
      f.src = &g_v6[s]; f.dst = &g_v6[d];
      f.host = s % NH;
      f.egress = 1;
      unsigned r = (unsigned)below(100);
      if( r < 3 ){ f.proto = 58; f.sport = f.dport = 0; }
      else{
        f.dport = pick(k_service, NELEM(k_service), svc_total);
        f.proto = is_udp(f.dport) ? 17 : 6;
        f.sport = 32768 + (unsigned)below(28232);
      }
      f.packets = 1 + below(40);
      f.bytes = f.packets * (60 + below(1441));
      f.reject = below(100) < 5;
    }else if( kind < 400 ){                        /* 2%: scanners */
      uint64_t s = below(NS), d = below(NH);
      f.src = &g_v4[NU + s]; f.dst = &g_v4[d];
      f.sid = NU + s; f.did = d;
      f.src_ext = 1;
      f.host = d;
      f.sport = (h64(s, 0x53) & 1) ? 54321 : 32768 + (unsigned)below(28232);
      f.dport = 1 + (unsigned)below(65535);
      f.proto = below(100) < 95 ? 6 : 17;
      f.packets = 1;
      f.bytes = f.proto == 6 ? 40 + 4 * below(6) : 28 + below(40);
      f.reject = below(100) < 90;
    }else if( kind < 1200 ){                       /* 8%: blocked attempts */
      uint64_t s = NH + below(NE), d = below(NH);
      f.src = &g_v4[s]; f.dst = &g_v4[d];
      f.sid = s; f.did = d;
      f.src_ext = 1;
      f.host = d;
      f.sport = 1024 + (unsigned)below(64512);
      f.dport = pick(k_blocked, NELEM(k_blocked), blk_total);
      f.proto = 6;
      f.packets = 1 + below(3);
      f.bytes = f.packets * (40 + below(21));
      f.reject = 1;
    }else{                                         /* 88%: ordinary flows */
      uint64_t s = below(NU), d;
      if( below(100) < 75 ) d = h64(s * 8 + below(8), 0x9A) % NU;  /* usual peers */
      else d = below(NU);
      f.src = &g_v4[s]; f.dst = &g_v4[d];
      f.sid = s; f.did = d;
      f.src_ext = s >= NH; f.dst_ext = d >= NH;
      if( s < NH ){ f.host = s; f.egress = 1; }
      else if( d < NH ){ f.host = d; f.egress = 0; }
      else{ f.host = s % NH; f.egress = 1; }
      unsigned r = (unsigned)below(1000);
      unsigned svc = pick(k_service, NELEM(k_service), svc_total);
      if( r < 10 ){                                /* ICMP: ports 0 */
        f.proto = 1; f.sport = 0; f.dport = 0;
      }else if( r < 310 ){                         /* response */
        f.sport = svc;
        f.dport = 32768 + (unsigned)below(28232);
        f.proto = is_udp(svc) ? 17 : 6;
      }else{                                       /* request */
        f.sport = 32768 + (unsigned)below(28232);
        f.dport = svc;
        f.proto = is_udp(svc) ? 17 : 6;
      }
      if( below(1000) < 5 ){                       /* elephant flow */
        f.packets = 1000 + below(2000000);
        f.bytes = f.packets * (1000 + below(501));
      }else{
        f.packets = 1 + below(12) * (1 + below(8));
        f.bytes = f.packets * (40 + below(1461));
      }
      f.reject = below(1000) < 2;
    }
    write_row(&f, v5);
    if( g_pos > OUTBUF - 1024 ) flush_out();
  }
  flush_out();
  if( out && close(g_fd) != 0 ){ perror(out); return 1; }
  free(g_buf); free(g_v4); free(g_v6);
  return 0;
}
