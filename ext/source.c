/*
** 2026-11-23
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** source.c - turn a path argument into a sorted list of files, and read
** the dates in S3 key layouts (the contract is in source.h).
**
** Usage, from C:
**
**   VfFileList list = {0, 0}; char *zErr = 0; int i;
**   if( vf_source_expand("AWSLogs", &list, &zErr) ){
**     fail(zErr); sqlite3_free(zErr);
**   }
**   for(i=0; i<list.nFile; i++) read_file(list.azFile[i]);
**   vf_source_free(&list);
**
** HOW IT WORKS
**
** A path that stat() accepts is a file (returned as is, whatever its name
** looks like) or a directory (walked recursively). Anything else with a
** '*', '?' or '[' in it is a glob, matched one '/'-separated segment at a
** time: a segment without glob characters is simply appended and checked
** with stat(), so it needs no directory listing; any other segment lists
** its directory and keeps the names fnmatch(3) accepts (with FNM_PERIOD, so
** a wildcard never matches a leading dot); a "**" segment tries the rest
** of the pattern here and then in every subdirectory, at every depth.
** Neither glob(3) nor wordexp(3) is used: the first has no "**", the
** second would expand '~' and '$VAR'.
**
** Symlinks are followed, as users of log trees expect (a "current" link to
** a dated folder). Each real directory is entered once: a hash set keeps
** the (device, inode) of every directory the walk entered, and, for a
** glob, every (directory, segment) pair tried, so links that lead to one
** folder twice (a loop, or a DAG of links that would multiply its files
** 2^depth times) and "**" segments that reach one folder by several routes
** cost one visit each; consecutive "**" segments are merged into one.
** Each directory is read whole and its names sorted before anything is
** done with them, so which name a folder is known by (the first in byte
** order) does not depend on the file system's listing order. The caller
** may pass a stop callback (vf_source_expand_ex), asked before each
** listing: the scan passes sqlite3_interrupt()'s state. Names beginning with '.' are skipped by the
** walk and by "**": they are editor, VCS and tool droppings, not logs.
**
** Problems are never skipped silently, since a result that quietly lacks
** part of the data gives wrong answers that look right. An entry the walk
** cannot examine or list (EACCES, ELOOP, ENAMETOOLONG, EIO, a directory
** nested too deeply) becomes a "problem": an entry of the result list,
** sorted in with the files, that carries its reason (VfFileList.azWhy)
** instead of being read. The scan meets it in its place and reports it
** like a file it cannot open: an error row, or in strict mode a statement
** error. Only an entry that vanished between being listed and being
** examined (ENOENT with nothing there for lstat() either: a file rotated
** away) is passed over quietly; a dangling symlink with a name the walk
** would take is a problem ("dangling symbolic link").
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "source.h"
#include "s3.h"

/* Most files one expansion may return: a guard against a path such as
** "/" that would otherwise collect a whole file system. */
#define VF_MAX_FILES 10000000

/* Deepest directory nesting walked below the starting point. */
#define VF_MAX_DEPTH 200

/* Skipped files named in the error of a directory that has no log file */
#define VF_SKIP_NAMES 3

/*
** One directory on the current walk path, for loop detection. The chain
** lives on the stack of the recursive calls.
*/
typedef struct VfDirId VfDirId;
struct VfDirId {
  dev_t dev;                 /* st_dev of the directory */
  ino_t ino;                 /* st_ino of the directory */
  const VfDirId *pUp;        /* its parent on the walk, or 0 */
};

/*
** A directory visited by the walk (iSeg -1) or by a glob at pattern
** segment iSeg, in the hash set VfExpand.aSeen: each real directory is
** entered once per segment, whatever links lead to it again.
*/
typedef struct VfSeen VfSeen;
struct VfSeen {
  dev_t dev;                 /* st_dev */
  ino_t ino;                 /* st_ino */
  int iSeg;                  /* the segment, -1 for the walk */
  int bUsed;                 /* slot holds an entry */
};

/*
** One directory entry, as source_dir_list() hands it on (d_name and d_type
** as in struct dirent, so the callbacks read like readdir() code).
*/
typedef struct VfDirEnt VfDirEnt;
struct VfDirEnt {
  char *d_name;              /* the name */
  unsigned char d_type;      /* DT_* from readdir() */
};

/*
** State of one expansion.
*/
typedef struct VfExpand VfExpand;
struct VfExpand {
  VfFileList *pList;         /* files found so far (unsorted) */
  int nAlloc;                /* slots allocated in pList->azFile */
  char **azSeg;              /* glob: the pattern's segments */
  int nSeg;                  /* glob: number of segments */
  const char *zArg;          /* the path argument as given, for messages */
  char *zErr;                /* first error message, from sqlite3_mprintf */
  int nSkip;                 /* walk: regular files not taken by name */
  char *azSkip[VF_SKIP_NAMES];  /* walk: the first of them, for the error */
  int (*xStop)(void*);       /* nonzero: stop, interrupted (or 0) */
  void *pStopArg;            /* its argument */
  int64_t nDirList;          /* directories listed so far */
  VfSeen *aSeen;             /* hash set of (directory, segment) visited */
  int nSeen, nSeenAlloc;     /* entries used in it, and its size (2^k) */
  int nProb, nProbAlloc;     /* problems met: entries that could not be read */
  char **azProbPath;         /* ... their paths */
  char **azProbWhy;          /* ... and reasons ("cannot read: ...") */
};

/*
** Record an error (the first one wins) and return its code. A zErr of 0
** means the message could not be allocated: report SQLITE_NOMEM.
*/
static int source_expand_error(VfExpand *pX, char *zErr){
  if( zErr==0 ) return SQLITE_NOMEM;
  if( pX->zErr==0 ){
    pX->zErr = zErr;
  }else{
    sqlite3_free(zErr);
  }
  return SQLITE_ERROR;
}

/*
** Append a copy of zFile to the result. Return SQLITE_OK, SQLITE_NOMEM,
** or SQLITE_ERROR if there are too many files.
*/
static int source_expand_add(VfExpand *pX, const char *zFile){
  VfFileList *pList = pX->pList;
  char *zCopy;
  if( pList->nFile>=pX->nAlloc ){
    int nNew;
    char **azNew;
    if( pX->nAlloc>=VF_MAX_FILES ){
      return source_expand_error(pX, sqlite3_mprintf(
          "too many files in '%s' (the limit is %d)", pX->zArg, VF_MAX_FILES));
    }
    nNew = pX->nAlloc ? pX->nAlloc*2 : 64;
    if( nNew>VF_MAX_FILES ) nNew = VF_MAX_FILES;
    azNew = sqlite3_realloc64(pList->azFile, sizeof(char*)*(size_t)nNew);
    if( azNew==0 ) return SQLITE_NOMEM;
    pList->azFile = azNew;
    pX->nAlloc = nNew;
  }
  zCopy = sqlite3_mprintf("%s", zFile);
  if( zCopy==0 ) return SQLITE_NOMEM;
  pList->azFile[pList->nFile++] = zCopy;
  return SQLITE_OK;
}

/*
** Return zDir joined to zName with one '/' between them. zDir "" stands
** for the current directory and gives zName alone. Return 0 on OOM.
*/
static char *source_path_join(const char *zDir, const char *zName){
  size_t n = strlen(zDir);
  if( n==0 ) return sqlite3_mprintf("%s", zName);
  if( zDir[n-1]=='/' ) return sqlite3_mprintf("%s%s", zDir, zName);
  return sqlite3_mprintf("%s/%s", zDir, zName);
}

/* True if some directory on the walk path has the identity of *pSt. */
static int source_dir_on_path(const VfDirId *pUp, const struct stat *pSt){
  for(; pUp; pUp=pUp->pUp){
    if( pUp->dev==pSt->st_dev && pUp->ino==pSt->st_ino ) return 1;
  }
  return 0;
}

/*
** Mark directory *pSt as visited at segment iSeg. Return 1 if it was
** already, 0 if it is new, or -1 on OOM.
*/
static int source_seen(VfExpand *pX, const struct stat *pSt, int iSeg){
  uint64_t h;
  int i;
  if( pX->nSeen*2>=pX->nSeenAlloc ){
    int nNew = pX->nSeenAlloc ? pX->nSeenAlloc*2 : 256, nOld = pX->nSeenAlloc;
    VfSeen *aOld = pX->aSeen, *aNew;
    aNew = sqlite3_malloc64(sizeof(VfSeen)*(size_t)nNew);
    if( aNew==0 ) return -1;
    memset(aNew, 0, sizeof(VfSeen)*(size_t)nNew);
    pX->aSeen = aNew;
    pX->nSeenAlloc = nNew;
    pX->nSeen = 0;
    for(i=0; i<nOld; i++){
      if( aOld[i].bUsed ){
        struct stat st;
        st.st_dev = aOld[i].dev;
        st.st_ino = aOld[i].ino;
        source_seen(pX, &st, aOld[i].iSeg);
      }
    }
    sqlite3_free(aOld);
  }
  h = ((uint64_t)pSt->st_ino * 0x9E3779B97F4A7C15ull)
    ^ ((uint64_t)pSt->st_dev * 0xC2B2AE3D27D4EB4Full) ^ (uint64_t)(iSeg+1);
  h ^= h>>29;
  for(i=(int)(h & (uint64_t)(pX->nSeenAlloc-1)); pX->aSeen[i].bUsed;
      i=(i+1) & (pX->nSeenAlloc-1)){
    VfSeen *pS = &pX->aSeen[i];
    if( pS->dev==pSt->st_dev && pS->ino==pSt->st_ino && pS->iSeg==iSeg ){
      return 1;
    }
  }
  pX->aSeen[i].dev = pSt->st_dev;
  pX->aSeen[i].ino = pSt->st_ino;
  pX->aSeen[i].iSeg = iSeg;
  pX->aSeen[i].bUsed = 1;
  pX->nSeen++;
  return 0;
}

/* True if zName ends in one of the suffixes a directory walk keeps. */
static int source_wanted_name(const char *zName){
  static const char *azSuffix[] = { ".log", ".gz", ".parquet" };
  size_t n = strlen(zName);
  size_t i;
  for(i=0; i<sizeof(azSuffix)/sizeof(azSuffix[0]); i++){
    size_t nSuf = strlen(azSuffix[i]);
    if( n>nSuf && memcmp(zName+n-nSuf, azSuffix[i], nSuf)==0 ) return 1;
  }
  return 0;
}

/* True if z holds a character that makes it a glob pattern. */
static int source_has_glob(const char *z){
  return strpbrk(z, "*?[")!=0;
}

/*
** Record a problem: zPath, met on the walk, could not be read, for the
** reason zWhat + ": " + strerror(eErr) (zWhat alone if eErr is 0). It goes into the result list
** beside the files (VfFileList.azWhy), so that the scan reports it in its
** place, as an error row or, in strict mode, a statement error: a walk
** that dropped it would return a result quietly lacking a subtree.
** Return SQLITE_OK or SQLITE_NOMEM.
*/
static int source_expand_problem(VfExpand *pX, const char *zPath,
                             const char *zWhat, int eErr){
  char *zCopy, *zWhy;
  if( pX->nProb>=pX->nProbAlloc ){
    int nNew = pX->nProbAlloc ? pX->nProbAlloc*2 : 8;
    char **azP, **azW;
    if( pX->nProbAlloc>=VF_MAX_FILES ){
      return source_expand_error(pX, sqlite3_mprintf(
          "too many files in '%s' (the limit is %d)", pX->zArg, VF_MAX_FILES));
    }
    azP = sqlite3_realloc64(pX->azProbPath, sizeof(char*)*(size_t)nNew);
    if( azP==0 ) return SQLITE_NOMEM;
    pX->azProbPath = azP;
    azW = sqlite3_realloc64(pX->azProbWhy, sizeof(char*)*(size_t)nNew);
    if( azW==0 ) return SQLITE_NOMEM;
    pX->azProbWhy = azW;
    pX->nProbAlloc = nNew;
  }
  zCopy = sqlite3_mprintf("%s", zPath[0] ? zPath : ".");
  zWhy = eErr ? sqlite3_mprintf("%s: %s", zWhat, strerror(eErr))
              : sqlite3_mprintf("%s", zWhat);
  if( zCopy==0 || zWhy==0 ){
    sqlite3_free(zCopy);
    sqlite3_free(zWhy);
    return SQLITE_NOMEM;
  }
  pX->azProbPath[pX->nProb] = zCopy;
  pX->azProbWhy[pX->nProb] = zWhy;
  pX->nProb++;
  return SQLITE_OK;
}

/*
** Examine a directory entry with stat() (following symlinks) into *pSt.
** Return SQLITE_OK or SQLITE_NOMEM; *pbSkip is set if there is nothing
** to examine: the entry vanished between being listed and now (ENOENT,
** and lstat() finds no dangling symlink there either: a file rotated
** away), skipped quietly, or it could not be examined (ELOOP, EACCES on
** the way, ENAMETOOLONG, EIO ...), recorded as a problem. A dangling
** symlink is a problem only if bWanted (a name the caller would have
** taken): a broken "current.log" link hides data, a broken link of any
** other name did not point at a log to begin with.
*/
static int source_stat_entry(VfExpand *pX, const char *zPath, struct stat *pSt,
                         int bWanted, int *pbSkip){
  int eErr;
  struct stat lst;
  *pbSkip = 0;
  if( stat(zPath, pSt)==0 ) return SQLITE_OK;
  eErr = errno;
  *pbSkip = 1;
  if( eErr==ENOENT ){
    if( !bWanted || lstat(zPath, &lst)!=0 ) return SQLITE_OK;
    return source_expand_problem(pX, zPath, "dangling symbolic link", eErr);
  }
  return source_expand_problem(pX, zPath, "cannot read", eErr);
}

/* Callback of source_dir_list(), once per entry other than "." and "..". */
typedef int (*VfEntryFn)(VfExpand*, const char *zDir, VfDirEnt*,
                         const VfDirId*, int iArg);

/* qsort() comparison of two directory entries, by name. */
static int source_dirent_cmp(const void *a, const void *b){
  return strcmp(((const VfDirEnt*)a)->d_name, ((const VfDirEnt*)b)->d_name);
}

/*
** Call xEntry for every entry of directory zDir ("" for the current
** directory), in byte order of the names. pHere identifies zDir on the
** walk path; iArg is passed through. Stop at the first nonzero return and
** return it. A directory that cannot be listed is a problem (see
** source_expand_problem). The names are read and sorted before any callback,
** and the directory closed: the result (which of two links to one folder
** names its files) must not depend on the file system's listing order,
** and a deep walk must not hold a descriptor per level. Each listing is a
** point where an interrupt is noticed.
*/
static int source_dir_list(VfExpand *pX, const char *zDir, const VfDirId *pHere,
                       VfEntryFn xEntry, int iArg){
  DIR *pDir;
  int rc = SQLITE_OK, nEnt = 0, nAlloc = 0, i;
  VfDirEnt *aEnt = 0;
  if( pX->xStop && pX->xStop(pX->pStopArg) ) return SQLITE_INTERRUPT;
  pX->nDirList++;
  pDir = opendir(zDir[0] ? zDir : ".");
  if( pDir==0 ){
    return source_expand_problem(pX, zDir, "cannot read directory", errno);
  }
  for(;;){
    struct dirent *pEnt;
    errno = 0;
    pEnt = readdir(pDir);
    if( pEnt==0 ){
      if( errno ){
        rc = source_expand_problem(pX, zDir, "cannot read directory", errno);
      }
      break;
    }
    if( strcmp(pEnt->d_name, ".")==0 || strcmp(pEnt->d_name, "..")==0 ){
      continue;
    }
    if( nEnt>=nAlloc ){
      int nNew = nAlloc ? nAlloc*2 : 32;
      VfDirEnt *aNew = sqlite3_realloc64(aEnt, sizeof(VfDirEnt)*(size_t)nNew);
      if( aNew==0 ){ rc = SQLITE_NOMEM; break; }
      aEnt = aNew;
      nAlloc = nNew;
    }
    aEnt[nEnt].d_name = sqlite3_mprintf("%s", pEnt->d_name);
    if( aEnt[nEnt].d_name==0 ){ rc = SQLITE_NOMEM; break; }
    aEnt[nEnt].d_type = pEnt->d_type;
    nEnt++;
  }
  closedir(pDir);
  if( rc==SQLITE_OK && nEnt>1 ){
    qsort(aEnt, (size_t)nEnt, sizeof(VfDirEnt), source_dirent_cmp);
  }
  for(i=0; i<nEnt && rc==SQLITE_OK; i++){
    if( (i & 1023)==1023 && pX->xStop && pX->xStop(pX->pStopArg) ){
      rc = SQLITE_INTERRUPT;
      break;
    }
    rc = xEntry(pX, zDir, &aEnt[i], pHere, iArg);
  }
  for(i=0; i<nEnt; i++) sqlite3_free(aEnt[i].d_name);
  sqlite3_free(aEnt);
  return rc;
}

static int source_walk_dir(VfExpand*, const char*, const struct stat*,
                       const VfDirId*, int);

/*
** Order of skipped names in the message: by byte value, except that
** names beginning with '.' come last (the others make the better example).
*/
static int source_skip_cmp(const char *a, const char *b){
  const char *za = strrchr(a, '/'), *zb = strrchr(b, '/');
  int da = (za ? za[1] : a[0])=='.', db = (zb ? zb[1] : b[0])=='.';
  if( da!=db ) return da - db;
  return strcmp(a, b);
}

/*
** A regular file the walk does not take (its name): counted, and the
** first few remembered for the message of a walk that finds no log file.
** Return SQLITE_OK or SQLITE_NOMEM.
*/
static int source_walk_skip(VfExpand *pX, const char *zPath){
  const char *zRel = zPath;
  size_t nArg = strlen(pX->zArg);
  int n = pX->nSkip<VF_SKIP_NAMES ? pX->nSkip : VF_SKIP_NAMES, i;
  char *zCopy;
  /* shown relative to the directory given, as the user would glob it */
  if( strncmp(zPath, pX->zArg, nArg)==0 && zPath[nArg]=='/' ){
    zRel = zPath + nArg + 1;
  }
  pX->nSkip++;
  /* Keep the first names in source_skip_cmp() order, not in the order the
  ** directory lists them, so that the message is always the same. */
  if( n==VF_SKIP_NAMES && source_skip_cmp(zRel, pX->azSkip[n-1])>=0 ){
    return SQLITE_OK;
  }
  zCopy = sqlite3_mprintf("%s", zRel);
  if( zCopy==0 ) return SQLITE_NOMEM;
  if( n==VF_SKIP_NAMES ) sqlite3_free(pX->azSkip[--n]);
  for(i=n; i>0 && source_skip_cmp(zCopy, pX->azSkip[i-1])<0; i--){
    pX->azSkip[i] = pX->azSkip[i-1];
  }
  pX->azSkip[i] = zCopy;
  return SQLITE_OK;
}

/*
** source_dir_list() callback of the directory walk: keep wanted regular files,
** descend into directories, count the other regular files (those whose
** names begin with '.' too: they are not read either). iArg is the depth
** of zDir.
*/
static int source_walk_entry(VfExpand *pX, const char *zDir, VfDirEnt *pEnt,
                         const VfDirId *pHere, int iArg){
  struct stat st;
  char *zPath;
  int rc;
  int bWanted;
  bWanted = pEnt->d_name[0]!='.' && source_wanted_name(pEnt->d_name);
  /* d_type saves a stat() per file in the common case; symlinks and file
  ** systems that do not fill it in are examined with stat(). Once a log
  ** file is found, skipped files no longer matter: no path is built. */
  if( pEnt->d_type==DT_REG && !bWanted && pX->pList->nFile>0 ){
    return SQLITE_OK;
  }
  if( pEnt->d_type==DT_DIR && pEnt->d_name[0]=='.' ) return SQLITE_OK;
  zPath = source_path_join(zDir, pEnt->d_name);
  if( zPath==0 ) return SQLITE_NOMEM;
  if( pEnt->d_type==DT_REG ){
    rc = bWanted ? source_expand_add(pX, zPath) : source_walk_skip(pX, zPath);
  }else{
    int bSkip;
    rc = source_stat_entry(pX, zPath, &st, bWanted, &bSkip);
    if( rc==SQLITE_OK && !bSkip ){
      if( S_ISDIR(st.st_mode) ){
        if( pEnt->d_name[0]!='.' ){
          rc = source_walk_dir(pX, zPath, &st, pHere, iArg+1);
        }
      }else if( S_ISREG(st.st_mode) ){
        rc = bWanted ? source_expand_add(pX, zPath) : source_walk_skip(pX, zPath);
      }
    }
  }
  sqlite3_free(zPath);
  return rc;
}

/*
** Walk directory zDir, whose stat() is *pSt, at depth iDepth below the
** starting point. A directory already on the walk path is a symlink loop
** and is not entered again.
*/
static int source_walk_dir(VfExpand *pX, const char *zDir, const struct stat *pSt,
                       const VfDirId *pUp, int iDepth){
  VfDirId here;
  int bSeen;
  if( source_dir_on_path(pUp, pSt) ) return SQLITE_OK;
  /* A folder reached again through another link: its files are listed
  ** already (a DAG of links would otherwise multiply them). */
  bSeen = source_seen(pX, pSt, -1);
  if( bSeen ) return bSeen<0 ? SQLITE_NOMEM : SQLITE_OK;
  if( iDepth>VF_MAX_DEPTH ){
    char zWhy[80];
    snprintf(zWhy, sizeof(zWhy), "directories nested too deeply "
             "(the limit is %d below the path given)", VF_MAX_DEPTH);
    return source_expand_problem(pX, zDir, zWhy, 0);
  }
  here.dev = pSt->st_dev;
  here.ino = pSt->st_ino;
  here.pUp = pUp;
  return source_dir_list(pX, zDir, &here, source_walk_entry, iDepth);
}

static int source_glob_at(VfExpand*, const char*, int, const VfDirId*);

/*
** source_dir_list() callback of a wildcard segment: iArg is the index of the
** segment. Keep matching regular files if it is the last segment, else
** carry on in matching directories.
*/
static int source_glob_entry(VfExpand *pX, const char *zDir, VfDirEnt *pEnt,
                         const VfDirId *pHere, int iArg){
  struct stat st;
  char *zPath;
  int rc;
  int bLast = iArg==pX->nSeg-1;
  if( fnmatch(pX->azSeg[iArg], pEnt->d_name, FNM_PERIOD)!=0 ){
    return SQLITE_OK;
  }
  if( pEnt->d_type==DT_REG && !bLast ) return SQLITE_OK;
  zPath = source_path_join(zDir, pEnt->d_name);
  if( zPath==0 ) return SQLITE_NOMEM;
  if( pEnt->d_type==DT_REG ){
    rc = source_expand_add(pX, zPath);
  }else{
    int bSkip;
    rc = source_stat_entry(pX, zPath, &st, bLast, &bSkip);
    if( rc==SQLITE_OK && !bSkip ){
      if( bLast ){
        if( S_ISREG(st.st_mode) ) rc = source_expand_add(pX, zPath);
      }else if( S_ISDIR(st.st_mode) ){
        rc = source_glob_at(pX, zPath, iArg+1, pHere);
      }
    }
  }
  sqlite3_free(zPath);
  return rc;
}

/*
** source_dir_list() callback of a "**" segment: iArg is the index of the
** segment. Every subdirectory not starting with '.' gets the same "**"
** again, which in turn tries the rest of the pattern there.
*/
static int source_globstar_entry(VfExpand *pX, const char *zDir,
                             VfDirEnt *pEnt, const VfDirId *pHere,
                             int iArg){
  struct stat st;
  char *zPath;
  int rc;
  if( pEnt->d_name[0]=='.' ) return SQLITE_OK;
  if( pEnt->d_type==DT_REG ) return SQLITE_OK;
  zPath = source_path_join(zDir, pEnt->d_name);
  if( zPath==0 ) return SQLITE_NOMEM;
  {
    int bSkip;
    rc = source_stat_entry(pX, zPath, &st, 0, &bSkip);
    if( rc==SQLITE_OK && !bSkip && S_ISDIR(st.st_mode)
     && !source_dir_on_path(pHere, &st) ){
      rc = source_glob_at(pX, zPath, iArg, pHere);
    }
  }
  sqlite3_free(zPath);
  return rc;
}

/*
** Match segments iSeg.. of the pattern below directory zDir ("" for the
** current directory, otherwise a path that exists as a directory). pUp is
** the chain of directories entered through "**" so far.
*/
static int source_glob_at(VfExpand *pX, const char *zDir, int iSeg,
                      const VfDirId *pUp){
  const char *zSeg;
  struct stat st;
  int rc;

  if( iSeg>=pX->nSeg ) return SQLITE_OK;  /* pattern ended on a directory */
  zSeg = pX->azSeg[iSeg];

  if( !source_has_glob(zSeg) ){
    /* A literal segment: no need to list the directory, which also lets a
    ** pattern pass through directories that may be entered but not read. */
    char *zPath = source_path_join(zDir, zSeg);
    if( zPath==0 ) return SQLITE_NOMEM;
    if( stat(zPath, &st)==0 ){
      rc = SQLITE_OK;
      if( iSeg==pX->nSeg-1 ){
        if( S_ISREG(st.st_mode) ) rc = source_expand_add(pX, zPath);
      }else if( S_ISDIR(st.st_mode) ){
        rc = source_glob_at(pX, zPath, iSeg+1, pUp);
      }
    }else if( errno==ENOENT || errno==ENOTDIR ){
      rc = SQLITE_OK;             /* not there: the pattern does not match */
    }else{
      /* there, maybe, but not to be seen (EACCES, ELOOP, ...) */
      rc = source_expand_problem(pX, zPath, "cannot read", errno);
    }
    sqlite3_free(zPath);
    return rc;
  }

  if( strcmp(zSeg, "**")==0 ){
    VfDirId here;
    if( stat(zDir[0] ? zDir : ".", &st) ){
      if( errno==ENOENT ) return SQLITE_OK;  /* vanished since matched */
      return source_expand_problem(pX, zDir, "cannot read", errno);
    }
    if( source_dir_on_path(pUp, &st) ) return SQLITE_OK;
    /* This folder was matched against this "**" already, under another
    ** name (links, or a "**" before this one): nothing new below. */
    rc = source_seen(pX, &st, iSeg);
    if( rc ) return rc<0 ? SQLITE_NOMEM : SQLITE_OK;
    /* Zero directories: the rest of the pattern right here. */
    rc = source_glob_at(pX, zDir, iSeg+1, pUp);
    if( rc ) return rc;
    here.dev = st.st_dev;
    here.ino = st.st_ino;
    here.pUp = pUp;
    return source_dir_list(pX, zDir, &here, source_globstar_entry, iSeg);
  }
  /* The same for a wildcard segment: "**" before it may bring the walk
  ** to one folder by several routes. */
  if( stat(zDir[0] ? zDir : ".", &st)==0 ){
    rc = source_seen(pX, &st, iSeg);
    if( rc ) return rc<0 ? SQLITE_NOMEM : SQLITE_OK;
  }
  return source_dir_list(pX, zDir, pUp, source_glob_entry, iSeg);
}

/*
** Expand zPat as a glob pattern.
*/
static int source_glob(VfExpand *pX, const char *zPat){
  char *zCopy = sqlite3_mprintf("%s", zPat);
  char *z;
  int nMax = 2;
  int rc;
  if( zCopy==0 ) return SQLITE_NOMEM;
  for(z=zCopy; *z; z++){
    if( *z=='/' ) nMax++;
  }
  /* One segment per '/', plus one, plus a "*" after a final "**". */
  pX->azSeg = sqlite3_malloc64(sizeof(char*)*(size_t)nMax);
  if( pX->azSeg==0 ){
    sqlite3_free(zCopy);
    return SQLITE_NOMEM;
  }
  /* Cut the copy into segments in place; empty ones ("a//b", a trailing
  ** '/') are dropped. */
  pX->nSeg = 0;
  for(z=zCopy; *z; ){
    char *zEnd = strchr(z, '/');
    if( zEnd ) *zEnd = 0;
    /* "**" twice in a row matches what one does: keep one, or each
    ** would try every folder below again at every depth */
    if( *z && !(strcmp(z, "**")==0 && pX->nSeg>0
                && strcmp(pX->azSeg[pX->nSeg-1], "**")==0) ){
      pX->azSeg[pX->nSeg++] = z;
    }
    if( zEnd==0 ) break;
    z = zEnd+1;
  }
  /* A final "**" means every file below, as if it were followed by "*". */
  if( pX->nSeg>0 && strcmp(pX->azSeg[pX->nSeg-1], "**")==0 ){
    pX->azSeg[pX->nSeg++] = "*";
  }
  rc = source_glob_at(pX, zPat[0]=='/' ? "/" : "", 0, 0);
  sqlite3_free(pX->azSeg);
  pX->azSeg = 0;
  sqlite3_free(zCopy);
  if( rc==SQLITE_OK && pX->pList->nFile==0 && pX->nProb==0 ){
    rc = source_expand_error(pX, sqlite3_mprintf("no files match '%s'", zPat));
  }
  return rc;
}

/*
** The message of a directory walk that found no log file: what it found
** and skipped, which names are read, and how to name other files. The
** suffix list is source_wanted_name()'s. Return 0 on OOM.
*/
static char *source_nothing_found(VfExpand *pX, const char *zPath){
  sqlite3_str *pStr = sqlite3_str_new(0);
  const char *zSep = zPath[strlen(zPath)-1]=='/' ? "" : "/";
  const char *zBase, *zExt;
  int i;
  if( pX->nSkip==0 ){
    sqlite3_str_appendf(pStr, "no flow log files in '%s': the directory "
                        "and its subdirectories hold no files", zPath);
  }else{
    sqlite3_str_appendf(pStr, "no flow log files in '%s': %d file%s "
                        "skipped (", zPath, pX->nSkip, pX->nSkip>1 ? "s" : "");
    for(i=0; i<pX->nSkip && i<VF_SKIP_NAMES; i++){
      sqlite3_str_appendf(pStr, "%s%s", i ? ", " : "", pX->azSkip[i]);
    }
    sqlite3_str_appendf(pStr, "%s): a directory is read for names ending in "
        ".log, .gz or .parquet (not beginning with '.'); name other files "
        "with a glob, such as ", pX->nSkip>VF_SKIP_NAMES ? ", ..." : "");
    /* the first skipped file's own extension makes the example */
    zBase = strrchr(pX->azSkip[0], '/');
    zBase = zBase ? zBase+1 : pX->azSkip[0];
    zExt = strrchr(zBase, '.');
    if( zExt && zExt>zBase && zExt[1] ){
      sqlite3_str_appendf(pStr, "'%s%s*%s' or ", zPath, zSep, zExt);
    }
    sqlite3_str_appendf(pStr, "'%s%s**' for every file below it "
                        "(names without an extension included)", zPath, zSep);
  }
  if( sqlite3_str_errcode(pStr) ){
    sqlite3_free(sqlite3_str_finish(pStr));
    return 0;
  }
  return sqlite3_str_finish(pStr);
}

/* One entry of the result while it is sorted: a file or a problem. */
typedef struct VfEntry VfEntry;
struct VfEntry {
  char *zFile;               /* the path */
  char *zWhy;                /* why it could not be read, or 0 for a file */
};

/* qsort() comparison of two entries, by the byte values of the names. */
static int source_entry_cmp(const void *a, const void *b){
  return strcmp(((const VfEntry*)a)->zFile, ((const VfEntry*)b)->zFile);
}

/*
** Sort the files and problems of pX into its list, by byte value of the
** names, dropping repeated names (the first entry of a name is kept).
** The problems are moved into the list (pX no longer owns them). Return
** SQLITE_OK or SQLITE_NOMEM.
*/
static int source_expand_finish(VfExpand *pX){
  VfFileList *pList = pX->pList;
  int nAll = pList->nFile + pX->nProb, i, j;
  VfEntry *a;
  char **azFile, **azWhy = 0;
  if( nAll==0 ) return SQLITE_OK;
  a = sqlite3_malloc64(sizeof(VfEntry)*(size_t)nAll);
  azFile = sqlite3_malloc64(sizeof(char*)*(size_t)nAll);
  if( pX->nProb ) azWhy = sqlite3_malloc64(sizeof(char*)*(size_t)nAll);
  if( a==0 || azFile==0 || (pX->nProb && azWhy==0) ){
    sqlite3_free(a);
    sqlite3_free(azFile);
    sqlite3_free(azWhy);
    return SQLITE_NOMEM;
  }
  for(i=0; i<pList->nFile; i++){
    a[i].zFile = pList->azFile[i];
    a[i].zWhy = 0;
  }
  for(j=0; j<pX->nProb; j++, i++){
    a[i].zFile = pX->azProbPath[j];
    a[i].zWhy = pX->azProbWhy[j];
  }
  pX->nProb = 0;                     /* now owned by a[] */
  /* qsort() is not stable: on equal names a problem may come first and
  ** be the one kept, which is as good (the path was met both ways). */
  qsort(a, (size_t)nAll, sizeof(VfEntry), source_entry_cmp);
  for(i=j=0; i<nAll; i++){
    if( j>0 && strcmp(a[i].zFile, azFile[j-1])==0 ){
      sqlite3_free(a[i].zFile);
      sqlite3_free(a[i].zWhy);
      continue;
    }
    azFile[j] = a[i].zFile;
    if( azWhy ) azWhy[j] = a[i].zWhy;
    j++;
  }
  sqlite3_free(a);
  sqlite3_free(pList->azFile);
  pList->azFile = azFile;
  pList->azWhy = azWhy;
  pList->nFile = j;
  return SQLITE_OK;
}

/* See source.h */
int vf_source_expand(const char *zPath, VfFileList *pList, char **pzErr){
  return vf_source_expand_ex(zPath, pList, pzErr, 0, 0);
}

/*
** Expand a path argument. See source.h.
*/
int vf_source_expand_ex(const char *zPath, VfFileList *pList, char **pzErr,
                        int (*xStop)(void*), void *pStopArg){
  VfExpand x;
  struct stat st;
  int rc, i;
  int eStat;                 /* errno of the stat() of zPath, or 0 */

  *pzErr = 0;
  if( zPath==0 || zPath[0]==0 ){
    *pzErr = sqlite3_mprintf("empty path");
    return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  if( vf_s3_is_url(zPath) ){
    /* s3://bucket/prefix: listed by s3.c, into the same list */
    return vf_s3_expand(zPath, pList, pzErr, xStop, pStopArg);
  }
  if( strcmp(zPath, "-")==0 ){
    /* standard input: the reader knows the name (a file called "-" is
    ** still reachable as "./-") */
    memset(&x, 0, sizeof(x));
    x.pList = pList;
    x.zArg = zPath;
    return source_expand_add(&x, zPath);
  }
  memset(&x, 0, sizeof(x));
  x.pList = pList;
  x.zArg = zPath;
  x.xStop = xStop;
  x.pStopArg = pStopArg;

  eStat = stat(zPath, &st)==0 ? 0 : errno;
  if( eStat==0 ){
    if( S_ISDIR(st.st_mode) ){
      /* Drop trailing slashes so that names come out "dir/file". */
      char *zDir = sqlite3_mprintf("%s", zPath);
      size_t n;
      if( zDir==0 ) return SQLITE_NOMEM;
      n = strlen(zDir);
      while( n>1 && zDir[n-1]=='/' ) zDir[--n] = 0;
      x.zArg = zDir;
      rc = source_walk_dir(&x, zDir, &st, 0, 0);
      if( rc==SQLITE_OK && pList->nFile==0 && x.nProb==0 ){
        rc = source_expand_error(&x, source_nothing_found(&x, zPath));
      }
      x.zArg = zPath;
      sqlite3_free(zDir);
    }else{
      /* Any other existing thing is taken as one file: a regular file,
      ** but also a FIFO or /dev/stdin, which the reader can read. */
      rc = source_expand_add(&x, zPath);
    }
  }else if( source_has_glob(zPath) ){
    rc = source_glob(&x, zPath);
  }else{
    rc = source_expand_error(&x, sqlite3_mprintf("cannot open '%s': %s",
                                             zPath, strerror(eStat)));
  }

  if( rc==SQLITE_OK ) rc = source_expand_finish(&x);
  for(i=0; i<x.nSkip && i<VF_SKIP_NAMES; i++) sqlite3_free(x.azSkip[i]);
  for(i=0; i<x.nProb; i++){
    sqlite3_free(x.azProbPath[i]);
    sqlite3_free(x.azProbWhy[i]);
  }
  sqlite3_free(x.azProbPath);
  sqlite3_free(x.azProbWhy);
  sqlite3_free(x.aSeen);
  pList->nDirList = x.nDirList;
  if( rc==SQLITE_INTERRUPT && x.zErr==0 ){
    x.zErr = sqlite3_mprintf("interrupted");
  }
  if( rc ){
    vf_source_free(pList);
    *pzErr = x.zErr;
    if( rc==SQLITE_NOMEM ){
      sqlite3_free(x.zErr);
      *pzErr = 0;
    }
  }
  return rc;
}

/* See source.h */
void vf_source_free(VfFileList *pList){
  int i;
  for(i=0; i<pList->nFile; i++){
    sqlite3_free(pList->azFile[i]);
    if( pList->azWhy ) sqlite3_free(pList->azWhy[i]);
  }
  sqlite3_free(pList->azFile);
  sqlite3_free(pList->azWhy);
  sqlite3_free(pList->aSize);
  pList->nFile = 0;
  pList->azFile = 0;
  pList->azWhy = 0;
  pList->aSize = 0;
}

/*
** Parse exactly n decimal digits at z. Return the value, or -1 if any of
** them is not a digit.
*/
static int source_digits(const char *z, int n){
  int v = 0;
  int i;
  for(i=0; i<n; i++){
    if( z[i]<'0' || z[i]>'9' ) return -1;
    v = v*10 + (z[i]-'0');
  }
  return v;
}

/* 1 if y is a Gregorian leap year. */
static int source_is_leap(int y){
  return (y%4==0 && y%100!=0) || y%400==0;
}

/*
** True if y-m-d is a real calendar date with a plausible year for a log:
** 1970 (the Unix epoch) to 9999.
*/
static int source_valid_date(int y, int m, int d){
  static const unsigned char aLen[12] =
      { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  if( y<1970 || y>9999 || m<1 || m>12 || d<1 ) return 0;
  return d <= aLen[m-1] + (m==2 && source_is_leap(y));
}

/*
** Days from 1970-01-01 to y-m-d (proleptic Gregorian, y>=1), worked out
** from whole years, leap days and month lengths rather than with timegm(),
** which would depend on the process's time zone setup.
*/
static int64_t source_days_from_civil(int y, int m, int d){
  /* Days before the first of each month in a common year. */
  static const short aBefore[12] =
      { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
  int64_t nPast = y - 1;              /* whole years since 0001-01-01 */
  int64_t nDay = 365*nPast + nPast/4 - nPast/100 + nPast/400;
  nDay += aBefore[m-1] + (d-1);
  if( m>2 && source_is_leap(y) ) nDay++;
  /* 1969 whole years, of which 492-19+4 = 477 were leap years. */
  return nDay - (365*1969 + 477);
}

/*
** If z (at a segment start) is "YYYY/MM/DD/", store the date and return 1.
*/
static int source_date_plain(const char *z, int *pY, int *pM, int *pD){
  int y, m, d;
  if( (y = source_digits(z, 4))<0 || z[4]!='/' ) return 0;
  if( (m = source_digits(z+5, 2))<0 || z[7]!='/' ) return 0;
  if( (d = source_digits(z+8, 2))<0 || z[10]!='/' ) return 0;
  if( !source_valid_date(y, m, d) ) return 0;
  *pY = y; *pM = m; *pD = d;
  return 1;
}

/*
** If z (at a segment start) is "year=YYYY/month=MM/day=DD/", store the
** date and return 1.
*/
static int source_date_hive(const char *z, int *pY, int *pM, int *pD){
  int y, m, d;
  if( strncmp(z, "year=", 5)!=0 ) return 0;
  if( (y = source_digits(z+5, 4))<0 || z[9]!='/' ) return 0;
  if( strncmp(z+10, "month=", 6)!=0 ) return 0;
  if( (m = source_digits(z+16, 2))<0 || z[18]!='/' ) return 0;
  if( strncmp(z+19, "day=", 4)!=0 ) return 0;
  if( (d = source_digits(z+23, 2))<0 || z[25]!='/' ) return 0;
  if( !source_valid_date(y, m, d) ) return 0;
  *pY = y; *pM = m; *pD = d;
  return 1;
}

/*
** See source.h. Every segment start is tried, so the last match wins.
** The checks above read each byte only after the ones before it matched,
** and a NUL matches nothing, so they never run past the string's end.
*/
int vf_source_key_date(const char *zPath, int *pY, int *pM, int *pD){
  const char *z = zPath;
  int bFound = 0;
  while( z ){
    int y, m, d;
    if( source_date_plain(z, &y, &m, &d) || source_date_hive(z, &y, &m, &d) ){
      *pY = y; *pM = m; *pD = d;
      bFound = 1;
    }
    z = strchr(z, '/');
    if( z ) z++;
  }
  return bFound;
}

/*
** If z is "_YYYYMMDDTHHMMZ" followed by '_' or '.', set *pEpoch and
** return 1.
*/
static int source_time_token(const char *z, int64_t *pEpoch){
  int y, mo, d, h, mi;
  if( z[0]!='_' ) return 0;
  y = source_digits(z+1, 4);
  if( y<0 ) return 0;
  mo = source_digits(z+5, 2);
  if( mo<0 ) return 0;
  d = source_digits(z+7, 2);
  if( d<0 || z[9]!='T' ) return 0;
  h = source_digits(z+10, 2);
  if( h<0 ) return 0;
  mi = source_digits(z+12, 2);
  if( mi<0 || z[14]!='Z' || (z[15]!='_' && z[15]!='.') ) return 0;
  if( !source_valid_date(y, mo, d) || h>23 || mi>59 ) return 0;
  *pEpoch = source_days_from_civil(y, mo, d)*86400 + h*3600 + mi*60;
  return 1;
}

/*
** See source.h. Only the base name is searched; if it holds several
** tokens the last one wins, as for the folder date.
*/
int vf_source_key_time(const char *zPath, int64_t *pEpoch){
  const char *zBase = strrchr(zPath, '/');
  const char *z;
  int bFound = 0;
  zBase = zBase ? zBase+1 : zPath;
  for(z=strchr(zBase, '_'); z; z=strchr(z+1, '_')){
    int64_t t;
    if( source_time_token(z, &t) ){
      *pEpoch = t;
      bFound = 1;
    }
  }
  return bFound;
}
