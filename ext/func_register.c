/*
** 2026-12-06
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** func_register.c - registers a table of SQL functions (see func.h).
**
** Each func_*.c file (and progress.c) keeps its functions in one static
** VfFuncDef table beside their code, and its vf_func_<file>_register()
** passes that table here; vpcflow.c calls those register functions. So a
** function's name, arity, flags and callbacks are read in one row next
** to its code, and adding one edits only its own file.
**
** The flags are a security rule, not a detail: pure scalars are
** DETERMINISTIC|INNOCUOUS (VF_PURE), aggregates and window functions
** INNOCUOUS (VF_AGG), and what reads files or writes to the terminal
** DIRECTONLY (VF_DIRECT). tests/unit/test_func_net.c checks every
** function the extension adds against this rule, from
** pragma_function_list.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include "func.h"

int vf_func_register(sqlite3 *db, const VfFuncDef *aDef, int nDef,
                     char **pzErr){
  int i;
  for(i=0; i<nDef; i++){
    const VfFuncDef *p = &aDef[i];
    int rc;
    if( p->xValue ){
      rc = sqlite3_create_window_function(db, p->zName, p->nArg, p->mFlags, 0,
               p->xStep, p->xFinal, p->xValue, p->xInverse, 0);
    }else{
      rc = sqlite3_create_function_v2(db, p->zName, p->nArg, p->mFlags, 0,
               p->xFunc, p->xStep, p->xFinal, 0);
    }
    if( rc!=SQLITE_OK ){
      *pzErr = sqlite3_mprintf("vpcflow: cannot register %s(): %s",
                               p->zName, sqlite3_errstr(rc));
      return rc;
    }
  }
  return SQLITE_OK;
}
