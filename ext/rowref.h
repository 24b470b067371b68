/*
** rowref.h - read the current record of a vpcflow scan in place, from C.
**
** The vpcflow table has a hidden column vpcflow_row. SQL reads it as
** NULL; C code of this library reads it with
**     sqlite3_value_pointer(v, VF_ROWREF_TYPE)
** (SQLite's pointer-passing interface: only a caller that names the type
** gets the pointer) and then takes each field of the record where the
** parser left it, without making one SQL value per field. The flow
** normaliser (norm.c) reads a day of records this way: it needs a dozen
** fields of every record, and through SQL values each costs ~100 ns.
**
** The pointer is valid until the statement steps again. A grouped scan
** (a GROUP BY the table answers itself) hands out NULL; the column is
** never grouped.
*/
#ifndef VPCFLOW_ROWREF_H
#define VPCFLOW_ROWREF_H
#include <stdint.h>
#include "group.h"     /* VfValue */

#define VF_ROWREF_TYPE "vpcflow_row"

/* The slot of SQL column zName (e.g. "pkt_srcaddr"), or -1 if the table
** has no such field. Slots are fixed for the table, whatever the file. */
int vf_rowref_slot(const void *pRef, const char *zName);
/* 1 if slot iSlot holds integers, 0 for text. */
int vf_rowref_is_int(const void *pRef, int iSlot);
/* The field of the current record: bNull, or i (integer slot), or z/n
** (text slot; not NUL-terminated, valid until the next step). */
void vf_rowref_value(const void *pRef, int iSlot, VfValue *pOut);
/* log_file and log_line of the current record (NULL: out of memory). */
const char *vf_rowref_file(const void *pRef);
int64_t vf_rowref_line(const void *pRef);

#endif
