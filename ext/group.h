/*
** group.h - rows delivered already grouped, so that SQLite can skip the
** sorter it would otherwise run for GROUP BY.
**
** The scan hands every row to a VfGroupStore: the values of the GROUP BY
** columns (the key) and of every other column the statement uses (the
** payload). Rows with equal keys are gathered with hash tables, the
** distinct keys are then sorted in the GROUP BY order (each column ASC or
** DESC, NULL first when ASC as SQLite orders them, last when DESC), and
** the rows come back group after group in that order. Sorting the keys
** and not the rows is the saving: SQLite's sorter compares every row.
**
** The caller's thread only packs each row into a batch; a second thread
** (when SQLite is built thread-safe) sorts the rows into up to 256 key
** ranges (partitions), chosen from a sample of the first rows, while the
** caller parses the next lines. Once all rows are in, each range is
** grouped with a hash table small enough for the CPU's cache and its keys
** sorted on its own: the caller reads range 1 while the second thread
** does range 2.
**
** Memory is everything the statement uses, once: during the scan each
** row packed (16 bytes, 8 per payload value, its key, text values over 7
** bytes); afterwards 8 bytes per payload value and row plus a word, the
** text of every distinct key; hash tables and a few batches of up to 256
** KiB. vf_group_add(), vf_group_finish() and vf_group_step() fail with
** SQLITE_FULL past the budget given; the caller may then spill the store
** to disk (vf_group_spill) and finish the query there.
*/
#ifndef VPCFLOW_GROUP_H
#define VPCFLOW_GROUP_H

#include <stdint.h>

/* One value: NULL, an integer, or text (not NUL-terminated, and with no
** NUL byte inside: the key form relies on it). */
typedef struct VfValue VfValue;
struct VfValue {
  int bNull;                 /* 1 for NULL */
  int64_t i;                 /* the integer, for integer columns */
  const char *z;             /* the text, for text columns */
  int n;                     /* its length */
  int bHold;                 /* from vf_group_value: z may be held (below) */
};

typedef struct VfGroupStore VfGroupStore;

/* Most partitions (key ranges) of a store. */
#define VF_GROUP_MAX_PART 256

/* Most values (keys and payload) of a row of a store: two 31-bit masks
** share one word of a packed row. */
#define VF_GROUP_MAX_VAL 32

/*
** A new store for rows of nVal payload values, aText[k] saying whether
** payload value k is text. The key is the payload values aKey[0..nKey-1],
** aDesc[j] nonzero for a DESC key column. nBudget bounds the memory in
** bytes. nPart is the number of key ranges (1..VF_GROUP_MAX_PART; more
** for more rows: about 64 K rows per range keeps each hash table in the
** CPU's cache). mFlags: VF_GROUP_THREAD asks for the second thread (it
** is not started if SQLite was built without threads); VF_GROUP_TRACE
** prints where the time went on stderr (VPCFLOW_GROUP_TRACE, settings.h).
** Returns SQLITE_OK or SQLITE_NOMEM.
*/
#define VF_GROUP_THREAD 0x01
#define VF_GROUP_TRACE  0x02
int vf_group_new(VfGroupStore **pp, int nVal, const unsigned char *aText,
                 int nKey, const int *aKey, const unsigned char *aDesc,
                 int64_t nBudget, int nPart, int mFlags);

/* Add a row (nVal values). SQLITE_OK, SQLITE_NOMEM, or SQLITE_FULL when
** the budget would be exceeded (perhaps noticed for an earlier row). */
int vf_group_add(VfGroupStore *p, const VfValue *aVal);

/* All rows are in. SQLITE_OK or an error of the grouping so far. */
int vf_group_finish(VfGroupStore *p);

/*
** 1 if the worker thread is what holds the scan back: after at least 8
** batches, the caller had to wait for a free batch after more than a
** quarter of them. The scan then leaves the second core to the worker
** (see vf_ahead_solo()).
*/
int vf_group_behind(VfGroupStore *p);

/* After finish: move to the next output row (the first, on the first
** call). SQLITE_ROW, SQLITE_DONE, or an error (SQLITE_FULL, SQLITE_NOMEM).
** May wait for the second thread to finish sorting the next key range. */
int vf_group_step(VfGroupStore *p);

/* Value k of the current output row. Text stays valid until the next
** vf_group_step(). SQLITE_OK or SQLITE_NOMEM. */
int vf_group_value(VfGroupStore *p, int k, VfValue *pOut);

/*
** A text that vf_group_value() marked bHold may go to SQLite by reference:
** call vf_group_hold(z), then sqlite3_result_text(ctx, z, n,
** vf_group_unhold). The text stays valid until SQLite lets go of it, even
** past vf_group_free(). This spares SQLite a copy of every key, and the
** allocation its GROUP BY makes for each new key it keeps.
*/
void vf_group_hold(const char *z);
void vf_group_unhold(void *z);

/*
** The store cannot go on (SQLITE_FULL or SQLITE_NOMEM from the calls
** above): free all its memory and sort on disk from now on. The caller
** then adds every row again from the first, calls vf_group_finish() and
** steps: the groups already handed over are skipped, the others come in
** the same order. xStop(pArg), if given, is asked now and then while the
** disk sort runs; nonzero stops it with SQLITE_INTERRUPT. SQLITE_OK or
** an error (vf_group_errmsg() says which). Once only.
*/
int vf_group_spill(VfGroupStore *p, int (*xStop)(void*), void *pArg);

/* 1 once vf_group_spill() was called. */
int vf_group_spilled(const VfGroupStore *p);

/* The message of the store's failure rc: the temporary database's own
** error when it has one, else the words of rc. */
const char *vf_group_errmsg(VfGroupStore *p, int rc);

/* Rows added. */
int64_t vf_group_rows(const VfGroupStore *p);

/* Distinct keys of the key ranges sorted so far (all, once
** vf_group_step() has returned SQLITE_DONE). */
int64_t vf_group_keys(const VfGroupStore *p);

/* Groups handed over so far (begun by vf_group_step). */
int64_t vf_group_out(const VfGroupStore *p);

/* Bytes in use now. */
int64_t vf_group_bytes(const VfGroupStore *p);

/* 1 if the store runs a second thread. */
int vf_group_threaded(const VfGroupStore *p);

/* Free the store, stopping its thread. NULL is a no-op. */
void vf_group_free(VfGroupStore *p);

/*
** The sort used on each key range, exposed for tests: put the nKey keys
** azKey[i] (anKey[i] bytes each, prefix-free: no key a proper prefix of
** another, as the store's key form is) in memcmp order, writing their
** indexes to aOrder. SQLITE_OK or SQLITE_NOMEM.
*/
int vf_group_sort_keys(const unsigned char *const *azKey,
                       const uint32_t *anKey, uint32_t nKey,
                       uint32_t *aOrder);

#endif /* VPCFLOW_GROUP_H */
