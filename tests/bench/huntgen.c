/*
** huntgen.c - a realistic day of AWS VPC Flow Logs at any size, for
** `make bench-hunt` (see tests/bench/README.md).
**
** Usage:
**
**   huntgen [-s SEED] [-j WORKERS] [-z LEVEL] [-n] RECORDS OUTDIR
**   huntgen -V        print the output version (bench-hunt's stamp)
**
** Writes about RECORDS records (within half a "cell", see below) of one day,
** 2026-02-13, into
**
**   OUTDIR/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/02/13/
**     123456789012_vpcflowlogs_us-east-1_fl-05c0ffee0000005_20260213THHMMZ_HASH.log.gz
**     123456789012_vpcflowlogs_us-east-1_fl-02c0ffee0000002_20260213THHMMZ_HASH.log.gz
**
** one gzip file per subscription and 5 minutes (a record goes to the file of
** the 5 minutes its `end` falls in), a header line first, as AWS delivers
** them to S3. Subscription fl-05... has the 29 v5 fields, fl-02... the 14
** default (v2) fields. It also writes OUTDIR/context.sql (the ioc, zones and
** allowed tables for threat_list_match and trust_boundary) and prints the
** record counts on stdout as "records N v5 N5 v2 N2 cells C". The same
** RECORDS and SEED always give the same bytes (splitmix64, no clock; gzip
** header mtime 0). -n counts only (writes nothing). -j WORKERS (default 2)
** processes compress the files in parallel; -z is the gzip level (6).
**
** HOW IT WORKS
**
** The world is tests/scenario/gen.py's VPC, repeated. A "cell" is one copy
** of the scenario's network (19 hosts in 5 subnets: NAT gateway, bastion,
** web servers, load balancers, app servers, database, cache, search,
** monitoring, backup, domain controller, config management, an idle ENI)
** with all of gen.py's benign traffic, drawn from the cell's own random
** stream. Cell 0 has exactly the scenario's addresses (10.0.x.y, so
** fixtures/scenario/truth.tsv and context.sql describe it) and, on top,
** every attack gen.py injects, once. Cells 1.. live in 10.16.0.0/12 (public-a),
** 10.32/12 (public-b), 10.48/12 (app), 10.64/12 (data) and 10.80/12 (mgmt),
** so a zone is one CIDR whatever the size. Their internet clients come
** from a pool of 30,000 addresses in 198.19.0.0/16 and their background
** scanners from 5,000 more; SaaS peers, package mirrors, the log collector,
** the public resolver, S3 and SSM endpoints are shared by all cells, as in
** a real account. Every third cell (c % 3 == 2) is logged by the v2
** subscription, the others by the v5 one: two flow logs with different
** formats on different VPCs of one account.
**
** Records follow gen.py's semantics (its header explains them): a record per
** direction on every ENI a connection crosses (2 between the internet and a
** public host, 4 inside a cell, 6 through the NAT gateway, whose copies
** carry pkt-srcaddr/pkt-dstaddr); a receiver's security-group REJECT is an
** ingress REJECT there and an egress ACCEPT at the sender, with no reply;
** every accepted flow has its reply records; 60 s aggregation windows on
** the minute, packets and bytes shared out over them, tcp-flags OR-ed per
** window (a short connection's initiator SYN|FIN = 3, its responder
** SYN-ACK|FIN = 19; a long one SYN, then 0, then FIN); the idle ENI of every
** cell writes NODATA each minute, SKIPDATA where gen.py has it, and web2 of
** cell 0 writes nothing 14:00-16:00 (flow log deleted).
**
** Generation is two passes so that 100 M records need little memory:
** (1) cell by cell, each record (a fixed 56-byte struct) is appended to the
** spool file of its 5-minute slice in OUTDIR/.spool; (2) WORKERS processes
** take the slices in turn, sort each slice's records (start, cell, ENI,
** srcaddr, srcport), format and gzip them, and delete the spool. Records
** whose end falls outside the day are dropped, as gen.py drops them.
*/
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

typedef uint64_t u64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;

#define DAY     1770940800u          /* 2026-02-13 00:00:00 UTC */
#define HOUR    3600u
#define MIN     60u
#define SLICE   300u                 /* one file per subscription per 5 min */
#define NSLICE  (24u * HOUR / SLICE)
#define ACCOUNT "123456789012"
#define REGION  "us-east-1"
#define FL_V5   "fl-05c0ffee0000005"
#define FL_V2   "fl-02c0ffee0000002"
#define MAXCELL 4096                 /* addressing: 12 bits of cell number */
/* Bump when the output changes for a given RECORDS and SEED: bench-hunt
** keeps generated days whose stamp names this version. */
#define HUNTGEN_VERSION 2

#define IP(a,b,c,d) (((u32)(a) << 24) | ((u32)(b) << 16) | ((u32)(c) << 8) | (u32)(d))

/* ------------------------------------------------------------ the network
** Host numbers in gen.py's HOSTS order; the ENI number is the host's index
** in the sorted list of names plus 1, as gen.py's eni_of() makes it. */
enum { NAT, BASTION, WEB1, ALBA, WEB2, ALBB, APP1, APP2, APP3, APP4, APP5,
       DB1, CACHE, ES, MONITOR, BACKUP, DC, CFG, SPARE, NHOST };
enum { PUB_A, PUB_B, SN_APP, SN_DATA, SN_MGMT };

static const struct HostDef {
  u8 subnet;          /* PUB_A .. SN_MGMT */
  u8 last;            /* last octet of the address */
  u8 inst;            /* has an instance id */
  u8 eni;             /* gen.py's eni_of() number */
  u8 ones;            /* count of '1' in gen.py's address (scrape offset) */
} k_host[NHOST] = {
  {PUB_A, 5, 0, 16, 0}, {PUB_A, 10, 1, 9, 0}, {PUB_A, 21, 1, 18, 2},
  {PUB_A, 30, 0, 1, 0}, {PUB_B, 22, 1, 19, 0}, {PUB_B, 30, 0, 2, 0},
  {SN_APP, 11, 1, 3, 4}, {SN_APP, 12, 1, 4, 0}, {SN_APP, 13, 1, 5, 0},
  {SN_APP, 14, 1, 6, 0}, {SN_APP, 15, 1, 7, 0}, {SN_DATA, 30, 1, 12, 1},
  {SN_DATA, 31, 1, 10, 0}, {SN_DATA, 32, 1, 14, 0}, {SN_MGMT, 20, 1, 15, 0},
  {SN_MGMT, 21, 1, 8, 0}, {SN_MGMT, 22, 1, 13, 0}, {SN_MGMT, 23, 1, 11, 0},
  {SN_MGMT, 30, 1, 17, 0},
};
static const struct SubnetDef {
  u8 octet3;          /* third octet in cell 0 */
  u8 pub;             /* public subnet (internet gateway) */
  u16 tag;            /* subnet id prefix */
  const char *az;
} k_subnet[5] = {
  {0, 1, 0x0aa, "use1-az1"}, {10, 1, 0x0bb, "use1-az2"},
  {1, 0, 0x0cc, "use1-az1"}, {2, 0, 0x0dd, "use1-az2"}, {3, 0, 0x0ee, "use1-az1"},
};
/* The servers of gen.py's SERVERS list, in its order. */
static const int k_servers[] = { BASTION, WEB1, WEB2, APP1, APP2, APP3, APP4,
  APP5, DB1, CACHE, ES, MONITOR, BACKUP, DC, CFG };
#define NSERVERS (int)(sizeof(k_servers) / sizeof(k_servers[0]))

static u32 host_addr(int cell, int h){
  const struct HostDef *d = &k_host[h];
  if( cell==0 ) return IP(10, 0, k_subnet[d->subnet].octet3, d->last);
  return IP(10, 16 * (d->subnet + 1) + (cell >> 8), cell & 255, d->last);
}

/* -------------------------------------------------------------- records */
enum { SVC_NONE, SVC_S3, SVC_AMAZON };
enum { ST_OK, ST_NODATA, ST_SKIPDATA };
typedef struct Rec {
  u64 bytes;
  u32 start, end;
  u32 src, dst, psrc, pdst;   /* 0 = '-' (status records) */
  u32 packets;
  u16 sport, dport;
  u16 cell;
  u8 host, proto, flags;
  u8 reject;                  /* 0 ACCEPT, 1 REJECT */
  u8 status;                  /* ST_* */
  u8 egress;                  /* flow-direction */
  u8 ssvc, dsvc;              /* SVC_* */
  u8 path;                    /* traffic-path, 0 = '-' */
  u8 pad[3];
} Rec;

/* ----------------------------------------------------------------- PRNG */
typedef struct Rng { u64 s; } Rng;
static u64 mix64(u64 z){
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
static u64 rnd(Rng *r){ return mix64(r->s += 0x9e3779b97f4a7c15ULL); }
/* Uniform in [0, n). */
static u64 below(Rng *r, u64 n){
  return (u64)(((unsigned __int128)rnd(r) * n) >> 64);
}
/* Uniform in [a, b], like Python's randint. */
static long randint(Rng *r, long a, long b){ return a + (long)below(r, (u64)(b - a + 1)); }
static double unif(Rng *r){ return (double)(rnd(r) >> 11) * 0x1p-53; }
static double expovariate(Rng *r, double lambda){ return -log(1.0 - unif(r)) / lambda; }
/* Normal(mu, sigma) by Box-Muller (gen.py uses random.gauss). */
static double gauss(Rng *r, double mu, double sigma){
  double u = 1.0 - unif(r), v = unif(r);
  return mu + sigma * sqrt(-2.0 * log(u)) * cos(2.0 * 3.14159265358979323846 * v);
}

/* -------------------------------------------------------------- the cell */
typedef struct Gen {
  Rng r;
  int cell;
  u16 eport[NHOST];         /* last ephemeral port per host */
  u64 nrec;                 /* records kept in this cell */
  FILE **spool;             /* NSLICE spool files, or NULL to count only */
} Gen;

static void spool_put(Gen *g, const Rec *p){
  if( p->end < DAY || p->end >= DAY + 24 * HOUR ) return;
  /* cell 0's web2 flow log is deleted 14:00-16:00: nothing starts then */
  if( g->cell==0 && p->host==WEB2 && p->start >= DAY + 14 * HOUR
   && p->start < DAY + 16 * HOUR ) return;
  g->nrec++;
  if( g->spool ){
    FILE *f = g->spool[(p->end - DAY) / SLICE];
    if( fwrite(p, sizeof(*p), 1, f)!=1 ){
      perror("huntgen: spool write");
      exit(1);
    }
  }
}

/* A host's next ephemeral port (gen.py's ephemeral(): a small random step). */
static u16 ephemeral(Gen *g, int h){
  u32 p = g->eport[h];
  if( p==0 ) p = 32768 + (u32)below(&g->r, 20000);
  p = 32768 + ((p - 32768 + 1 + (u32)below(&g->r, 7)) % 28000);
  g->eport[h] = (u16)p;
  return (u16)p;
}

/* One status (NODATA/SKIPDATA) record of host h for the window at t. */
static void status_rec(Gen *g, int h, u32 t, int st){
  Rec x;
  memset(&x, 0, sizeof(x));
  x.start = t; x.end = t + MIN - 1;
  x.cell = (u16)g->cell; x.host = (u8)h; x.status = (u8)st;
  spool_put(g, &x);
}

/* Per-leg attributes that gen.py passes as keywords. */
typedef struct LegKw { u32 psrc, pdst; u8 ssvc, dsvc, path; } LegKw;

/* Records of one direction of a flow on host h's ENI, one per 60 s window
** (gen.py's leg()): packets and bytes shared out in proportion to the
** seconds of each window, tcp-flags SYN in the first, FIN in the last. */
static void leg(Gen *g, int h, int egress, u32 src, u32 dst, u16 sport,
                u16 dport, int proto, u64 pkts, u64 nbytes, u32 t0, u32 dur,
                int reject, int ffirst, int flast, const LegKw *kw){
  u32 t1 = t0 + dur;
  u32 w0 = t0 - t0 % MIN, w;
  u64 total = (u64)t1 - t0 + 1;   /* the pieces cover [t0, t1] exactly */
  u64 left_p = pkts, left_b = nbytes;
  Rec x;
  memset(&x, 0, sizeof(x));
  x.src = src; x.dst = dst; x.sport = sport; x.dport = dport;
  x.proto = (u8)proto; x.cell = (u16)g->cell; x.host = (u8)h;
  x.reject = (u8)reject; x.egress = (u8)egress;
  x.psrc = kw && kw->psrc ? kw->psrc : src;
  x.pdst = kw && kw->pdst ? kw->pdst : dst;
  x.ssvc = kw ? kw->ssvc : 0; x.dsvc = kw ? kw->dsvc : 0;
  x.path = egress && kw ? kw->path : 0;
  for(w = w0; w <= t1; w += MIN){
    u32 s = w > t0 ? w : t0, e = w + MIN - 1 < t1 ? w + MIN - 1 : t1;
    int first = w==w0, last = w + MIN > t1;
    double share = (double)(e - s + 1) / (double)total;
    u64 p, b;
    if( last ){
      p = left_p; b = left_b;
    }else{
      p = (u64)llround((double)pkts * share); if( p < 1 ) p = 1;
      b = (u64)llround((double)nbytes * share); if( b < p * 40 ) b = p * 40;
    }
    if( p > left_p ) p = left_p;
    if( b > left_b ) b = left_b;
    if( p==0 ) continue;
    left_p -= p; left_b -= b;
    if( proto!=6 ) x.flags = 0;
    else if( first && last ) x.flags = (u8)(ffirst | flast);
    else if( first ) x.flags = (u8)ffirst;
    else if( last ) x.flags = (u8)flast;
    else x.flags = 0;
    x.start = s; x.end = e; x.packets = (u32)p; x.bytes = b;
    spool_put(g, &x);
  }
}

/* One connection (gen.py's conn()). An endpoint is a host of the cell
** (ha/hb = host number + 1) or an internet address (ia/ib). */
typedef struct Conn {
  int ha, hb;                /* host + 1, 0 = internet */
  u32 ia, ib;                /* internet address when ha/hb is 0 */
  int dport;
  u32 t0;
  u32 dur;                   /* 0 = gen.py's default 1 */
  u64 op, ob;                /* packets/bytes out; 0 = default (6, 600) */
  u64 bp, bb;                /* back; 0 = default (5, 1500) */
  int noback;                /* back=None */
  int proto;                 /* 0 = TCP */
  int sport;                 /* 0 = ephemeral */
  int reject;                /* 0, 'i' (receiver refuses), 'o' (sender's egress) */
  int close;                 /* 0 = FIN, CL_RST, CL_OPEN */
  int dsvc, ssvc;
} Conn;
#define CL_RST 4
#define CL_OPEN 8

static void conn(Gen *g, Conn c){
  int ia = c.ha > 0, ib = c.hb > 0;
  int a = c.ha - 1, b = c.hb - 1;
  u32 A = ia ? host_addr(g->cell, a) : c.ia;
  u32 B = ib ? host_addr(g->cell, b) : c.ib;
  int proto = c.proto ? c.proto : 6;
  u32 dur = c.dur ? c.dur : 1;
  u64 pa = c.op ? c.op : 6, ba = c.op ? c.ob : 600;
  u64 pb = c.bp ? c.bp : 5, bb = c.bp ? c.bb : 1500;
  int back = !c.noback && !c.reject;
  int close = c.close==0 ? 1 : c.close==CL_RST ? 4 : 0;
  int syn = proto==6 ? 2 : 0, synack = proto==6 ? 18 : 0;
  u16 sport = (u16)c.sport, nport = 0;
  u16 dport = (u16)c.dport;
  int via_nat = ia && !k_subnet[k_host[a].subnet].pub && !ib && c.dsvc!=SVC_S3;
  LegKw kw;
  if( c.sport==0 ){
    /* internet initiators get a random port (gen.py keeps a counter per
    ** address; the sequence does not matter to any detection) */
    sport = ia ? ephemeral(g, a) : (u16)(32768 + below(&g->r, 28000));
  }
  if( ia ){
    memset(&kw, 0, sizeof(kw));
    kw.dsvc = (u8)c.dsvc;
    kw.path = ib ? 1 : c.dsvc==SVC_S3 ? 7 : via_nat ? 1 : 8;
    leg(g, a, 1, A, B, sport, dport, proto, pa, ba, c.t0, dur, c.reject=='o',
        syn, back ? close : 0, &kw);
    if( c.reject=='o' ) return;
  }
  if( ib ){
    memset(&kw, 0, sizeof(kw));
    kw.ssvc = (u8)c.ssvc;
    leg(g, b, 0, A, B, sport, dport, proto, pa, ba, c.t0, dur, c.reject=='i',
        syn, back ? close : 0, &kw);
  }
  if( via_nat ){
    u32 N = host_addr(g->cell, NAT);
    nport = ephemeral(g, NAT);
    memset(&kw, 0, sizeof(kw));
    kw.pdst = B; kw.dsvc = (u8)c.dsvc;
    leg(g, NAT, 0, A, N, sport, dport, proto, pa, ba, c.t0, dur, 0, syn,
        back ? close : 0, &kw);
    memset(&kw, 0, sizeof(kw));
    kw.dsvc = (u8)c.dsvc; kw.path = 8;
    leg(g, NAT, 1, N, B, nport, dport, proto, pa, ba, c.t0, dur, 0, syn,
        back ? close : 0, &kw);
  }
  if( !back ) return;
  if( ib ){
    memset(&kw, 0, sizeof(kw));
    kw.ssvc = (u8)c.dsvc; kw.path = ia ? 1 : 8;
    leg(g, b, 1, B, A, dport, sport, proto, pb, bb, c.t0, dur, 0, synack,
        close, &kw);
  }
  if( via_nat ){
    u32 N = host_addr(g->cell, NAT);
    memset(&kw, 0, sizeof(kw));
    kw.ssvc = (u8)c.dsvc;
    leg(g, NAT, 0, B, N, dport, nport, proto, pb, bb, c.t0, dur, 0, synack,
        close, &kw);
    memset(&kw, 0, sizeof(kw));
    kw.psrc = B; kw.ssvc = (u8)c.dsvc; kw.path = 1;
    leg(g, NAT, 1, N, A, dport, sport, proto, pb, bb, c.t0, dur, 0, synack,
        close, &kw);
  }
  if( ia ){
    memset(&kw, 0, sizeof(kw));
    kw.ssvc = (u8)c.dsvc;
    leg(g, a, 0, B, A, dport, sport, proto, pb, bb, c.t0, dur, 0, synack,
        close, &kw);
  }
}

#define H(x) ((x) + 1)

/* gen.py's pub(lo, span): a benign internet address in 198.18.0.0/15. Cells
** other than 0 take web clients and scanners from bigger pools in
** 198.19.0.0/16 (an account with many sites has more of both). */
static u32 pub_n(u32 n){ return IP(198, 18 + n / 64000, (n % 64000) / 250, 1 + n % 250); }
static u32 pub(Gen *g, u32 lo, u32 span){
  u32 n = lo + (u32)below(&g->r, span);
  return IP(198, 18, n / 250, 1 + n % 250);
}
static u32 web_client(Gen *g){
  if( g->cell==0 ) return pub(g, 0, 1500);
  return pub_n(64000 + (u32)below(&g->r, 30000));
}
static u32 scanner_addr(Gen *g){
  if( g->cell==0 ) return pub(g, 2000, 340);
  return pub_n(64000 + 32000 + (u32)below(&g->r, 5000));
}

/* ------------------------------------------------------- benign traffic */
static void benign(Gen *g){
  Rng *r = &g->r;
  static const int apps[] = { APP1, APP2, APP3, APP4 };
  u32 t;
  int k, i, j;

  /* Web: internet clients -> ALB:443, ALB -> app:8080 (proxied). */
  t = DAY;
  while( t < DAY + 24 * HOUR ){
    u32 hour = (t - DAY) / HOUR;
    double rate = (hour >= 8 && hour < 22) ? 25 : 70;
    int alb = below(r, 2) ? ALBB : ALBA;
    u32 client;
    int sp = 0;
    t += (u32)expovariate(r, 1 / rate) + 1;
    client = web_client(g);
    if( unif(r) < 0.01 ) sp = below(r, 2) ? 9030 : 9001;
    conn(g, (Conn){ .ia = client, .hb = H(alb), .dport = 443, .t0 = t,
         .dur = (u32)randint(r, 1, 20), .op = (u64)randint(r, 8, 20),
         .ob = (u64)randint(r, 900, 4000), .bp = (u64)randint(r, 10, 60),
         .bb = (u64)randint(r, 6000, 90000), .sport = sp });
    conn(g, (Conn){ .ha = H(alb), .hb = H(apps[below(r, 4)]), .dport = 8080,
         .t0 = t, .dur = (u32)randint(r, 1, 5), .op = (u64)randint(r, 5, 12),
         .ob = (u64)randint(r, 800, 3000), .bp = (u64)randint(r, 8, 40),
         .bb = (u64)randint(r, 5000, 80000) });
  }

  /* ALB health checks every 5 minutes from both nodes to every app. */
  for(k = 0; k < 24 * 12; k++){
    for(i = 0; i < 2; i++){
      for(j = 0; j < 4; j++){
        conn(g, (Conn){ .ha = H(i ? ALBB : ALBA), .hb = H(apps[j]),
             .dport = 8080, .t0 = DAY + k * 300 + (i ? 7 : 2),
             .op = 5, .ob = 420, .bp = 4, .bb = 610 });
      }
    }
  }

  /* Monitoring: scrapes, SSH banner check, a ping, a blocked redis probe. */
  for(k = 0; k < 24 * 60; k++){
    u32 t0 = DAY + k * MIN + 5;
    static const int every5[] = { WEB1, DB1, APP1 };
    int n = k % 5==0 ? 3 : 1;
    for(i = 0; i < n; i++){
      int h = every5[i];
      conn(g, (Conn){ .ha = H(MONITOR), .hb = H(h), .dport = 9100,
           .t0 = t0 + k_host[h].ones, .op = 6, .ob = 520, .bp = 6,
           .bb = (u64)(14500 + randint(r, 0, 400)) });
    }
    if( k % 5==0 ){
      conn(g, (Conn){ .ha = H(MONITOR), .hb = H(BASTION), .dport = 22,
           .t0 = t0 + 20, .op = 6, .ob = 420, .bp = 5, .bb = 560 });
      conn(g, (Conn){ .ha = H(MONITOR), .ib = IP(198, 51, 100, 1), .dport = 0,
           .t0 = t0 + 30, .proto = 1, .op = 3, .ob = 252, .bp = 3, .bb = 252 });
      conn(g, (Conn){ .ha = H(MONITOR), .hb = H(CACHE), .dport = 6380,
           .t0 = t0 + 40, .op = 2, .ob = 120, .reject = 'i' });
    }
  }

  /* app -> db: app1 holds one connection 08:00-20:00; others every 10 min. */
  conn(g, (Conn){ .ha = H(APP1), .hb = H(DB1), .dport = 5432, .t0 = DAY + 8 * HOUR,
       .dur = 12 * HOUR, .op = 12 * 60 * 30, .ob = 12 * 60 * 9000,
       .bp = 12 * 60 * 30, .bb = 12 * 60 * 40000 });
  for(k = 0; k < 24 * 6; k++){
    for(i = 1; i < 4; i++){
      conn(g, (Conn){ .ha = H(apps[i]), .hb = H(DB1), .dport = 5432,
           .t0 = DAY + k * 600 + (u32)randint(r, 0, 500), .dur = (u32)randint(r, 1, 30),
           .op = (u64)randint(r, 10, 40), .ob = (u64)randint(r, 2000, 9000),
           .bp = (u64)randint(r, 10, 60), .bb = (u64)randint(r, 8000, 120000) });
    }
    for(i = 0; i < 4; i++){
      conn(g, (Conn){ .ha = H(apps[i]), .hb = H(CACHE), .dport = 6379,
           .t0 = DAY + k * 600 + (u32)randint(r, 0, 500),
           .op = (u64)randint(r, 4, 12), .ob = (u64)randint(r, 300, 2000),
           .bp = (u64)randint(r, 4, 12), .bb = (u64)randint(r, 400, 9000) });
    }
  }
  for(k = 0; k < 24; k++){
    for(i = 0; i < 4; i++){
      conn(g, (Conn){ .ha = H(apps[i]), .hb = H(ES), .dport = 9200,
           .t0 = DAY + k * HOUR + (u32)randint(r, 0, 3000), .dur = (u32)randint(r, 1, 20),
           .op = (u64)randint(r, 20, 80), .ob = (u64)randint(r, 20000, 300000),
           .bp = (u64)randint(r, 10, 40), .bb = (u64)randint(r, 2000, 8000) });
    }
  }
  /* every host talks to the domain controller (kerberos, ldap, smb) */
  for(k = 0; k < 48; k++){
    for(i = 0; i < NSERVERS; i++){
      static const int ports[] = { 88, 389, 445 };
      if( k_servers[i]==DC ) continue;
      conn(g, (Conn){ .ha = H(k_servers[i]), .hb = H(DC), .dport = ports[k % 3],
           .t0 = DAY + k * 1800 + (u32)randint(r, 0, 1700),
           .op = (u64)randint(r, 4, 12), .ob = (u64)randint(r, 400, 3000),
           .bp = (u64)randint(r, 4, 12), .bb = (u64)randint(r, 400, 5000) });
    }
  }

  /* Nightly backup: rsync from db1 at 01:00, then 8 GB to S3 at 02:00. */
  conn(g, (Conn){ .ha = H(BACKUP), .hb = H(DB1), .dport = 22, .t0 = DAY + HOUR + 120,
       .dur = 900, .op = 30000, .ob = 2000000, .bp = 1400000, .bb = 2000000000ULL });
  for(i = 0; i < 4; i++){
    conn(g, (Conn){ .ha = H(BACKUP), .ib = IP(52, 216, 40 + i, 10 + 7 * i),
         .dport = 443, .t0 = DAY + 2 * HOUR + 60 + i * 3, .dur = 2400,
         .op = 1500000, .ob = 2000000000ULL, .bp = 700000, .bb = 40000000,
         .dsvc = SVC_S3 });
  }

  /* SSM agents on the app hosts and web1 poll AWS every 15 minutes. */
  for(i = 0; i < 5; i++){
    int h = i < 4 ? apps[i] : WEB1;
    u32 off = (u32)randint(r, 0, 800);
    for(k = 0; k < 24 * 4; k++){
      conn(g, (Conn){ .ha = H(h), .ib = IP(52, 94, 228, i < 4 ? 10 + i : 20),
           .dport = 443, .t0 = DAY + off + k * 900 + (u32)randint(r, 0, 2),
           .op = 9, .ob = (u64)(1800 + randint(r, 0, 30)), .bp = 8,
           .bb = (u64)(5200 + randint(r, 0, 30)), .dsvc = SVC_AMAZON });
    }
  }

  /* A websocket from app1 to a SaaS API, open 08:00-20:00. */
  conn(g, (Conn){ .ha = H(APP1), .ib = IP(198, 51, 100, 30), .dport = 443,
       .t0 = DAY + 8 * HOUR + 13, .dur = 12 * HOUR, .op = 12 * 60 * 6,
       .ob = 12 * 60 * 900, .bp = 12 * 60 * 6, .bb = 12 * 60 * 1400, .close = CL_OPEN });

  /* Outbound API calls (irregular), and web1's log shipper. */
  for(i = 0; i < 4; i++){
    t = DAY + (u32)randint(r, 0, 600);
    while( t < DAY + 24 * HOUR ){
      conn(g, (Conn){ .ha = H(apps[i]), .ib = pub(g, 1600, 40), .dport = 443,
           .t0 = t, .dur = (u32)randint(r, 1, 5), .op = (u64)randint(r, 8, 20),
           .ob = (u64)randint(r, 1500, 9000), .bp = (u64)randint(r, 8, 30),
           .bb = (u64)randint(r, 4000, 60000) });
      t += (u32)randint(r, 600, 2400);
    }
  }
  t = DAY + 100;
  while( t < DAY + 24 * HOUR ){
    conn(g, (Conn){ .ha = H(WEB1), .ib = IP(203, 0, 113, 10), .dport = 443,
         .t0 = t, .dur = (u32)randint(r, 2, 20), .op = (u64)randint(r, 600, 2000),
         .ob = (u64)randint(r, 800000, 2900000), .bp = (u64)randint(r, 200, 600),
         .bb = (u64)randint(r, 12000, 40000) });
    t += (u32)randint(r, 120, 900);
  }
  /* OS package mirrors: 04:00 (baseline) and a new mirror at 15:30. */
  for(i = 0; i < 4; i++){
    conn(g, (Conn){ .ha = H(apps[i]), .ib = IP(192, 0, 2, 81), .dport = 80,
         .t0 = DAY + 4 * HOUR + 60 * i, .dur = 40, .op = 900, .ob = 60000,
         .bp = 36000, .bb = 50000000 });
    conn(g, (Conn){ .ha = H(apps[i]), .ib = IP(192, 0, 2, 80), .dport = 80,
         .t0 = DAY + 15 * HOUR + 1800 + 60 * i, .dur = 40, .op = 900, .ob = 60000,
         .bp = 36000, .bb = 50000000 });
  }
  /* web2 uses a public resolver (small, steady). */
  for(k = 0; k < 24 * 6; k++){
    for(i = 0; i < 3; i++){
      conn(g, (Conn){ .ha = H(WEB2), .ib = IP(198, 51, 100, 8), .dport = 53,
           .t0 = DAY + k * 600 + (u32)randint(r, 0, 590), .proto = 17,
           .op = 1, .ob = (u64)randint(r, 60, 90), .bp = 1, .bb = (u64)randint(r, 90, 300) });
    }
  }
  /* es has an NTP server it may not reach (egress REJECT). */
  for(k = 0; k < 24; k++){
    int n = (int)randint(r, 1, 3);
    for(i = 0; i < n; i++){
      conn(g, (Conn){ .ha = H(ES), .ib = IP(198, 18, 7, 1 + i), .dport = 123,
           .t0 = DAY + k * HOUR + (u32)randint(r, 0, 3500), .proto = 17,
           .op = 1, .ob = 76, .reject = 'o' });
    }
  }

  /* Admins: office -> bastion SSH 09:00 and 16:00, then a fan-out. */
  {
    static const int morning[] = { WEB1, WEB2, APP1, APP2, APP3, APP4, DB1, CACHE, ES };
    int base;
    for(base = 9; base <= 16; base += 7){
      int n = base==9 ? 8 : 9;
      conn(g, (Conn){ .ia = IP(198, 51, 100, 10), .hb = H(BASTION), .dport = 22,
           .t0 = DAY + base * HOUR + 30, .dur = 3500, .op = 3000, .ob = 400000,
           .bp = 4000, .bb = 2000000 });
      for(i = 0; i < n; i++){
        conn(g, (Conn){ .ha = H(BASTION), .hb = H(morning[i]), .dport = 22,
             .t0 = DAY + base * HOUR + 120 + 200 * i, .dur = (u32)randint(r, 60, 600),
             .op = (u64)randint(r, 200, 900), .ob = (u64)randint(r, 30000, 90000),
             .bp = (u64)randint(r, 300, 1500), .bb = (u64)randint(r, 60000, 500000) });
      }
    }
  }
  /* Config management (Ansible) 03:00 and 15:00: 5 SSH sessions per host. */
  for(k = 3; k <= 15; k += 12){
    for(i = 0; i < NSERVERS; i++){
      if( k_servers[i]==CFG ) continue;
      for(j = 0; j < 5; j++){
        conn(g, (Conn){ .ha = H(CFG), .hb = H(k_servers[i]), .dport = 22,
             .t0 = DAY + k * HOUR + 60 + 8 * i + j, .dur = (u32)randint(r, 2, 8),
             .op = (u64)randint(r, 30, 90), .ob = (u64)randint(r, 6000, 40000),
             .bp = (u64)randint(r, 30, 90), .bb = (u64)randint(r, 9000, 60000) });
      }
    }
  }
  /* CI deploy at 10:00: 40 SSH/scp connections to web1 in 4 minutes. */
  for(j = 0; j < 40; j++){
    conn(g, (Conn){ .ha = H(CFG), .hb = H(WEB1), .dport = 22, .t0 = DAY + 10 * HOUR + 6 * j,
         .dur = (u32)randint(r, 3, 20), .op = (u64)randint(r, 300, 3000),
         .ob = (u64)randint(r, 400000, 4000000), .bp = (u64)randint(r, 200, 1000),
         .bb = (u64)randint(r, 20000, 90000) });
  }

  /* Internet background scanning: 300 sources, 1-3 probes each. */
  {
    static const int ports[] = { 22, 23, 80, 443, 445, 1433, 3306, 3389, 5900, 8080, 8443 };
    static const int tgts[] = { WEB1, WEB2, BASTION, ALBA, ALBB };
    int s;
    for(s = 0; s < 300; s++){
      u32 src = scanner_addr(g);
      u32 t0 = DAY + (u32)randint(r, 0, 24 * HOUR - 60);
      int q, nq = (int)randint(r, 1, 3);
      for(q = 0; q < nq; q++){
        int tgt = tgts[below(r, 5)];
        int port = ports[below(r, 11)];
        int open = ((tgt==ALBA || tgt==ALBB || tgt==WEB1) && port==443)
                || (tgt==WEB2 && port==22);
        conn(g, (Conn){ .ia = src, .hb = H(tgt), .dport = port, .t0 = t0 + q,
             .op = 1, .ob = 40, .sport = (int)randint(r, 1024, 65535),
             .bp = 1, .bb = 44, .noback = !open, .reject = open ? 0 : 'i',
             .close = CL_RST });
      }
    }
  }

  /* The spare ENI is idle: NODATA every window all day. */
  for(k = 0; k < 24 * 60; k++) status_rec(g, SPARE, DAY + k * MIN, ST_NODATA);
}

/* -------------------------------------------------------------- attacks
** gen.py's attacks(), in cell 0 only, with its addresses; the notes of
** fixtures/scenario/truth.tsv describe them. */
static void attacks(Gen *g){
  Rng *r = &g->r;
  u32 t;
  int i, j, k;

  /* port_scan: app5 SYN-scans db1, 1032 ports in 2 min; 5432 is open. */
  {
    int ports[1032], n = 0;
    static const int extra[] = { 1433, 3306, 5432, 6379, 8080, 8443, 9200, 27017 };
    for(i = 1; i <= 1024; i++) ports[n++] = i;
    for(i = 0; i < 8; i++) ports[n++] = extra[i];
    for(i = n - 1; i > 0; i--){
      int m = (int)below(r, (u64)i + 1), x = ports[i];
      ports[i] = ports[m]; ports[m] = x;
    }
    t = DAY + 14 * HOUR + 5 * MIN;
    for(i = 0; i < n; i++){
      u32 ts = t + (u32)(i * 120 / n);
      if( ports[i]==5432 ){
        conn(g, (Conn){ .ha = H(APP5), .hb = H(DB1), .dport = 5432, .t0 = ts,
             .op = 2, .ob = 84, .bp = 1, .bb = 44, .sport = 47123, .close = CL_RST });
      }else{
        conn(g, (Conn){ .ha = H(APP5), .hb = H(DB1), .dport = ports[i], .t0 = ts,
             .op = 2, .ob = 88, .sport = 47123, .reject = 'i' });
      }
    }
  }

  /* lateral_movement: app5 tries admin ports on every internal host. */
  t = DAY + 14 * HOUR + 30 * MIN;
  k = 0;
  for(i = 0; i < NSERVERS; i++){
    static const int ports[] = { 22, 445, 3389, 5985 };
    int h = k_servers[i];
    if( h==APP5 ) continue;
    for(j = 0; j < 4; j++){
      int p = ports[j];
      int ok = (p==22 && h >= APP1 && h <= APP5) || (h==DC && p==445);
      conn(g, (Conn){ .ha = H(APP5), .hb = H(h), .dport = p, .t0 = t + k * 3,
           .op = 3, .ob = 180, .bp = 3, .bb = 200, .noback = !ok,
           .reject = ok ? 0 : 'i' });
      k++;
    }
  }

  /* port_sweep: app3 sweeps TCP 2375 on 700 internet hosts; 12 answer. */
  t = DAY + 15 * HOUR;
  for(i = 0; i < 700; i++){
    conn(g, (Conn){ .ha = H(APP3), .ib = IP(198, 18, 100 + i / 250, 1 + i % 250),
         .dport = 2375, .t0 = t + (u32)(i * 1200 / 700), .op = 1, .ob = 40,
         .bp = 1, .bb = 44, .noback = i % 60!=7, .sport = 61000, .close = CL_RST });
  }

  /* exposed_service: 198.51.100.77 scans web1, 300 ports; 9200 is open. */
  {
    int ports[300], n = 0;
    static const int extra[] = { 443, 3306, 5432, 6379, 8080, 8443, 9200, 9300,
      11211, 27017, 5601, 2375, 1433, 3389, 5900, 5985, 6443, 7001, 8000, 8888 };
    u32 scanner = IP(198, 51, 100, 77);
    for(i = 1; i <= 280; i++) ports[n++] = i;
    for(i = 0; i < 20; i++) ports[n++] = extra[i];
    t = DAY + 13 * HOUR + 10 * MIN;
    for(i = 0; i < n; i++){
      u32 ts = t + (u32)(i * 240 / n);
      if( ports[i]==443 || ports[i]==9200 ){
        conn(g, (Conn){ .ia = scanner, .hb = H(WEB1), .dport = ports[i], .t0 = ts,
             .op = 3, .ob = 180, .bp = 3, .bb = 520, .close = CL_RST });
      }else{
        conn(g, (Conn){ .ia = scanner, .hb = H(WEB1), .dport = ports[i], .t0 = ts,
             .op = 1, .ob = 44, .reject = 'i', .sport = 51000 + i % 3 });
      }
    }
    for(j = 0; j < 3; j++){
      conn(g, (Conn){ .ia = IP(198, 18, 12, 11 + j), .hb = H(WEB1), .dport = 9200,
           .t0 = DAY + (3 + 6 * j) * HOUR, .op = 5, .ob = 400, .bp = 5, .bb = 1900 });
    }
  }

  /* brute_force: 203.0.113.99 -> web2:22, 900 attempts 12:00-13:00. */
  for(i = 0; i < 900; i++){
    u64 n = (u64)randint(r, 12, 30);
    conn(g, (Conn){ .ia = IP(203, 0, 113, 99), .hb = H(WEB2), .dport = 22,
         .t0 = DAY + 12 * HOUR + i * 4, .dur = (u32)randint(r, 1, 3),
         .op = n, .ob = n * 95 + (u64)randint(r, 0, 300), .bp = n - 2, .bb = (n - 2) * 110 });
  }

  /* exfiltration: db1 uploads 2.5 GB to 198.51.100.150:443 16:00-16:30. */
  conn(g, (Conn){ .ha = H(DB1), .ib = IP(198, 51, 100, 150), .dport = 443,
       .t0 = DAY + 16 * HOUR + 20, .dur = 1800, .op = 1800000, .ob = 2500000000ULL,
       .bp = 600000, .bb = 1000000 });

  /* beaconing: app2 -> 203.0.113.66:8443 every 300 s +-5 %, 06:00-24:00. */
  t = DAY + 6 * HOUR + 17;
  while( t < DAY + 24 * HOUR - 30 ){
    conn(g, (Conn){ .ha = H(APP2), .ib = IP(203, 0, 113, 66), .dport = 8443, .t0 = t,
         .op = 7, .ob = (u64)(1180 + randint(r, 0, 60)), .bp = 6,
         .bb = (u64)(3050 + randint(r, 0, 80)) });
    t += (u32)llround(300 * (1 + (unif(r) * 2 - 1) * 0.05));
  }

  /* dns_tunnel: chatty UDP (app2), DNS over TCP (cache), bulk UDP (app4). */
  conn(g, (Conn){ .ha = H(APP2), .ib = IP(203, 0, 113, 53), .dport = 53,
       .t0 = DAY + 9 * HOUR + 2, .dur = 720, .proto = 17, .sport = 40053,
       .op = 18000, .ob = 1800000, .bp = 18000, .bb = 2700000 });
  for(i = 0; i < 100; i++){
    conn(g, (Conn){ .ha = H(CACHE), .ib = IP(198, 51, 100, 99), .dport = 53,
         .t0 = DAY + 22 * HOUR + i * 3, .dur = 2, .op = 40, .ob = 25000,
         .bp = 38, .bb = 6000 });
  }
  conn(g, (Conn){ .ha = H(APP4), .ib = IP(198, 51, 100, 53), .dport = 53,
       .t0 = DAY + 18 * HOUR + 3, .dur = 1200, .proto = 17, .sport = 53535,
       .op = 48000, .ob = 8400000, .bp = 48000, .bb = 6000000 });

  /* icmp_tunnel_tor: es pings with 1,000-byte packets; cache to a Tor relay. */
  conn(g, (Conn){ .ha = H(ES), .ib = IP(198, 51, 100, 44), .dport = 0,
       .t0 = DAY + 17 * HOUR + 40, .dur = 2400, .proto = 1, .op = 12000,
       .ob = 12000000, .bp = 12000, .bb = 12000000 });
  conn(g, (Conn){ .ha = H(CACHE), .ib = IP(203, 0, 113, 91), .dport = 9001,
       .t0 = DAY + 19 * HOUR + 30 * MIN, .dur = 2 * HOUR, .op = 40000,
       .ob = 30000000, .bp = 50000, .bb = 55000000 });

  /* dos: app1 UDP flood to 203.0.113.150:80; SYN flood at web1:443. */
  for(i = 0; i < 8; i++){
    conn(g, (Conn){ .ha = H(APP1), .ib = IP(203, 0, 113, 150), .dport = 80,
         .t0 = DAY + 20 * HOUR + i, .dur = 600, .proto = 17, .sport = 40000 + i,
         .op = 75000, .ob = 75000000, .noback = 1 });
  }
  for(i = 0; i < 500; i++){
    u64 n = (u64)randint(r, 1, 3);
    conn(g, (Conn){ .ia = IP(198, 18, 20 + i / 250, 1 + i % 250), .hb = H(WEB1),
         .dport = 443, .t0 = DAY + 21 * HOUR + (u32)(i * 55 / 500), .op = n,
         .ob = 40 * n, .noback = 1, .sport = (int)randint(r, 1024, 65535) });
  }

  /* reject_spike: es tries 450 blocked outbound connections 19:00-19:20. */
  for(i = 0; i < 450; i++){
    conn(g, (Conn){ .ha = H(ES), .ib = IP(203, 0, 113, 100 + i % 50), .dport = 4444 + i % 3,
         .t0 = DAY + 19 * HOUR + (u32)(i * 1200 / 450), .op = 1, .ob = 60, .reject = 'o' });
  }

  /* unusual_port: app1 sends mail (SMTP 25) to 12 servers 17:00-17:30. */
  {
    u32 ts[150];
    for(i = 0; i < 150; i++) ts[i] = (u32)randint(r, 0, 1800);
    for(i = 1; i < 150; i++){            /* sorted, as gen.py's sorted() */
      u32 x = ts[i];
      for(j = i; j > 0 && ts[j - 1] > x; j--) ts[j] = ts[j - 1];
      ts[j] = x;
    }
    for(i = 0; i < 150; i++){
      conn(g, (Conn){ .ha = H(APP1), .ib = IP(198, 51, 100, 25 + below(r, 12)), .dport = 25,
           .t0 = DAY + 17 * HOUR + ts[i], .dur = (u32)randint(r, 2, 6),
           .op = (u64)randint(r, 12, 20), .ob = (u64)randint(r, 4000, 9000),
           .bp = (u64)randint(r, 10, 16), .bb = (u64)randint(r, 900, 1500) });
    }
  }

  /* threat_list_match: cache mines at 198.51.100.180:3333 from 18:00; a
  ** listed scanner is refused at web1. */
  conn(g, (Conn){ .ha = H(CACHE), .ib = IP(198, 51, 100, 180), .dport = 3333,
       .t0 = DAY + 18 * HOUR + 11, .dur = 6 * HOUR - 60, .op = 6 * 60 * 40,
       .ob = 6 * 60 * 9000, .bp = 6 * 60 * 40, .bb = 6 * 60 * 11000, .close = CL_OPEN });
  for(j = 0; j < 4; j++){
    static const int ports[] = { 22, 3389, 23, 445 };
    conn(g, (Conn){ .ia = IP(203, 0, 113, 200), .hb = H(WEB1), .dport = ports[j],
         .t0 = DAY + 5 * HOUR + j, .op = 1, .ob = 44, .reject = 'i' });
  }

  /* trust_boundary: web2 (dmz) talks straight to db1:5432 at 13:30. */
  for(i = 0; i < 20; i++){
    conn(g, (Conn){ .ha = H(WEB2), .hb = H(DB1), .dport = 5432,
         .t0 = DAY + 13 * HOUR + 30 * MIN + i * 20, .dur = 5, .op = 40,
         .ob = 20000, .bp = 400, .bb = 5000000 });
  }

  /* log_coverage: SKIPDATA at es 11:00-11:20 and at the NAT 20:00-20:05;
  ** web2's log deleted 14:00-16:00 (spool_put drops those records). */
  for(k = 0; k < 20; k++) status_rec(g, ES, DAY + 11 * HOUR + k * MIN, ST_SKIPDATA);
  for(k = 0; k < 5; k++) status_rec(g, NAT, DAY + 20 * HOUR + k * MIN, ST_SKIPDATA);

  /* gen.py's flood(): a flood of completed connections at alba:443 (6000
  ** new sources, one full connection each, in 100 s from 10:20) and its
  ** look-alike, a flash crowd of browsers at albb:443 from 15:00 whose
  ** arrivals ramp up over 30 min to 120 a minute, hold 10 min and decay
  ** over 10. Each load balancer carries them to the apps over 4 pooled
  ** keep-alive connections. */
  {
    static const int apps[] = { APP1, APP2, APP3, APP4 };
    static const int views[] = { 1, 1, 2, 2, 3, 4 };
    const int n = 6000, secs = 100, ramp = 30, hold = 10, decay = 10, peak = 120;
    u32 src;
    int a, v, c;
    t = DAY + 10 * HOUR + 20 * MIN;
    for(i = 0; i < n; i++){
      u64 kk = (u64)randint(r, 10, 120);
      conn(g, (Conn){ .ia = IP(198, 18, 64 + i / 250, 1 + i % 250), .hb = H(ALBA),
           .dport = 443, .t0 = t + (u32)(i * secs / n), .dur = (u32)randint(r, 1, 8),
           .op = kk, .ob = kk * 70 + (u64)randint(r, 200, 900),
           .bp = kk + (u64)randint(r, 0, 6), .bb = kk * 1100 + (u64)randint(r, 0, 4000) });
    }
    for(j = 0; j < 4; j++){
      conn(g, (Conn){ .ha = H(ALBA), .hb = H(apps[j]), .dport = 8080, .t0 = t + 3,
           .dur = secs + 30, .op = (u64)n * 8, .ob = (u64)n * 6000,
           .bp = (u64)n * 10, .bb = (u64)n * 12000 });
    }
    t = DAY + 15 * HOUR;
    a = 0;
    for(k = 0; k < ramp + hold + decay; k++){
      double rate = k < ramp ? (double)peak * (k + 1) / ramp
                  : k < ramp + hold ? (double)peak
                  : (double)peak * (ramp + hold + decay - k) / (decay + 1);
      long arrivals = lround(gauss(r, rate, sqrt(rate)));
      for(j = 0; j < arrivals; j++, a++){
        u32 ts = t + (u32)k * MIN + (u32)randint(r, 0, 59);
        int nv = views[below(r, 6)];
        src = IP(198, 18, 134 + a / 250, 1 + a % 250);
        for(v = 0; v < nv; v++){
          int nc = unif(r) < 0.7 ? 1 : 2;
          for(c = 0; c < nc; c++){
            conn(g, (Conn){ .ia = src, .hb = H(ALBB), .dport = 443, .t0 = ts + (u32)c,
                 .dur = (u32)randint(r, 1, 15), .op = (u64)randint(r, 12, 40),
                 .ob = (u64)randint(r, 1500, 6000), .bp = (u64)randint(r, 20, 200),
                 .bb = (u64)randint(r, 30000, 250000) });
          }
          ts += (u32)randint(r, 20, 90);
        }
      }
    }
    for(j = 0; j < 4; j++){
      conn(g, (Conn){ .ha = H(ALBB), .hb = H(apps[j]), .dport = 8080, .t0 = t + 5,
           .dur = (u32)(ramp + hold + decay + 2) * MIN, .op = (u64)a * 20,
           .ob = (u64)a * 9000, .bp = (u64)a * 40, .bb = (u64)a * 180000, .close = CL_OPEN });
    }
  }
}

/* Generate cell c; return its record count. */
static u64 gen_cell(int c, u64 seed, FILE **spool){
  Gen g;
  memset(&g, 0, sizeof(g));
  g.r.s = mix64(seed ^ mix64((u64)c + 0x51e11));
  g.cell = c;
  g.spool = spool;
  benign(&g);
  if( c==0 ) attacks(&g);
  return g.nrec;
}

/* ------------------------------------------------------------ formatting */
typedef struct Out {
  char *z;            /* buffer */
  size_t n, cap;
} Out;

static void out_need(Out *o, size_t extra){
  if( o->n + extra > o->cap ){
    o->cap = (o->n + extra) * 2;
    o->z = realloc(o->z, o->cap);
    if( !o->z ){ fprintf(stderr, "huntgen: out of memory\n"); exit(1); }
  }
}
static void put_s(Out *o, const char *s){
  size_t n = strlen(s);
  memcpy(o->z + o->n, s, n);
  o->n += n;
}
static void put_c(Out *o, char c){ o->z[o->n++] = c; }
static void put_u(Out *o, u64 v){
  char tmp[24];
  int i = 0;
  do{ tmp[i++] = (char)('0' + v % 10); v /= 10; }while( v );
  while( i ) o->z[o->n++] = tmp[--i];
}
static void put_ip(Out *o, u32 a){
  if( a==0 ){ put_c(o, '-'); return; }
  put_u(o, a >> 24); put_c(o, '.'); put_u(o, (a >> 16) & 255); put_c(o, '.');
  put_u(o, (a >> 8) & 255); put_c(o, '.'); put_u(o, a & 255);
}
static void put_hex(Out *o, u64 v, int width){
  static const char hx[] = "0123456789abcdef";
  int i;
  for(i = width - 1; i >= 0; i--) put_c(o, hx[(v >> (4 * i)) & 15]);
}

static const char k_hdr5[] = "version account-id interface-id srcaddr dstaddr "
  "srcport dstport protocol packets bytes start end action log-status vpc-id "
  "subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id "
  "sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service "
  "flow-direction traffic-path\n";
static const char k_hdr2[] = "version account-id interface-id srcaddr dstaddr "
  "srcport dstport protocol packets bytes start end action log-status\n";

static const char *svc_name(int s){ return s==SVC_S3 ? "S3" : s==SVC_AMAZON ? "AMAZON" : "-"; }

/* One record as a line of the v5 (v5!=0) or v2 format. */
static void format_rec(Out *o, const Rec *p, int v5){
  const struct HostDef *h = &k_host[p->host];
  const struct SubnetDef *sn = &k_subnet[h->subnet];
  int ok = p->status==ST_OK;
  out_need(o, 512);
  put_s(o, v5 ? "5 " ACCOUNT " eni-0" : "2 " ACCOUNT " eni-0");
  put_hex(o, 0x51e0000u + ((u64)p->cell << 8) + h->eni, 15);
  put_c(o, ' ');
  if( ok ){
    put_ip(o, p->src); put_c(o, ' '); put_ip(o, p->dst); put_c(o, ' ');
    put_u(o, p->sport); put_c(o, ' '); put_u(o, p->dport); put_c(o, ' ');
    put_u(o, p->proto); put_c(o, ' '); put_u(o, p->packets); put_c(o, ' ');
    put_u(o, p->bytes); put_c(o, ' ');
  }else{
    put_s(o, "- - - - - - - ");
  }
  put_u(o, p->start); put_c(o, ' '); put_u(o, p->end); put_c(o, ' ');
  put_s(o, !ok ? "- " : p->reject ? "REJECT " : "ACCEPT ");
  put_s(o, p->status==ST_OK ? "OK" : p->status==ST_NODATA ? "NODATA" : "SKIPDATA");
  if( v5 ){
    put_s(o, " vpc-0");
    put_hex(o, 0xa1b2c3d4e5f60718ULL + p->cell, 16);
    put_s(o, " subnet-0");
    put_hex(o, ((u64)sn->tag << 52) | ((u64)p->cell << 4) | h->subnet, 16);
    put_c(o, ' ');
    if( h->inst ){
      put_s(o, "i-0");
      put_hex(o, 0xabc000u + ((u64)p->cell << 8) + h->eni, 16);
    }else{
      put_c(o, '-');
    }
    put_c(o, ' ');
    if( ok ){
      put_u(o, p->flags); put_s(o, " IPv4 ");
      put_ip(o, p->psrc); put_c(o, ' '); put_ip(o, p->pdst);
    }else{
      put_s(o, "- - - -");
    }
    put_s(o, " " REGION " "); put_s(o, sn->az);
    put_s(o, " - - ");
    put_s(o, ok ? svc_name(p->ssvc) : "-"); put_c(o, ' ');
    put_s(o, ok ? svc_name(p->dsvc) : "-"); put_c(o, ' ');
    put_s(o, !ok ? "-" : p->egress ? "egress" : "ingress"); put_c(o, ' ');
    if( ok && p->egress && p->path ) put_u(o, p->path); else put_c(o, '-');
  }
  put_c(o, '\n');
}

static int rec_cmp(const void *a, const void *b){
  const Rec *x = a, *y = b;
  if( x->start!=y->start ) return x->start < y->start ? -1 : 1;
  if( x->cell!=y->cell ) return x->cell < y->cell ? -1 : 1;
  if( k_host[x->host].eni!=k_host[y->host].eni )
    return k_host[x->host].eni < k_host[y->host].eni ? -1 : 1;
  if( x->src!=y->src ) return x->src < y->src ? -1 : 1;
  if( x->sport!=y->sport ) return x->sport < y->sport ? -1 : 1;
  if( x->dst!=y->dst ) return x->dst < y->dst ? -1 : 1;
  if( x->dport!=y->dport ) return x->dport < y->dport ? -1 : 1;
  if( x->egress!=y->egress ) return x->egress < y->egress ? -1 : 1;
  if( x->end!=y->end ) return x->end < y->end ? -1 : 1;
  return 0;
}

static int cell_is_v2(int cell){ return cell % 3==2; }

static void write_gz(const char *path, const char *hdr, const Out *o, int level){
  char mode[8];
  gzFile z;
  snprintf(mode, sizeof(mode), "wb%d", level);
  z = gzopen(path, mode);          /* zlib writes mtime 0 in the header */
  if( !z ){ fprintf(stderr, "huntgen: cannot write %s\n", path); exit(1); }
  gzbuffer(z, 1 << 20);
  if( gzputs(z, hdr) < 0 || (o->n && gzwrite(z, o->z, (unsigned)o->n)!=(int)o->n)
   || gzclose(z)!=Z_OK ){
    fprintf(stderr, "huntgen: gzip write failed: %s\n", path);
    exit(1);
  }
}

/* Sort, format and compress slice s of the spool. */
static void write_slice(const char *spooldir, const char *daydir, unsigned s, int level){
  char path[4400], tmp[4500];
  FILE *f;
  struct stat st;
  Rec *a;
  size_t n, i;
  Out o5 = {0}, o2 = {0};
  int v;
  snprintf(path, sizeof(path), "%s/%03u", spooldir, s);
  f = fopen(path, "rb");
  if( !f || fstat(fileno(f), &st) ){ perror(path); exit(1); }
  n = (size_t)st.st_size / sizeof(Rec);
  a = malloc(n ? n * sizeof(Rec) : 1);
  if( !a || fread(a, sizeof(Rec), n, f)!=n ){ fprintf(stderr, "huntgen: read %s\n", path); exit(1); }
  fclose(f);
  qsort(a, n, sizeof(Rec), rec_cmp);
  for(i = 0; i < n; i++){
    if( cell_is_v2(a[i].cell) ) format_rec(&o2, &a[i], 0);
    else format_rec(&o5, &a[i], 1);
  }
  free(a);
  for(v = 0; v < 2; v++){
    const Out *o = v ? &o2 : &o5;
    const char *fl = v ? FL_V2 : FL_V5;
    unsigned hh = s * SLICE / HOUR, mm = (s * SLICE % HOUR) / MIN;
    if( o->n==0 ) continue;          /* AWS writes no file for no records */
    snprintf(path, sizeof(path),
             "%s/" ACCOUNT "_vpcflowlogs_" REGION "_%s_20260213T%02u%02uZ_%08x.log.gz",
             daydir, fl, hh, mm, (unsigned)(mix64(s * 2u + (unsigned)v) & 0xffffffffu));
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    write_gz(tmp, v ? k_hdr2 : k_hdr5, o, level);
    if( rename(tmp, path) ){ perror(path); exit(1); }
  }
  free(o5.z); free(o2.z);
  snprintf(path, sizeof(path), "%s/%03u", spooldir, s);
  unlink(path);
}

static void mkdirs(const char *path){
  char buf[4096];
  size_t i, n = strlen(path);
  if( n >= sizeof(buf) ){ fprintf(stderr, "huntgen: path too long\n"); exit(1); }
  memcpy(buf, path, n + 1);
  for(i = 1; i <= n; i++){
    if( buf[i]=='/' || buf[i]==0 ){
      char c = buf[i];
      buf[i] = 0;
      if( mkdir(buf, 0777) && errno!=EEXIST ){ perror(buf); exit(1); }
      buf[i] = c;
    }
  }
}

static const char k_context[] =
  "-- The user tables for the hunt over a huntgen day (tests/bench/huntgen.c):\n"
  "-- cell 0 is fixtures/scenario's VPC (same ioc list); the zones add one\n"
  "-- /12 per subnet kind for cells 1 and up.\n"
  "CREATE TEMP TABLE IF NOT EXISTS ioc(addr TEXT, note TEXT);\n"
  "INSERT INTO ioc VALUES\n"
  "  ('198.51.100.176/28', 'crypto-mining pool'),\n"
  "  ('203.0.113.91', 'Tor relay'),\n"
  "  ('203.0.113.200', 'known scanner'),\n"
  "  ('203.0.113.66', 'C2 server (threat feed)');\n"
  "CREATE TEMP TABLE IF NOT EXISTS zones(cidr TEXT, zone TEXT);\n"
  "INSERT INTO zones VALUES\n"
  "  ('10.0.0.0/24', 'dmz'), ('10.0.10.0/24', 'dmz'), ('10.0.1.0/24', 'app'),\n"
  "  ('10.0.2.0/24', 'data'), ('10.0.3.0/24', 'mgmt'),\n"
  "  ('10.16.0.0/12', 'dmz'), ('10.32.0.0/12', 'dmz'), ('10.48.0.0/12', 'app'),\n"
  "  ('10.64.0.0/12', 'data'), ('10.80.0.0/12', 'mgmt');\n"
  "CREATE TEMP TABLE IF NOT EXISTS allowed(src_zone TEXT, dst_zone TEXT, port INTEGER);\n"
  "INSERT INTO allowed VALUES\n"
  "  ('dmz', 'app', 8080), ('app', 'data', 5432), ('app', 'data', 6379),\n"
  "  ('app', 'data', 9200), ('app', 'app', NULL),\n"
  "  ('mgmt', '*', 22), ('mgmt', '*', 9100), ('mgmt', '*', 6380),\n"
  "  ('dmz', '*', 22), ('*', 'mgmt', 88), ('*', 'mgmt', 389), ('*', 'mgmt', 445);\n";

static void usage(void){
  fprintf(stderr, "usage: huntgen [-s SEED] [-j WORKERS] [-z LEVEL] [-n] RECORDS OUTDIR\n");
  exit(2);
}

int main(int argc, char **argv){
  u64 seed = 20260213, target, total = 0, n5 = 0, n2 = 0, cell0 = 0;
  int opt, workers = 2, level = 6, count_only = 0, c, w;
  char *end, spooldir[4096], daydir[4096];
  FILE **spool = NULL;
  unsigned s;
  while( (opt = getopt(argc, argv, "s:j:z:nV"))!=-1 ){
    switch( opt ){
      case 'V': printf("%d\n", HUNTGEN_VERSION); return 0;
      case 's': seed = strtoull(optarg, 0, 10); break;
      case 'j': workers = atoi(optarg); break;
      case 'z': level = atoi(optarg); break;
      case 'n': count_only = 1; break;
      default: usage();
    }
  }
  if( optind + (count_only ? 1 : 2) > argc ) usage();
  errno = 0;
  target = strtoull(argv[optind], &end, 10);
  if( errno || *end || target==0 ) usage();
  if( workers < 1 || workers > 64 || level < 0 || level > 9 ) usage();
  if( !count_only ){
    const char *out = argv[optind + 1];
    if( strlen(out) > 3000 ) usage();
    snprintf(spooldir, sizeof(spooldir), "%s/.spool", out);
    snprintf(daydir, sizeof(daydir),
             "%s/AWSLogs/" ACCOUNT "/vpcflowlogs/" REGION "/2026/02/13", out);
    mkdirs(spooldir);
    mkdirs(daydir);
    spool = calloc(NSLICE, sizeof(FILE *));
    for(s = 0; s < NSLICE; s++){
      char p[4200];
      snprintf(p, sizeof(p), "%s/%03u", spooldir, s);
      spool[s] = fopen(p, "wb");
      if( !spool[s] ){ perror(p); return 1; }
    }
  }

  /* Pass 1: cells until the next one would overshoot more than it fills. */
  for(c = 0; c < MAXCELL; c++){
    u64 n, avg;
    if( c > 0 ){
      avg = c==1 ? cell0 : (total - cell0) / (u64)(c - 1);
      if( total + avg / 2 >= target ) break;
    }
    n = gen_cell(c, seed, spool);
    if( c==0 ) cell0 = n;
    total += n;
    if( cell_is_v2(c) ) n2 += n; else n5 += n;
  }
  if( c==MAXCELL && total < target ){
    fprintf(stderr, "huntgen: at most %d cells (%llu records)\n", MAXCELL,
            (unsigned long long)total);
  }
  if( count_only ){
    printf("records %llu v5 %llu v2 %llu cells %d\n", (unsigned long long)total,
           (unsigned long long)n5, (unsigned long long)n2, c);
    return 0;
  }
  for(s = 0; s < NSLICE; s++){
    if( fclose(spool[s]) ){ perror("huntgen: spool"); return 1; }
  }
  free(spool);
  {
    char p[4200];
    FILE *f;
    snprintf(p, sizeof(p), "%s/context.sql", argv[optind + 1]);
    f = fopen(p, "w");
    if( !f || fputs(k_context, f) < 0 || fclose(f) ){ perror(p); return 1; }
  }

  /* Pass 2: WORKERS processes take slices w, w + WORKERS, ... */
  fflush(stdout);
  for(w = 0; w < workers; w++){
    pid_t pid = fork();
    if( pid < 0 ){ perror("fork"); return 1; }
    if( pid==0 ){
      for(s = (unsigned)w; s < NSLICE; s += (unsigned)workers){
        write_slice(spooldir, daydir, s, level);
      }
      _exit(0);
    }
  }
  {
    int st, bad = 0;
    for(w = 0; w < workers; w++){
      if( wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)!=0 ) bad = 1;
    }
    if( bad ){ fprintf(stderr, "huntgen: a writer failed\n"); return 1; }
  }
  rmdir(spooldir);
  printf("records %llu v5 %llu v2 %llu cells %d\n", (unsigned long long)total,
         (unsigned long long)n5, (unsigned long long)n2, c);
  return 0;
}
