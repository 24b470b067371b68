/*
** format.h - what every input format shares: the line codes a reader
** returns, and the limits on a line.
**
** reader.h (one file as lines) and parquet.h (one Parquet file as lines)
** both include this file and neither includes the other, so the headers
** form no cycle.
*/
#ifndef VPCFLOW_FORMAT_H
#define VPCFLOW_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* Longest line accepted, in bytes, not counting the line end. */
#define VF_READER_MAX_LINE 65536

/* Bytes of a too-long line that VF_LINE_TOOLONG hands back */
#define VF_READER_HEAD 200

/* Results of vf_reader_next() */
#define VF_LINE_OK       0  /* a complete line is in *pz, *pn */
#define VF_LINE_EOF      1  /* no more lines, no error */
#define VF_LINE_TOOLONG  2  /* a line over VF_READER_MAX_LINE: *pz,*pn hold
                            ** its first VF_READER_HEAD bytes for a message;
                            ** the rest of the line was skipped */
#define VF_LINE_PARTIAL  3  /* the last, incomplete line before an error
                            ** that cut the data short (truncated or corrupt
                            ** gzip, read error): *pz,*pn hold what arrived;
                            ** the next call returns VF_LINE_ERROR */
#define VF_LINE_AGAIN    5  /* no line yet: a long line is still being
                            ** skipped (16 MiB per call, one chunk for a
                            ** gzip file or a pipe), or, for a gzip
                            ** file or a pipe, nothing came for 50 ms (a
                            ** stalled pipe, a busy machine), or 10 ms
                            ** before a pipe's first byte; call again.
                            ** Lets the caller check for an interrupt. Any
                            ** call may return it, the first one too. */
#define VF_LINE_BAD      6  /* a Parquet row that cannot be a line: *pz,*pn
                            ** hold the reason (see parquet.h) */
#define VF_LINE_ERROR    4  /* read or inflate error; the message is in
                            ** vf_reader_errmsg(); no further lines */

#endif /* VPCFLOW_FORMAT_H */
