/*
** s3.h - list and stream flow log objects from Amazon S3 (or an
** S3-compatible store) for the vpcflow table: vpcflow('s3://bucket/prefix/').
**
** A path "s3://BUCKET/KEY" is, like a local path (source.h):
**   1. an object named exactly KEY: that object alone;
**   2. else a "folder": every object below KEY/ (KEY "" or ending in '/'
**      is taken as is) whose name ends in ".log", ".gz" or ".parquet",
**      skipping any key with a segment that begins with '.';
**   3. KEY with '*', '?' or '[': a glob matched segment by segment with
**      the local rules ('*' never crosses '/', no leading '.', '**' is zero
**      or more segments, a final '**' is '** / *').
** Objects are listed with ListObjectsV2 (all pages) and named
** "s3://BUCKET/KEY" in the file list, so that key-time pruning and
** log_file terms apply before any object is fetched.
**
** Built without libcurl (its header absent, or -DVF_NO_CURL), every
** function here fails with a message saying how to enable s3:// paths.
*/
#ifndef VPCFLOW_S3_H
#define VPCFLOW_S3_H

#include <stddef.h>
#include "source.h"
#include "parquet.h"

/* 1 if zPath starts with "s3://" (always; with or without libcurl). */
int vf_s3_is_url(const char *zPath);

/*
** vf_source_expand_ex() for an s3:// path: the same contract (source.h),
** the names "s3://BUCKET/KEY". xStop is asked every 50 ms while waiting
** for the store; nonzero stops with SQLITE_INTERRUPT, "interrupted".
*/
int vf_s3_expand(const char *zPath, VfFileList *pList, char **pzErr,
                 int (*xStop)(void*), void *pStopArg);

/*
** Start streaming object zUrl ("s3://BUCKET/KEY"): a thread fetches it
** and writes its bytes into a socket whose other end, *pFd, the caller
** reads (as it reads a pipe) and closes before calling vf_s3_close().
** Returns 0 and sets *ppS3 and *pFd, or nonzero with a message in zErr.
*/
typedef struct VfS3Stream VfS3Stream;
int vf_s3_open(const char *zUrl, VfS3Stream **ppS3, int *pFd,
               char *zErr, size_t nErr);

/*
** Call when *pFd reached its end: 1 if the transfer failed (then the end
** is not the object's end) with the reason, naming bucket and key, in
** zErr; 0 if the whole object came. Safe from any thread.
*/
int vf_s3_failed(VfS3Stream *p, char *zErr, size_t nErr);

/* Stop the transfer (promptly), join its thread, free. NULL is a no-op. */
void vf_s3_close(VfS3Stream *p);

/*
** 1 if zUrl names a Parquet object: its key ends in ".parquet" (any
** case). Such objects are read with ranged GETs (vf_s3_parquet_open),
** not streamed: the name decides, since a stream cannot go back to the
** footer. (AWS names them "....log.parquet".)
*/
int vf_s3_is_parquet(const char *zUrl);

/*
** Open s3:// object zUrl as a byte source for vf_parquet_open_io()
** (parquet.h): every read is a ranged GET in the caller's thread (with
** the retries of a stream, messages scrubbed), asking xStop (if not 0)
** every 50 ms; a nonzero answer fails the read with "interrupted". One
** GET of its first 4 bytes here tells the size and the ETag that later
** GETs must match (If-Match). Returns 0 and sets *ppIo, or nonzero with
** "cannot open 's3://...': reason" in zErr.
*/
int vf_s3_parquet_open(const char *zUrl, int (*xStop)(void*), void *pStopArg,
                       VfParquetIo **ppIo, char *zErr, size_t nErr);

/*
** One ListObjectsV2 page a[0..n-1], read minimally (modified in place:
** entities are decoded): xKey(pArg, zKey) is called for each <Key> in
** order, decoded and NUL-terminated; a nonzero return stops the walk and
** is returned. *pbTruncated is 1 if <IsTruncated> is "true"; the decoded
** <NextContinuationToken> goes to zToken[0..nToken-1] ("" if none).
** Returns 0, or xKey's code. Nothing else of the XML is looked at.
*/
int vf_s3_parse_page(char *a, size_t n, int (*xKey)(void*, const char*),
                     void *pArg, int *pbTruncated, char *zToken,
                     size_t nToken);

/*
** 1 if key zKey matches pattern zPat by the local glob rules (source.h):
** fnmatch() per '/'-separated segment with FNM_PERIOD, "**" as a whole
** segment is zero or more segments not beginning with '.', a final "**"
** is "** / *"; an empty segment never matches.
*/
int vf_s3_glob_match(const char *zPat, const char *zKey);

/*
** Column discovery (schema.c) reads the first line of every file; over
** S3 that is a GET per object, and it would fetch objects that key-time
** pruning then leaves out. AWS fixes a flow log's format when the flow
** log is created, and names its objects
** "<account>_vpcflowlogs_<region>_<fl-id>_YYYYMMDDTHHMMZ_<hash>...", so
** one object per flow log tells its columns. vf_s3_schema_skip() returns
** 1 for an s3:// object of a flow log already met in *pSeen (which it
** records), 0 for any other name (read it). *pSeen starts zeroed and is
** freed with vf_s3_seen_free(). On OOM it returns 0 (read it: safe).
*/
typedef struct VfS3Seen VfS3Seen;
struct VfS3Seen {
  int n, nAlloc;             /* flow logs met, and slots in az */
  char **az;                 /* their "<account>_vpcflowlogs_<region>_<fl-id>" */
};
int vf_s3_schema_skip(VfS3Seen *pSeen, const char *zFile);
void vf_s3_seen_free(VfS3Seen *pSeen);

#endif /* VPCFLOW_S3_H */
