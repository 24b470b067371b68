/*
** group.h - rows delivered already grouped, so that SQLite can skip the
** sorter it would otherwise run for GROUP BY.
**
** The scan hands every row to a VfGroupStore: the values of the GROUP BY
** columns (the key) and of every other column the statement uses (the
** payload). Rows with equal keys are gathered with a hash table, the
** distinct keys are then sorted in the GROUP BY order (each column ASC or
** DESC, NULL first when ASC as SQLite orders them, last when DESC), and
** the rows come back group after group in that order. Sorting the keys
** and not the rows is the saving: SQLite's sorter compares every row.
**
** Memory is everything the statement uses, once: 8 bytes per payload
** value and row, the text of every distinct key and text value, the hash
** table. vf_group_add() fails with SQLITE_FULL past the budget given.
*/
#ifndef VPCFLOW_GROUP_H
#define VPCFLOW_GROUP_H

#include <stdint.h>

/* One value: NULL, an integer, or text (not NUL-terminated). */
typedef struct VfValue VfValue;
struct VfValue {
  int bNull;                 /* 1 for NULL */
  int64_t i;                 /* the integer, for integer columns */
  const char *z;             /* the text, for text columns */
  int n;                     /* its length */
};

typedef struct VfGroupStore VfGroupStore;

/*
** A new store for rows of nVal payload values, aText[k] saying whether
** payload value k is text. The key is the payload values aKey[0..nKey-1],
** aDesc[j] nonzero for a DESC key column. nBudget bounds the memory in
** bytes. Returns SQLITE_OK or SQLITE_NOMEM.
*/
int vf_group_new(VfGroupStore **pp, int nVal, const unsigned char *aText,
                 int nKey, const int *aKey, const unsigned char *aDesc,
                 int64_t nBudget);

/* Add a row (nVal values). SQLITE_OK, SQLITE_NOMEM, or SQLITE_FULL when
** the budget would be exceeded. */
int vf_group_add(VfGroupStore *p, const VfValue *aVal);

/* All rows are in: order them. SQLITE_OK or SQLITE_NOMEM. */
int vf_group_finish(VfGroupStore *p);

/* Rows and distinct keys added. */
int64_t vf_group_rows(const VfGroupStore *p);
int64_t vf_group_keys(const VfGroupStore *p);

/* Bytes in use now. */
int64_t vf_group_bytes(const VfGroupStore *p);

/* Value k of output row iRow (0-based, in group order), after finish.
** Text stays valid until the next call. SQLITE_OK or SQLITE_NOMEM. */
int vf_group_value(VfGroupStore *p, int64_t iRow, int k, VfValue *pOut);

/* Free the store. NULL is a no-op. */
void vf_group_free(VfGroupStore *p);

#endif /* VPCFLOW_GROUP_H */
