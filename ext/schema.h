/*
** schema.h - which fields a set of flow log files has.
**
** CREATE VIRTUAL TABLE and vpcflow_athena_ddl() both need the union of
** the files' header lines, in the order first seen, with the format (or
** the default v2 format) standing in for files that have no header.
*/
#ifndef VPCFLOW_SCHEMA_H
#define VPCFLOW_SCHEMA_H

#include "sqlite3ext.h"

/* The default (version 2) log format, for files with no header. */
extern const char vf_default_format[];

typedef struct VfSchema VfSchema;
struct VfSchema {
  int nField;                /* number of distinct fields */
  char **azField;            /* their names, '_' written as '-' */
  int nFile;                 /* files examined */
  int bDate;                 /* 1 if some file's S3 key had a date */
  int iY, iM, iD;            /* the earliest such date */
};

/*
** Collect the fields of the files zPath names (see source.h) into *p,
** which must be zeroed. zFormat is the format of files without a header,
** or NULL for the default. Return SQLITE_OK, or an error code with
** *pzErr set to a message starting "vpcflow: ". Files that cannot be read
** are passed over here; reading them reports the problem.
**
** Bounded and interruptible: db (may be NULL) is checked for
** sqlite3_interrupt() before each directory listed, each file, and each
** wait of the reader (a FIFO with no writer, a gzip pipe); a file whose
** first line is over the line limit (/dev/zero) has no header and is
** left at once, instead of being read to its end.
*/
int vf_schema_collect(const char *zPath, const char *zFormat, VfSchema *p,
                      char **pzErr, sqlite3 *db);

/* Free what *p holds and zero it. */
void vf_schema_free(VfSchema *p);

#endif /* VPCFLOW_SCHEMA_H */
