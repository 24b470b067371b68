/*
** func.h - the SQL functions of vpcflow (ext/func_*.c, and
** vpcflow_progress() in progress.c): how each file registers its
** functions, and the argument helpers they share.
**
** ADDING A FUNCTION means editing one file: write the callback there as
** a static function and add one row to that file's static VfFuncDef
** table (see func_net.c's end). A new func_*.c file also adds its
** vf_func_<file>_register() prototype below and one call in vpcflow.c.
*/
#ifndef VPCFLOW_FUNC_H
#define VPCFLOW_FUNC_H

#include "sqlite3ext.h"

typedef void (*VfScalarFn)(sqlite3_context*, int, sqlite3_value**);
typedef void (*VfFinalFn)(sqlite3_context*);

/* ---- registration (func_register.c) ---- */

/* Flags of pure functions: same result for the same arguments, no side
** effects, so safe in views, indexes and generated columns. */
#define VF_PURE   (SQLITE_UTF8|SQLITE_DETERMINISTIC|SQLITE_INNOCUOUS)

/* Flags of aggregates and window functions: innocuous, but an aggregate
** is not "deterministic" in the scalar sense. */
#define VF_AGG    (SQLITE_UTF8|SQLITE_INNOCUOUS)

/* Flags of functions that read files or write to the terminal: direct
** use only (never from a view or trigger of a database file), like
** readfile(). */
#define VF_DIRECT (SQLITE_UTF8|SQLITE_DIRECTONLY)

/* One row of a file's table of functions. xValue set makes it a window
** function (xStep, xFinal, xValue, xInverse); else xFunc makes it a
** scalar, xStep and xFinal an aggregate. */
typedef struct VfFuncDef VfFuncDef;
struct VfFuncDef {
  const char *zName;       /* SQL name */
  signed char nArg;        /* number of arguments, -1 for any */
  int mFlags;              /* VF_PURE, VF_AGG or VF_DIRECT */
  VfScalarFn xFunc;        /* scalar implementation, or 0 */
  VfScalarFn xStep;        /* aggregate step, or 0 */
  VfFinalFn xFinal;        /* aggregate final */
  VfFinalFn xValue;        /* window: current value (0 = aggregate only) */
  VfScalarFn xInverse;     /* window: remove the oldest row */
};

/* Register the nDef functions of aDef, in order. SQLITE_OK, or an error
** code with *pzErr (sqlite3_malloc'ed) naming the function that failed. */
int vf_func_register(sqlite3 *db, const VfFuncDef *aDef, int nDef,
                     char **pzErr);
#define VF_FUNC_REGISTER(db, aDef, pzErr) \
  vf_func_register(db, aDef, (int)(sizeof(aDef)/sizeof(aDef[0])), pzErr)

/* Each file's functions, registered by vpcflow.c in this order. */
int vf_func_athena_register(sqlite3 *db, char **pzErr);    /* func_athena.c */
int vf_func_progress_register(sqlite3 *db, char **pzErr);  /* progress.c */
int vf_func_net_register(sqlite3 *db, char **pzErr);       /* func_net.c */
int vf_func_breadth_register(sqlite3 *db, char **pzErr);   /* func_breadth.c */
int vf_func_beacon_register(sqlite3 *db, char **pzErr);    /* func_beacon.c */
int vf_func_chart_register(sqlite3 *db, char **pzErr);     /* func_chart.c */
int vf_func_hunt_register(sqlite3 *db, char **pzErr);      /* func_hunt.c */

/* ip_in_cidr()'s callback, the one not static: the vpcflow table's
** xFindFunction (vtab.c) hands it to SQLite when it overloads
** ip_in_cidr(column, cidr) for the push-down. */
void vfIpInCidrFunc(sqlite3_context*, int, sqlite3_value**);

/* ---- argument helpers (func_net.c) ----
** Shared by the func_*.c files (and norm.c reads text with
** vf_value_chars()). The address parser is ext/ipaddr.c (ipaddr.h).
**
** vf_value_is_null() is true for SQL NULL and for the text '-' (how flow
** logs spell "no value"), so hand-written SQL behaves like the table.
**
** vf_int_arg() reads argument v of zFunc as an integer in [iMin,iMax]
** (INTEGER, an integral REAL, or text holding such a number). It returns
** 0 with *piOut set, 1 for NULL/'-', or 2 after reporting an error
** "zFunc(): VALUE is not zWhat" on ctx. vf_num_arg() is the same for any
** finite number.
**
** vf_error_value() reports "zFunc(): VALUE is not zWhat" on ctx.
**
** vf_value_chars() gives the UTF-8 bytes of a TEXT value, their count in
** *pn, without making SQLite add a NUL after them; NULL only if out of
** memory. Per row it matters: sqlite3_value_text() on a value that is not
** NUL-terminated (every text column of the vpcflow table) reallocates the
** register to add one, and the next row allocates it again. */
const char *vf_value_chars(sqlite3_value *v, int *pn);
int vf_value_is_null(sqlite3_value *v);
int vf_int_arg(sqlite3_context *ctx, const char *zFunc, sqlite3_value *v,
               sqlite3_int64 iMin, sqlite3_int64 iMax, const char *zWhat,
               sqlite3_int64 *piOut);
int vf_num_arg(sqlite3_context *ctx, const char *zFunc, sqlite3_value *v,
               const char *zWhat, double *prOut);
/* v as SQL would write it in a message: 12, 1.5, 'text', NULL, a BLOB
** (sqlite3_malloc'ed; NULL when out of memory). */
char *vf_value_words(sqlite3_value *v);
void vf_error_value(sqlite3_context *ctx, const char *zFunc,
                    sqlite3_value *v, const char *zWhat);

#endif /* VPCFLOW_FUNC_H */
