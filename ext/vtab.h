/*
** vtab.h - the vpcflow virtual table module (vtab.c).
*/
#ifndef VPCFLOW_VTAB_H
#define VPCFLOW_VTAB_H

#include "sqlite3ext.h"

#define VPCFLOW_VERSION "0.1.0"

/*
** Register the vpcflow module and the vpcflow_errors table on db.
** Return SQLITE_OK, or an error code with *pzErr set (sqlite3_mprintf).
*/
int vf_register_modules(sqlite3 *db, char **pzErr);

#endif /* VPCFLOW_VTAB_H */
