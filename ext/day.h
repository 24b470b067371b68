/*
** day.h - the prepared day: a table of flow records normalised once
** (norm.c fills it) and served to the detections from memory (day.c).
**
** sql/prepare.sql runs vpcflow_prepare('flows', NAT_MIN_MATCHES) once. It
** reads `flows` in one pass (norm.c's pass 1, reading the fields in place
** through rowref.h when `flows` is a vpcflow table), works out every flag
** of flows_n, and keeps, per record, the fields the detections read: the
** record itself is 32 bytes of interned ids and small integers (NormRec)
** and 56 more (VfDayRec). The day then answers, without reading `flows`
** again and without writing a row into a table:
**   vpcflow_traffic     the rows of `traffic` (the view flows_t reads)
**   vpcflow_coverage    per (interface, minute) counts for log_coverage
**   vpcflow_att_port, vpcflow_pair   the summaries of sql/summaries.sql
** One day per connection: preparing again replaces it (a cursor still
** reading the old one keeps it alive: nRef).
*/
#ifndef VPCFLOW_DAY_H
#define VPCFLOW_DAY_H
#include "sqlite3ext.h"
#include <stddef.h>
#include <stdint.h>

/* Bits of NormRec.in: what pass 1 read. */
#define NR_SPORT_NULL  0x01   /* srcport IS NULL */
#define NR_DPORT_NULL  0x02   /* dstport IS NULL */
#define NR_PROTO_NULL  0x04   /* protocol IS NULL */
#define NR_START_NULL  0x08   /* start IS NULL */
#define NR_LSOK        0x10   /* upper(coalesce(log_status,'OK')) = 'OK' */
#define NR_TCPF        0x20   /* tcp_flags IS NOT NULL */
#define NR_SYNACK      0x40   /* (tcp_flags & 18) = 18 */
#define NR_SYNONLY     0x80   /* (tcp_flags & 18) = 2 */

/* NormRec.dir0 and the dir bits of NormRec.out */
#define DIR_NULL    0
#define DIR_EGRESS  1
#define DIR_INGRESS 2
#define DIR_OTHER   3         /* flow-direction holds something else */

/* Bits of NormRec.out: the result. */
#define NO_DIR(o)      ((o)&3)
#define NO_SKIP(o)     (((o)>>2)&3)
#define NO_RESP        0x10
#define NO_ANSWERED    0x20
#define NO_CONNSTART   0x40
#define NO_DIRINPUT    0x80   /* pass 2: dir comes from flow-direction */

typedef struct NormRec NormRec;
struct NormRec {
  uint32_t src, dst;     /* interned src, dst (pkt-* when present) */
  uint32_t saddr, daddr; /* interned srcaddr, dstaddr */
  uint32_t eni;          /* interned interface_id */
  int32_t start;         /* start - iBase */
  uint16_t sport, dport; /* ports (see NR_*_NULL) */
  uint8_t proto;         /* protocol */
  uint8_t in;            /* NR_* bits */
  uint8_t out;           /* dir, skip, resp, answered, conn_start */
  uint8_t dir0;          /* DIR_* of lower(flow_direction) as read */
};

/* NULL in the integer fields of VfDayRec */
#define VF_DAY_NULL32 INT32_MIN
#define VF_DAY_NULL64 INT64_MIN

/* upper(coalesce(log_status, 'OK')) */
#define VF_DAY_OK       0
#define VF_DAY_NODATA   1
#define VF_DAY_SKIPDATA 2
#define VF_DAY_OTHER    3

/* The rest of a record that the detections read. */
typedef struct VfDayRec VfDayRec;
struct VfDayRec {
  int64_t packets, bytes;  /* VF_DAY_NULL64 = NULL */
  int32_t end;             /* "end" - iBase, VF_DAY_NULL32 = NULL */
  int32_t tcpf;            /* tcp_flags, VF_DAY_NULL32 = NULL */
  uint32_t action;         /* interned upper(action), 0 = NULL */
  uint32_t ssvc, dsvc;     /* interned pkt-src/dst-aws-service */
  uint32_t file;           /* interned log_file */
  uint32_t line;           /* log_line, 0 = NULL */
  uint32_t account, vpc;   /* interned account_id, vpc_id */
  uint8_t status;          /* VF_DAY_OK ... */
};

/* Where an interned value's bytes are. */
typedef struct NormStr NormStr;
struct NormStr {
  uint64_t iOff;           /* offset of the bytes in aBuf */
  uint32_t nLen;           /* byte count */
  uint8_t tag;             /* 't' text, 'b' blob, 'i' integer, 'r' real */
};

typedef struct VfDay VfDay;
struct VfDay {
  int nRef;                /* holders: the connection, open cursors */
  int64_t nRec;            /* records read */
  int64_t iBase;           /* start of the first record with one */
  char *aBuf;              /* interned bytes */
  NormStr *aStr;           /* aStr[id], id 0 = NULL */
  uint32_t nStr;
  uint8_t *aPriv;          /* per id: is_private(): 0, 1, 2 = NULL */
  NormRec *aRec;           /* nRec records (day_store.c) */
  VfDayRec *aExt;          /* nRec records (day_store.c) */
  uint32_t *aTraffic;      /* records with log status OK and skip 0
                           ** (day_store.c) */
  int64_t nTraffic;
  int64_t nOk, nNodata, nSkipdata, nNat, nDup, nFiles;
  int64_t t0, t1;          /* min(start), max(end) of OK records */
  int bT0, bT1;            /* t0, t1 are not NULL */
  char *zTab;              /* the table it was made from ... */
  int eNat;                /* ... and nat_min_matches: its type, 0 absent */
  double rNat;             /*     and value */
  void *pFirst;            /* day_first.c's lookups, or NULL */
  void *pSummary;          /* day_summary.c's att_port and pair, or NULL */
  void *pSummaryJob;       /* their build ahead of use, running, or NULL */
};

void vf_day_unref(VfDay *p);
void vf_day_first_free(VfDay *p);   /* day_first.c */
void vf_day_summary_free(VfDay *p); /* day_summary.c */
/* Start building d's att_port and pair on a second thread, while the
** query's thread goes on (day_summary.c, "Ahead of use"); the first scan
** of either waits for it. Nothing happens with one CPU, a SQLite built
** without threads, VPCFLOW_DAY_THREADS=0, or a day already past its
** memory budget (in its temporary file). */
void vf_day_summary_ahead(VfDay *d);
/* Tests only: pack att_port's and pair's sort key into one word only up
** to nBit bits (default 64; 0 always takes the two-word sort). */
void vf_day_summary_key_bits_for_test(int nBit);
/* Tests only: builds started ahead of use (vf_day_summary_ahead) so far,
** and first scans that took such a build's result. */
void vf_day_summary_ahead_counts_for_test(int *pnStarted, int *pnUsed);

/* Sort aKey[0..n-1] ascending carrying aIdx (radix; day.c). */
int vf_day_sort(uint64_t *aKey, uint32_t *aIdx, uint64_t n);

/*
** The connection's day slot, shared by norm.c (which fills it) and the
** tables of day.c (which read it).
*/
typedef struct VfDaySlot VfDaySlot;
struct VfDaySlot {
  VfDay *pDay;             /* the last prepared day, or NULL */
};

/*
** What every table over the day shares (day.c), so that a table in a
** day_*.c file writes only its own work. Its vtab starts with VfDayVtab
** (or is one). vf_day_vtab_connect() is its xConnect: it declares
** zSchema, makes the table DIRECT-ONLY (it shows what the log files
** held: a view or trigger stored in a database must not read it) and
** allocates nByte zeroed bytes that hold pAux's slot;
** vfDayDisconnect() frees them. vf_day_cursor_open() is an xOpen
** of a zeroed cursor of nByte bytes. vf_day_hold() makes *ppDay the
** slot's day, held (nRef) so that preparing again cannot free it under
** the cursor (the caller releases it with vf_day_unref()), or, before
** sql/prepare.sql has run, sets the error "zTable: no prepared flows on
** this connection ..." and returns SQLITE_ERROR.
*/
typedef struct VfDayVtab VfDayVtab;
struct VfDayVtab {
  sqlite3_vtab base;       /* Base class - must be first */
  VfDaySlot *pSlot;        /* the connection's day */
};
int vf_day_vtab_connect(sqlite3 *db, void *pAux, const char *zSchema,
                        size_t nByte, sqlite3_vtab **ppVtab);
int vfDayDisconnect(sqlite3_vtab *pVtab);
int vf_day_cursor_open(size_t nByte, sqlite3_vtab_cursor **ppCur);

/*
** The start of the cursor of a table built whole when it is scanned
** (att_port, pair, coverage, coverage_eni, served): the day it holds and
** where it is in its nRow rows, which the table keeps in an array of its
** own type after this. vfDayRowsNext, vfDayRowsEof and vfDayRowsRowid
** (iRow + 1) are such a table's xNext, xEof and xRowid.
*/
typedef struct VfDayRows VfDayRows;
struct VfDayRows {
  sqlite3_vtab_cursor base;  /* Base class - must be first */
  VfDay *pDay;               /* held while the cursor is open */
  int64_t nRow, iRow;        /* row count, current row */
};
int vfDayRowsNext(sqlite3_vtab_cursor *pCur);
int vfDayRowsEof(sqlite3_vtab_cursor *pCur);
int vfDayRowsRowid(sqlite3_vtab_cursor *pCur, sqlite3_int64 *pRowid);
int vf_day_hold(sqlite3_vtab *pVtab, const char *zTable, VfDay **ppDay);

/* Interned value id as the result of ctx: NULL for id 0, a BLOB for a
** blob, else TEXT (the value as the log's table gave it). */
void vf_day_result_id(sqlite3_context *ctx, const VfDay *d, uint32_t id);

/* Register vpcflow_traffic, vpcflow_coverage, vpcflow_att_port and
** vpcflow_pair over pSlot (owned by the caller, outlives the modules). */
int vf_day_register(sqlite3 *db, VfDaySlot *pSlot, char **pzErr);
int vf_day_first_register(sqlite3 *db, VfDaySlot *pSlot);   /* day_first.c */

/* Register vpcflow_coverage_eni (day_coverage.c) over pSlot. */
int vf_day_coverage_register(sqlite3 *db, VfDaySlot *pSlot);
/* vpcflow_served (day_served.c) and vpcflow_senders (day_senders.c),
** registered by vf_day_register(). */
int vf_day_served_register(sqlite3 *db, VfDaySlot *pSlot);
int vf_day_senders_register(sqlite3 *db, VfDaySlot *pSlot);
/* vpcflow_addresses (day_addrs.c) */
int vf_day_addrs_register(sqlite3 *db, VfDaySlot *pSlot);
/* vpcflow_att_port and vpcflow_pair (day_summary.c), registered by
** vf_day_register(). */
int vf_day_summary_register(sqlite3 *db, VfDaySlot *pSlot);
/* vpcflow_att_keys_port, vpcflow_att_keys_pair (day_attkeys.c) */
int vf_day_attkeys_register(sqlite3 *db, VfDaySlot *pSlot);
/* vpcflow_new_dest (day_newdest.c) */
int vf_day_newdest_register(sqlite3 *db, VfDaySlot *pSlot);

#endif /* VPCFLOW_DAY_H */
