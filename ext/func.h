/*
** func.h - the SQL functions of vpcflow, implemented in ext/func_*.c and
** registered from the one table in vpcflow.c.
*/
#ifndef VPCFLOW_FUNC_H
#define VPCFLOW_FUNC_H

#include "sqlite3ext.h"

typedef void (*VfScalarFn)(sqlite3_context*, int, sqlite3_value**);
typedef void (*VfFinalFn)(sqlite3_context*);

/* ---- declarations of the function callbacks (one block per file) ---- */
/* FUNC-DECLS-BEGIN */

/* progress.c: the hunt's phase line (direct-only, writes to stderr) */
void vfProgressFunc(sqlite3_context*, int, sqlite3_value**);

/* func_net.c: helpers shared by the func_*.c files. (The address
** parser is ext/ipaddr.c, declared in ipaddr.h.)
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

/* func_net.c: scalars on addresses, TCP flags, protocols, byte counts */
void vfIpInCidrFunc(sqlite3_context*, int, sqlite3_value**);
void vfIsPrivateFunc(sqlite3_context*, int, sqlite3_value**);
void vfIpClassFunc(sqlite3_context*, int, sqlite3_value**);
void vfPcrFunc(sqlite3_context*, int, sqlite3_value**);
void vfTcpFlagsStrFunc(sqlite3_context*, int, sqlite3_value**);
void vfTcpHasFunc(sqlite3_context*, int, sqlite3_value**);
void vfIsSynOnlyFunc(sqlite3_context*, int, sqlite3_value**);
void vfProtocolNameFunc(sqlite3_context*, int, sqlite3_value**);

/* func_breadth.c: distinct counts and ratios, aggregate and window */
void vfPortBreadthStep(sqlite3_context*, int, sqlite3_value**);
void vfPortBreadthInverse(sqlite3_context*, int, sqlite3_value**);
void vfPortBreadthValue(sqlite3_context*);
void vfPortBreadthFinal(sqlite3_context*);
void vfAddrBreadthStep(sqlite3_context*, int, sqlite3_value**);
void vfAddrBreadthInverse(sqlite3_context*, int, sqlite3_value**);
void vfAddrBreadthValue(sqlite3_context*);
void vfAddrBreadthFinal(sqlite3_context*);
void vfRejectRatioStep(sqlite3_context*, int, sqlite3_value**);
void vfRejectRatioInverse(sqlite3_context*, int, sqlite3_value**);
void vfRejectRatioValue(sqlite3_context*);

/* func_beacon.c: regularity of connection times (aggregate only) */
void vfBeaconScoreStep(sqlite3_context*, int, sqlite3_value**);
void vfBeaconPeriodStep(sqlite3_context*, int, sqlite3_value**);
void vfBeaconScoreFinal(sqlite3_context*);
void vfBeaconPeriodFinal(sqlite3_context*);

/* func_chart.c: text pictures */
void vfBarFunc(sqlite3_context*, int, sqlite3_value**);
void vfSparklineStep(sqlite3_context*, int, sqlite3_value**);
void vfSparklineFinal(sqlite3_context*);

/* func_hunt.c: severity of a score, checked tunables */
void vfSeverityFunc(sqlite3_context*, int, sqlite3_value**);
void vfSeverityFloorFunc(sqlite3_context*, int, sqlite3_value**);
void vfTunableFunc(sqlite3_context*, int, sqlite3_value**);

/* FUNC-DECLS-END */

/* func_athena.c */
void vfAthenaDdlFunc(sqlite3_context*, int, sqlite3_value**);

#endif /* VPCFLOW_FUNC_H */
