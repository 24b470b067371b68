/*
** reader.h - read one flow log file as a sequence of lines.
**
** The reader detects gzip by its magic bytes (never by the file name),
** inflates every member of a multi-member gzip file, strips the line end
** ("\n" or "\r\n"), accepts a last line without a newline (dropping its
** final '\r' if it has one), and never holds more than VF_READER_MAX_LINE
** bytes of one line: a longer line is reported as VF_LINE_TOOLONG (and
** skipped to its end), so memory stays bounded whatever the input.
** Files over 4 GiB work (64-bit offsets throughout).
**
** The reader separates a byte source (plain read() or inflate) from the
** line splitter. A gzip file is inflated (with ISA-L, or zlib) on a second
** thread, started by vf_reader_open() and joined by vf_reader_close(), that
** runs a ring of decoded chunks ahead of the caller; a pipe, FIFO or
** device (standard input too) is read through the same thread, gzip or
** not, so that no read blocks the caller; a plain regular file is read
** on the caller's thread. Memory per reader is bounded: about 1.5 MiB for
** gzip or a pipe, 256 KiB for a plain file (reader.c says where it goes).
** A plain regular file is read to its size at open; a file whose first
** block is binary, or with a line of over 1 GiB, ends with an error.
** The reader allocates with sqlite3_malloc64/sqlite3_free (always on the
** caller's thread, in vf_reader_open()), formats messages with
** sqlite3_snprintf or snprintf and calls nothing else of SQLite's; the
** second thread calls nothing of SQLite's at all. Unit tests and fuzzers
** can drive it directly. One reader is used by one thread at a time.
*/
#ifndef VPCFLOW_READER_H
#define VPCFLOW_READER_H

#include <stddef.h>
#include <stdint.h>

#include "format.h"   /* VF_LINE_*, VF_READER_MAX_LINE, VF_READER_HEAD */

typedef struct VfReader VfReader;

/*
** Open zPath for reading. Never blocks: a FIFO is opened without waiting
** for a writer, and the first bytes of a pipe or device (standard input
** included) are waited for by vf_reader_next(), which returns
** VF_LINE_AGAIN every VF_POLL_MS (10 ms) until they come, so the caller
** can notice an interrupt even before the first byte. Return 0 and set
** *ppOut on success. On failure
** return nonzero, set *ppOut to 0 and write a message naming the path and
** the reason (strerror) into zErr[0..nErr-1].
*/
int vf_reader_open(const char *zPath, VfReader **ppOut, char *zErr, size_t nErr);

/*
** vf_reader_open() with a stop test, for the sources that wait in the
** caller's thread (an s3:// Parquet object's ranged GETs, s3.h): asked
** every 50 ms while waiting; when it says stop, the open or the read in
** progress ends and vf_reader_next() returns VF_LINE_AGAIN instead of an
** error, for the caller to see its own interrupt. xStop may be 0.
*/
int vf_reader_open_ex(const char *zPath, VfReader **ppOut, char *zErr,
                      size_t nErr, int (*xStop)(void*), void *pStopArg);

/*
** Fetch the next line. Returns one of VF_LINE_*. For OK, TOOLONG and
** PARTIAL the line number advances by one and *pz,*pn describe the bytes,
** valid until the next call. The line is not NUL-terminated.
** After VF_LINE_ERROR or VF_LINE_EOF every further call returns the same.
*/
int vf_reader_next(VfReader *p, const char **pz, size_t *pn);

/* 1-based number of the line last returned (0 before the first). */
int64_t vf_reader_lineno(const VfReader *p);

/* The error message after VF_LINE_ERROR (names the file), else "".
** Lines before a late error are returned first (OK, then perhaps one
** PARTIAL); the message shows from the PARTIAL line on, or once
** VF_LINE_ERROR has been returned. */
const char *vf_reader_errmsg(const VfReader *p);

/* 1 while the line being read is over VF_READER_MAX_LINE and is being
** dropped (vf_reader_next() returns VF_LINE_AGAIN meanwhile). */
int vf_reader_skipping(const VfReader *p);

/* 1 if the file is gzip-compressed. For a pipe or device this is known
** only once its first two bytes came: after the first vf_reader_next()
** that did not return VF_LINE_AGAIN (0 before). */
int vf_reader_is_gzip(const VfReader *p);

/* Bytes read from the file so far (compressed bytes for gzip, counted up
** to the decoded bytes in hand), and the file's size in bytes (0 if it is
** not a regular file); for progress reports. */
uint64_t vf_reader_offset(const VfReader *p);
uint64_t vf_reader_size(const VfReader *p);

/*
** The file's format (format.h): "plain", "gzip" or "parquet"; "" for a
** pipe whose first bytes have not come yet.
*/
const char *vf_reader_format(const VfReader *p);

/*
** 1 if the file's format makes its own lines (a row format, format.h:
** Parquet, read by parquet.c): its first "line" (line number 0) is the
** column names, then one line per row, log_line being the row number.
** 0 for a text file (plain or gzip), whose header, if any, is told by its
** content.
*/
int vf_reader_rows(const VfReader *p);

/*
** Before the first vf_reader_next(), a row format may be told what the
** statement needs, so that it reads less (format.h, VfFormat):
** vf_reader_select() the columns used (names as in the header line;
** azName==0 for all), returning the number selected or -1 if this file
** cannot select (a text file, or rows already read); vf_reader_prune() a
** constraint that lets it skip parts of the file that cannot match,
** returning 1 if it will be used, 0 if not (always correct).
*/
int vf_reader_select(VfReader *p, const char *const *azName, int nName);
int vf_reader_prune(VfReader *p, const VfPrune *pPrune);

/*
** Whole lines in bulk, for a plain regular file (vf_reader_can_block()
** says whether this one is): move the next run of complete lines, each
** ending in '\n', into a[0..nCap-1] and return its length, so that
** another thread may split and parse them. The line ends are left as they
** are ("\r\n" too, and lines of any length): the caller splits them as
** vf_reader_next() would and reports a line over VF_READER_MAX_LINE. Returns
** 0 when the next line cannot come this way: it is longer than nCap, it
** is the last line and has no '\n', or the data has ended. Then call
** vf_reader_next() once, which returns that line (or EOF, or the error),
** and go on with either. nCap is at most VF_READER_BLOCK_MAX.
**
** The caller counts the lines of each block it handles and reports them
** with vf_reader_add_lines() before the next vf_reader_next(), so that
** line numbers stay right.
*/
#define VF_READER_BLOCK_MAX (256*1024)
int vf_reader_can_block(const VfReader *p);
size_t vf_reader_block(VfReader *p, char *a, size_t nCap);
void vf_reader_add_lines(VfReader *p, int64_t nLine);

/*
** Read a plain regular file only to its first nSize bytes (and to the end
** of the line they cut, if any), as vf_reader_open() does to the size at
** open: for a file read a second time, which has grown since the first
** (a GROUP BY spilled to disk reads its files twice). Call before the
** first vf_reader_next(). Returns 0, or 1 if this reader cannot: gzip,
** Parquet, not a regular file, nSize 0 or below the bytes already read.
*/
int vf_reader_limit(VfReader *p, uint64_t nSize);

/* Stop and join the inflating thread (promptly, even mid-file or while a
** pipe is stalled), close the file and free everything. A NULL argument is
** a no-op. */
void vf_reader_close(VfReader *p);

#endif /* VPCFLOW_READER_H */
