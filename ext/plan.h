/*
** plan.h - the query plan of the vpcflow table (plan.c), and its
** encoding: what xBestIndex tells xFilter through idxNum and idxStr.
**
** Where it sits: SQLite calls xBestIndex (plan.c, vfBestIndex) once or
** more per statement; the plan it picks comes back to xFilter (vtab.c)
** as idxNum and idxStr. xFilter decodes idxStr once (vf_plan_decode) into
** a VfPlan, and the scan's set-up reads only that struct: its row
** filters (vf_set_terms), the files it may skip (vf_prune_files), the
** columns it decodes (vf_mark_used) and its GROUP BY key (rows.c,
** vf_collect_groups).
**
** THE PLAN (xBestIndex -> xFilter).
**
** idxNum is a bit mask:
**
**   bit   name              meaning
**   ----  ----------------  ---------------------------------------------
**   0x01  VF_PLAN_PATH      argv has the table-valued path (required in
**                           the table-valued form)
**   0x02  VF_PLAN_FORMAT    argv has the format
**   0x04  VF_PLAN_STRICT    argv has strict
**   0x10  VF_PLAN_GROUPED   deliver rows grouped (idxStr has 'k'/'K')
**   0x40  VF_PLAN_INTR      interrupted while planned: xFilter fails with
**                           "interrupted" once (INTERRUPTS WHILE
**                           PLANNING, plan.c)
**
** idxStr is a list of entries "<op><decimal number>,":
**
**   op           number       argv value  meaning
**   -----------  -----------  ----------  --------------------------------
**   a VF_OP_*    SQL column   yes, next   a WHERE term pushed into the
**   (filter.h:                            scan: "=6," dstport = ?,
**   = < > ...)                            "i12," action IN (...),
**                                         ">10," start > ?
**   k            SQL column   no          GROUP BY column, ascending
**   K            SQL column   no          GROUP BY column, DESC
**   u            colUsed      no          the columns the statement uses
**
** A term on a data column filters rows (vfRowPasses); '=' or 'i' on
** log_file, and range terms on start or end, also skip whole files
** (vf_prune_files). Terms never set omit: SQLite re-checks every row, so a
** term only has to be conservative. The argv order is: the arguments in
** bit order, then the terms in idxStr order.
**
** Every plan ends with "u<colUsed>,": the columns the statement uses, so
** that a Parquet file decodes only those. Grouped delivery (idxNum bit
** VF_PLAN_GROUPED) adds "k<column>," or "K<column>," (DESC) for each
** GROUP BY column in order. xFilter then reads the whole scan into a
** VfGroupStore (group.c) and the rows come out group by group in key
** order, so SQLite, told orderByConsumed, skips its sorter. The order is
** a promise: SQLite 3.40 also drops the ORDER BY of "GROUP BY a,b ORDER
** BY a,b" on the strength of it.
*/
#ifndef VPCFLOW_PLAN_H
#define VPCFLOW_PLAN_H

#include "vtab_int.h"

/* idxNum bits (THE PLAN) */
#define VF_PLAN_PATH    0x01   /* argv has the path */
#define VF_PLAN_FORMAT  0x02   /* argv has the format */
#define VF_PLAN_STRICT  0x04   /* argv has strict */
#define VF_PLAN_GROUPED 0x10   /* deliver rows grouped */
#define VF_PLAN_INTR    0x40   /* interrupted while planned */

/* Most GROUP BY columns grouped by the scan */
#define VF_GROUP_MAX_KEY 8

/*
** A plan string decoded (THE PLAN). Built once per xFilter by
** vf_plan_decode(); nothing else reads idxStr.
*/
typedef struct VfPlan VfPlan;
struct VfPlan {
  int nTerm;                      /* pushed-down terms, in argv order */
  struct VfPlanTerm {
    char op;                      /* VF_OP_* (filter.h) */
    int iCol;                     /* SQL column */
  } aTerm[VF_MAX_TERMS];
  int nKey;                       /* GROUP BY columns (grouped delivery) */
  struct VfPlanKey {
    int iCol;                     /* SQL column */
    unsigned char bDesc;          /* 'K': descending */
  } aKey[VF_GROUP_MAX_KEY];
  uint64_t mColUsed;              /* 'u': colUsed; all ones if absent */
};

/* Decode plan string idxStr (NULL: no entries) into *pPlan. */
void vf_plan_decode(const char *idxStr, VfPlan *pPlan);

/* xBestIndex: choose the plan. */
int vfBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *pInfo);

/* The cursor's row filters from the plan's terms and their nVal values. */
int vf_set_terms(VfCursor *pCur, const VfPlan *pPlan, int nVal,
               sqlite3_value **apVal);

/* Drop the cursor's files no row of which can satisfy the plan. */
void vf_prune_files(VfCursor *pCur, const VfPlan *pPlan, int nVal,
                  sqlite3_value **apVal);

/* Set the cursor's aSlotUsed from its mColUsed and terms. */
void vf_mark_used(VfCursor *pCur);

/* Take the files planning expanded for zPath, if fresh: 1, else 0. */
int vf_take_plan_files(VfTable *pTab, const char *zPath, VfFileList *pOut,
                    VfCursor *pCur);

/* Bytes of text a scan of the files will decode; -1 if xStop said so. */
int64_t vf_files_bytes(const VfFileList *pFiles, VfStamp *aStamp,
                     int (*xStop)(void*), void *pStopArg);

/* A stamp per file, each "not seen yet"; NULL if out of memory. */
VfStamp *vf_new_stamps(int nFile);

#endif /* VPCFLOW_PLAN_H */
