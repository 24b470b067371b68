/*
** parquet.h - read one Parquet file (AWS VPC Flow Logs "Parquet" delivery)
** as a sequence of text lines that the line parser already understands.
**
** vf_parquet_header() gives one header line, the column names separated by
** single spaces; each vf_parquet_next_row() gives one row as text, values
** in the same order: integers in decimal, strings verbatim, NULL as "-".
** So the vpcflow table maps Parquet columns to fields by name, types them
** and reports bad values exactly as it does for a text file with a header.
**
** The reader reads at offsets only, pread() of a file or a VfParquetIo
** byte source (random access: the footer is at the end),
** decodes one page per column at a time, and refuses sizes beyond the
** limits below, so memory stays bounded whatever the file claims.
** It allocates with sqlite3_malloc64/sqlite3_free, formats with
** sqlite3_snprintf and sqlite3_mprintf and calls nothing else of
** SQLite's, so unit tests and fuzzers can drive it directly.
*/
#ifndef VPCFLOW_PARQUET_H
#define VPCFLOW_PARQUET_H

#include <stddef.h>
#include <stdint.h>
#include "format.h"     /* VF_LINE_OK, VF_LINE_EOF, VF_LINE_ERROR */

/* Limits: anything larger is reported as an error, never allocated. */
#define VF_PARQUET_MAX_COLUMNS 4096        /* leaf columns in the schema */
#define VF_PARQUET_MAX_PAGE    (64<<20)    /* bytes of one page, either
                                           ** compressed or not */
#define VF_PARQUET_MAX_FOOTER  (16<<20)    /* bytes of the Thrift footer */

/*
** Extra result of vf_parquet_next_row(), beside VF_LINE_OK, VF_LINE_EOF
** and VF_LINE_ERROR: the row was decoded but cannot be written as one
** line of space-separated tokens (a string value is empty or contains
** a space, tab, CR or LF, or the row is longer than VF_READER_MAX_LINE).
** *pz,*pn hold a message naming the column and the problem instead of
** the row; the row number advances and reading goes on with the next row.
*/
#define VF_PARQUET_BADROW VF_LINE_BAD

typedef struct VfParquet VfParquet;

/*
** 1 if the n bytes at a start with the Parquet magic "PAR1" (or "PARE",
** an encrypted file, which vf_parquet_open() refuses with a clear error).
** For a caller that has already read the first bytes of a file.
*/
int vf_parquet_magic(const void *a, size_t n);

/*
** Open zPath and read its footer. Return 0 and set *pp on success. On
** failure return nonzero, set *pp to 0 and write a message that starts
** with the path in single quotes, "'PATH': ", into zErr[0..nErr-1]:
** not a Parquet file, truncated or corrupt footer, or an unsupported
** feature (nested or repeated columns, encryption, data in another file),
** always naming the feature.
*/
int vf_parquet_open(const char *zPath, VfParquet **pp, char *zErr,
                    size_t nErr);

/*
** A byte source other than a local file, in the manner of SQLite's
** sqlite3_io_methods (s3.c gives one that reads an S3 object with ranged
** GETs). nSize is the object's size. xRead reads exactly n bytes at iOff
** (always within nSize) into a; iAhead (>= iOff+n) is where the reader's
** forward reading will stop, the end of the column chunk or of the file,
** so a source with a cost per request may fetch up to there at once:
** the reader never reads beyond a chunk it decodes. It returns 0, or
** nonzero with a reason in zErr[0..nErr-1]. xClose frees the source.
*/
typedef struct VfParquetIo VfParquetIo;
struct VfParquetIo {
  uint64_t nSize;              /* bytes in the object */
  int (*xRead)(VfParquetIo*, uint64_t iOff, void *a, size_t n,
               uint64_t iAhead, char *zErr, size_t nErr);
  void (*xClose)(VfParquetIo*);
};

/*
** vf_parquet_open() of a byte source: zPath only names it in messages.
** pIo is the reader's from now on, closed by vf_parquet_close() (or here
** if this fails).
*/
int vf_parquet_open_io(const char *zPath, VfParquetIo *pIo, VfParquet **pp,
                       char *zErr, size_t nErr);

/*
** The header line: the leaf column names in schema order, separated by
** one space. Valid until vf_parquet_close(). Column names with a space
** or control character are refused by vf_parquet_open().
*/
void vf_parquet_header(VfParquet *p, const char **pz, size_t *pn);

/* Number of columns, and the name of column i (0-based). */
int vf_parquet_column_count(const VfParquet *p);
const char *vf_parquet_column_name(const VfParquet *p, int i);

/*
** Decode only the columns named in azName[0..nName-1]; every other
** column is written as "-" (NULL) without being read. Names match
** case-insensitively with '-' and '_' equal, so "log-status" selects
** column log_status. azName==0 selects every column again (the default).
** Call before the first vf_parquet_next_row(). Return the number of
** columns selected, or -1 if rows have already been read (no change).
*/
int vf_parquet_select(VfParquet *p, const char *const *azName, int nName);

/*
** Let the reader skip whole row groups whose min/max statistics show
** that no row has lo <= zCol <= hi. Rows whose zCol is NULL count as
** outside, so call this only for a constraint that NULL never satisfies.
** Several calls (up to 32) must all hold. Return 1 if the constraint will
** be used, 0 if it cannot be (no such column, not a signed integer
** column, too many calls, or rows already read): then no row group is
** skipped because of it, which is always correct.
**
** vf_parquet_prune_epoch() is the same for start and end: the vpcflow
** table reads a value of 100000000000 or more as milliseconds, so a
** group also survives if it may hold millisecond values in
** [lo*1000, hi*1000+999].
*/
int vf_parquet_prune(VfParquet *p, const char *zCol, int64_t lo, int64_t hi);
int vf_parquet_prune_epoch(VfParquet *p, const char *zCol,
                           int64_t lo, int64_t hi);

/*
** The same for a string column: skip row groups whose values all sort
** (bytewise) before zLo or after zHi; either bound may be 0 (none).
** zLo==zHi is an equality (action = 'ACCEPT'). Used only where the file
** declares the standard column order for its statistics.
*/
int vf_parquet_prune_text(VfParquet *p, const char *zCol,
                          const char *zLo, const char *zHi);

/*
** Fetch the next row as a line; see the top of this file for the format.
** Returns VF_LINE_OK (*pz,*pn is the row, not NUL-terminated, valid until
** the next call), VF_PARQUET_BADROW (see above), VF_LINE_EOF, or
** VF_LINE_ERROR (corrupt data or an unsupported feature in a page or
** column chunk: the message is in vf_parquet_errmsg(); rows returned
** before it are good). After EOF or ERROR every further call returns
** the same.
*/
int vf_parquet_next_row(VfParquet *p, const char **pz, size_t *pn);

/*
** 1-based number of the row last returned, counting the rows of skipped
** row groups too (0 before the first). The line number of that row, if
** the header is taken as line 1, is this plus one.
*/
int64_t vf_parquet_rowno(const VfParquet *p);

/* Rows in the file according to its footer. */
int64_t vf_parquet_row_count(const VfParquet *p);

/* Row groups in the file, and how many were skipped so far by pruning. */
int vf_parquet_group_count(const VfParquet *p);
int vf_parquet_groups_skipped(const VfParquet *p);

/* Pages read so far, all columns together (for tests and benchmarks:
** it shows what column selection and row group skipping saved). */
int64_t vf_parquet_pages_read(const VfParquet *p);

/* The message after VF_LINE_ERROR ("'PATH': reason"), else "". */
const char *vf_parquet_errmsg(const VfParquet *p);

/* File offset reached (the end of the last chunk read) and file size,
** for progress reports. */
uint64_t vf_parquet_offset(const VfParquet *p);
uint64_t vf_parquet_size(const VfParquet *p);

/* Close the file and free everything. A NULL argument is a no-op. */
void vf_parquet_close(VfParquet *p);

#endif /* VPCFLOW_PARQUET_H */
