/*
** source.h - turn a user's path argument into a sorted list of files, and
** read the dates that S3 key layouts carry.
**
** A path is, in this order of precedence:
**   0. "-": standard input, as one file named "-" (vf_reader_open() reads
**      descriptor 0; "./-" names a file called "-");
**   1. an existing regular file (or a symlink to one): that file, whatever
**      characters its name contains, glob characters included; any other
**      existing non-directory (a FIFO, /dev/stdin) is taken as given too;
**   2. an existing directory: every regular file below it, recursively,
**      whose name ends in ".log", ".gz" or ".parquet" (".log.gz" and
**      ".log.parquet" included), skipping names that begin with '.';
**      symlinks are followed, and a directory is entered once, under the
**      first name the walk reaches it by in byte order (symlink loops end,
**      and a folder linked from two places is not listed twice). A walk that finds no such file
**      is an error that counts and names the files it skipped;
**   3. otherwise a glob: '*', '?' and '[...]' match within one path
**      segment (never '/', and not a leading '.'), '**' as a whole segment
**      matches zero or more directories not beginning with '.' (a final
**      '**' means '** / *'). Only regular files are returned; a directory
**      matched by the last segment is not expanded.
** Results are sorted by byte value and free of duplicates. An entry the
** walk (2. or 3.) cannot stat or list, for a reason other than having
** vanished since it was listed, is in the result too, with its reason in
** azWhy ("problems", see source.c); a walk that met only problems
** returns them rather than failing. No '~' or
** '$VAR' expansion is done and nothing is passed to a shell.
**
** Allocates with sqlite3_malloc64/sqlite3_free; errors are returned as
** sqlite3_mprintf() strings the caller frees with sqlite3_free().
*/
#ifndef VPCFLOW_SOURCE_H
#define VPCFLOW_SOURCE_H

#include <stdint.h>

typedef struct VfFileList VfFileList;
struct VfFileList {
  int nFile;          /* number of files */
  char **azFile;      /* file paths, sorted; each from sqlite3_malloc64 */
  char **azWhy;       /* NULL, or per entry: NULL for a file to read, else
                      ** why the walk could not read that path (a
                      ** "problem": "cannot read directory: Permission
                      ** denied"), for the scan to report in its place */
  int64_t nDirList;   /* directories the expansion listed (its work) */
  int64_t *aSize;     /* NULL, or per entry the size a listing gave
                      ** (s3:// objects: ListObjectsV2's <Size>), so that
                      ** planning need not fetch an object to size it */
};

/*
** Expand zPath into *pList (which must be zeroed by the caller).
** Returns 0 (SQLITE_OK) on success, with nFile>=1. A path that does not
** exist and matches no file as a glob, a directory without a log file
** (empty, or holding only other names), is an
** error unless the walk met problems (these are returned instead, see
** azWhy): returns nonzero (SQLITE_ERROR or
** SQLITE_NOMEM) and sets *pzErr to a message naming the path and reason
** (*pzErr stays 0 for SQLITE_NOMEM); *pList is then left empty. Messages:
**   "empty path"
**   "cannot open 'PATH': No such file or directory"   (strerror text)
**   "no files match 'PATTERN'"
**   "no flow log files in 'DIR': the directory and its subdirectories
**    hold no files"
**   "no flow log files in 'DIR': 2 files skipped (a.txt, flows.csv): a
**    directory is read for names ending in .log, .gz or .parquet ...;
**    name other files with a glob, such as ... for every file below it"
** Problems' reasons (azWhy): "cannot read directory: Permission denied",
** "cannot read: Too many levels of symbolic links", "dangling symbolic
** link: No such file or directory", "directories nested too deeply ...".
*/
int vf_source_expand(const char *zPath, VfFileList *pList, char **pzErr);

/*
** vf_source_expand() that calls xStop(pStopArg) before each directory it
** lists (and every 1024 entries): nonzero stops the expansion, which then
** returns SQLITE_INTERRUPT with *pzErr "interrupted". xStop may be 0.
*/
int vf_source_expand_ex(const char *zPath, VfFileList *pList, char **pzErr,
                        int (*xStop)(void*), void *pStopArg);

/* Free the contents of *pList and zero it. */
void vf_source_free(VfFileList *pList);

/*
** The date an S3 key's folders give: ".../YYYY/MM/DD/..." (default and
** hourly layouts) or ".../year=YYYY/month=MM/day=DD/..." (Hive layout).
** Each part must be a whole folder name and the date a real one, years
** 1970-9999. Returns 1 and sets *pY,*pM,*pD if found (the last such match
** in the path), else 0.
*/
int vf_source_key_date(const char *zPath, int *pY, int *pM, int *pD);

/*
** The publication time in an S3 flow log file name:
** "<account>_vpcflowlogs_<region>_<fl-id>_YYYYMMDDTHHMMZ_<hash>.log.gz".
** Returns 1 and sets *pEpoch to that time in Unix seconds (UTC) if the
** base name holds a valid "_YYYYMMDDTHHMMZ_" token (or one ending in '.'
** rather than '_'; the last if several), else 0. AWS puts in
** that file the records whose end falls in the 5 minutes from this time.
*/
int vf_source_key_time(const char *zPath, int64_t *pEpoch);

#endif /* VPCFLOW_SOURCE_H */
