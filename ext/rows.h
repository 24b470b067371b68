/*
** rows.h - the row engine of the vpcflow table (rows.c): what xFilter
** and xNext (vtab.c) and the plan (plan.c) call to read rows.
*/
#ifndef VPCFLOW_ROWS_H
#define VPCFLOW_ROWS_H

#include "vtab_int.h"
#include "plan.h"

/* Slot of the field named z[0..n-1] in table pTab, or -1. */
int vf_find_slot(VfTable *pTab, const char *z, size_t n);

/* The slot of the "start" field (dt is its date), or -1. */
static inline int vfStartSlot(VfTable *pTab){
  return pTab->bTvf ? 10 : vf_find_slot(pTab, "start", 5);
}

/* Forget the error counts of a scan: a new scan starts. */
void vf_scan_reset(VfCursor *pCur);

/* Close the current file, if any, and forget its layout. */
void vf_close_file(VfCursor *pCur);

/* SQLITE_INTERRUPT (table error set) if interrupted, else SQLITE_OK. */
int vf_probe_interrupt(VfCursor *pCur);

/* vf_source_expand_ex() stop callback of a scan (pArg: the cursor). */
int vf_stop_cb(void *pArg);

/* How this scan parses plain files (parse-ahead settings). */
void vf_ahead_config(VfCursor *pCur);

/* Move to the next row, across lines and files: a row or bEof. */
int vf_advance(VfCursor *pCur);

/* xNext of an ungrouped scan. */
int vf_next_row(VfCursor *pCur);

/* Grouped delivery: read the whole scan grouped by the plan's key. */
int vf_collect_groups(VfCursor *pCur, const VfPlan *pPlan);

/* Grouped delivery: the next grouped row, bEof at the end. */
int vf_rows_group_step(VfCursor *pCur);

#endif /* VPCFLOW_ROWS_H */
