/*
** filter.h - WHERE terms evaluated inside the scan ("push-down").
**
** xBestIndex hands SQLite's constraints on data columns to the cursor;
** the cursor drops rows that cannot satisfy them before SQLite sees them.
** Every term is only ever a pre-filter: the plan leaves omit=0, so SQLite
** still checks each row it gets. A term therefore only has to be
** conservative: it may pass a row SQLite will reject, never the reverse.
** Terms whose exact SQLite semantics would be subtle (a text constant
** against an integer column that does not look like a number, a non-BINARY
** collation, a NULL constant) simply pass every row.
*/
#ifndef VPCFLOW_FILTER_H
#define VPCFLOW_FILTER_H

#include "sqlite3ext.h"
#include <stdint.h>
#include <stddef.h>
#include "ipaddr.h"

/* Operators, as one character in the plan string (see plan.h, THE PLAN) */
#define VF_OP_EQ      '='
#define VF_OP_IN      'i'
#define VF_OP_LT      '<'
#define VF_OP_LE      'l'
#define VF_OP_GT      '>'
#define VF_OP_GE      'g'
#define VF_OP_ISNULL  'n'
#define VF_OP_NOTNULL 'N'
#define VF_OP_CIDR    'c'   /* ip_in_cidr(column, constant) */

typedef struct VfText VfText;
struct VfText {
  char *z;                   /* bytes (sqlite3_malloc) */
  int n;                     /* length */
};

typedef struct VfTerm VfTerm;
struct VfTerm {
  int iSlot;                 /* data slot tested */
  char op;                   /* VF_OP_* */
  char bPassAll;             /* 1: cannot decide here, every row passes */
  char bInt;                 /* compare as integers (else as text) */
  char bReal;                /* integer column vs a REAL constant */
  int64_t iVal;              /* integer constant */
  double rVal;               /* REAL constant */
  char *zVal;                /* text constant (sqlite3_malloc) */
  int nVal;                  /* its length */
  int nIn;                   /* IN: number of values */
  int64_t *aInInt;           /* IN on an integer column: sorted values */
  VfText *aInText;           /* IN on a text column: sorted values */
  VfCidr cidr;               /* VF_OP_CIDR: the block */
};

/* The SQLite constraint op for a VF_OP_* character, and back; 0 if the
** operator is not pushed down. */
char vf_filter_op(unsigned char eOp);

/*
** Set up term p for op on a column of integer (bInt) or text type from
** the constraint's value pVal (for VF_OP_IN, the IN list handle: the
** values are read with sqlite3_vtab_in_first/next). Return SQLITE_OK or
** SQLITE_NOMEM.
*/
int vf_term_init(VfTerm *p, int iSlot, char op, int bInt, sqlite3_value *pVal);

/* Free what a term owns. */
void vf_term_clear(VfTerm *p);

/*
** 1 if a row whose slot value is NULL (bNull), the integer iVal (integer
** column) or the text z[0..n-1] (text column) may satisfy the term.
*/
int vf_term_test(const VfTerm *p, int bNull, int64_t iVal,
                 const char *z, size_t n);

/*
** For a term on start or end, narrow [*pLo,*pHi] (inclusive) to the
** values the term allows. Terms that do not bound a value leave it.
*/
void vf_term_bounds(const VfTerm *p, int64_t *pLo, int64_t *pHi);

#endif /* VPCFLOW_FILTER_H */
