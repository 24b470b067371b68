/*
** errlog.h - the per-connection log of malformed input, shown by the
** eponymous table vpcflow_errors(file, line, reason, text).
**
** Every line vpcflow reads becomes a row or an entry here: that is how
** "nothing is lost" is kept without failing a whole query on one bad line.
** Entries are distinct per (file, line, reason), so scanning the same files
** twice does not double them, and capped at VF_ERRLOG_MAX; past the cap
** only a count is kept, shown as one more row.
*/
#ifndef VPCFLOW_ERRLOG_H
#define VPCFLOW_ERRLOG_H

#include "sqlite3ext.h"
#include <stddef.h>
#include <stdint.h>

#define VF_ERRLOG_MAX   10000  /* entries kept per connection */
#define VF_ERRLOG_TEXT  1000   /* bytes of the offending line kept */

typedef struct VfErrLog VfErrLog;

/* A new, empty log with one reference, or NULL on OOM. */
VfErrLog *vf_errlog_new(void);

/* Take and drop a reference; the last release frees the log. Tables hold
** a reference so that reloading the extension cannot free a log in use. */
void vf_errlog_ref(VfErrLog *p);
void vf_errlog_release(void *p);

/*
** Record that zFile line iLine (iLine<=0 for a file-level error) was
** skipped for zReason; zText[0..nText-1] is the line (may be NULL).
** Return SQLITE_OK or SQLITE_NOMEM.
*/
int vf_errlog_add(VfErrLog *p, const char *zFile, int64_t iLine,
                  const char *zReason, const char *zText, size_t nText);

/*
** A file name as text for a column: NULL if zName is valid UTF-8 (show it
** as is), else a sqlite3_malloc'd copy with '?' for each byte that is not
** part of valid UTF-8 (the substitution of the text column; control
** characters, valid in names, are kept). File names are bytes on Linux;
** SQLite text must be UTF-8 or clients such as Python's sqlite3 cannot
** read the column at all. *pbNoMem is set if the copy failed.
*/
char *vf_errlog_name(const char *zName, int *pbNoMem);

/* Register the vpcflow_errors table over log p. */
int vf_errlog_register(sqlite3 *db, VfErrLog *p);

#endif /* VPCFLOW_ERRLOG_H */
