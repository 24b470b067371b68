/*
** 2026-12-06
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** plan.c - the query plan of the vpcflow table: xBestIndex's work, file
** pruning and the decision to group a GROUP BY in the scan.
**
** Where it sits in the data flow: SQLite asks vfBestIndex() (the module's
** xBestIndex, registered in vtab.c) which WHERE terms the scan can use;
** the answer travels to xFilter (vtab.c) as idxNum and idxStr, whose
** encoding plan.h documents (THE PLAN). xFilter decodes it once
** (vf_plan_decode) and asks this file to set up the cursor from it: its
** row filters (vf_set_terms), the files it may skip (vf_prune_files), the
** fields it reads (vf_mark_used). The rows themselves are rows.c's.
**
** Usage (what it changes, seen from SQL):
**
**   SELECT ... FROM vpcflow('logs/') WHERE dstport=22 AND start>1700000000;
**     -- both terms filter lines before they become SQL rows, and the
**     -- start range skips S3 files whose 5-minute window cannot match
**   SELECT dstport, count(*) FROM vpcflow('logs/') GROUP BY 1;
**     -- the scan hands SQLite the rows grouped (group.c), no sorter
**
** HOW IT WORKS. vfBestIndex() consumes '=' on the table-valued arguments,
** pushes comparisons of data columns and of log_file into the scan
** (omit=0: SQLite checks every row again, so a term need only be
** conservative), and, for a GROUP BY of data columns only, sizes the
** files by content (plan_estimate_bytes) to decide whether grouped delivery
** fits the memory budget (plan_can_group): the decision is taken here because
** once orderByConsumed is promised the scan cannot decline. The
** expansion of the path made for that sizing is kept for the scan
** (vf_take_plan_files), with a stamp of each file as planning saw it
** (VfStamp, vtab_int.h). Planning a big tree can be interrupted: see
** INTERRUPTS WHILE PLANNING below.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>
#include "plan.h"
#include "rows.h"
#include "catalog.h"
#include "parquet.h"
#include "s3.h"

#ifndef SQLITE_OMIT_VIRTUALTABLE

/* How far a record's end may lie from the 5-minute window its S3 file
** name gives (AWS: the file holds the records whose end falls in that
** window) before file pruning would be wrong. Pruning uses this much
** slack on each side so late or early deliveries are never lost; start
** may lie another aggregation interval plus capture lag (10 min + 1 min)
** earlier, taken generously as one more hour. */
#define VF_PRUNE_SLACK 3600

/*
** Read the next entry of a plan string (see THE PLAN): its op character
** and number. Return a pointer past it, or NULL at the end.
*/
static const char *plan_entry(const char *z, char *pOp, uint64_t *pN){
  uint64_t n = 0;
  if( z==0 || *z==0 ) return 0;
  *pOp = *z++;
  while( *z>='0' && *z<='9' ) n = n*10 + (uint64_t)(*z++ - '0');
  if( *z==',' ) z++;
  *pN = n;
  return z;
}

/*
** Decode plan string idxStr into *pPlan (THE PLAN, plan.h). The string is
** vfBestIndex()'s own, so its entries fit: at most VF_MAX_TERMS terms and
** VF_GROUP_MAX_KEY keys (any beyond are ignored).
*/
void vf_plan_decode(const char *idxStr, VfPlan *pPlan){
  const char *z = idxStr;
  char op;
  uint64_t n;
  pPlan->nTerm = 0;
  pPlan->nKey = 0;
  pPlan->mColUsed = ~(uint64_t)0;          /* no plan entry: assume all */
  while( (z = plan_entry(z, &op, &n))!=0 ){
    if( op=='u' ){
      pPlan->mColUsed = n;
    }else if( op=='k' || op=='K' ){
      if( pPlan->nKey<VF_GROUP_MAX_KEY ){
        pPlan->aKey[pPlan->nKey].iCol = (int)n;
        pPlan->aKey[pPlan->nKey].bDesc = op=='K';
        pPlan->nKey++;
      }
    }else if( pPlan->nTerm<VF_MAX_TERMS ){
      pPlan->aTerm[pPlan->nTerm].op = op;
      pPlan->aTerm[pPlan->nTerm].iCol = (int)n;
      pPlan->nTerm++;
    }
  }
}

/*
** Set up the cursor's terms from the plan's terms and their nVal values
** (see THE PLAN). Only terms on data columns become row filters.
*/
int vf_set_terms(VfCursor *pCur, const VfPlan *pPlan, int nVal,
               sqlite3_value **apVal){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  int iVal, rc = SQLITE_OK;
  for(iVal=0; rc==SQLITE_OK && iVal<pPlan->nTerm && iVal<nVal; iVal++){
    char op = pPlan->aTerm[iVal].op;
    int iCol = pPlan->aTerm[iVal].iCol;
    if( iCol<pTab->nCol && pTab->aColKind[iCol]==VF_COL_DATA
     && pCur->nTerm<VF_MAX_TERMS ){
      int iSlot = pTab->aColSlot[iCol];
      rc = vf_term_init(&pCur->aTerm[pCur->nTerm], iSlot, op,
                        pTab->aSlot[iSlot].eType==VF_INT, apVal[iVal]);
      pCur->nTerm++;
    }
  }
  return rc;
}

/* 1 if text z[0..n-1] satisfies term p as a value of a text column. */
static int plan_text_passes(const VfTerm *p, const char *z){
  return vf_term_test(p, 0, 0, z, strlen(z));
}

/*
** Drop files no row of which can satisfy the plan: '=' or IN on log_file,
** and start/end ranges against the 5-minute window of an S3 file name
** (widened by VF_PRUNE_SLACK on each side). Conservative: a file without
** a time in its name is always read.
*/
void vf_prune_files(VfCursor *pCur, const VfPlan *pPlan, int nVal,
                  sqlite3_value **apVal){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  int64_t loEnd = INT64_MIN, hiEnd = INT64_MAX;
  int64_t loStart = INT64_MIN, hiStart = INT64_MAX;
  VfTerm aFile[4];
  int nFile = 0, iVal, i, j;

  for(iVal=0; iVal<pPlan->nTerm && iVal<nVal; iVal++){
    char op = pPlan->aTerm[iVal].op;
    int iCol = pPlan->aTerm[iVal].iCol;
    if( iCol<pTab->nCol ){
      int eKind = pTab->aColKind[iCol];
      if( eKind==VF_COL_FILE && (op==VF_OP_EQ || op==VF_OP_IN) && nFile<4 ){
        if( vf_term_init(&aFile[nFile], -1, op, 0, apVal[iVal])==SQLITE_OK ){
          nFile++;
        }else{
          vf_term_clear(&aFile[nFile]);
        }
      }else if( eKind==VF_COL_DATA ){
        const VfSlot *pSlot = &pTab->aSlot[pTab->aColSlot[iCol]];
        if( pSlot->iCat==11 || pSlot->iCat==10 ){   /* end, start */
          VfTerm t;
          if( vf_term_init(&t, -1, op, 1, apVal[iVal])==SQLITE_OK ){
            if( pSlot->iCat==11 ) vf_term_bounds(&t, &loEnd, &hiEnd);
            else vf_term_bounds(&t, &loStart, &hiStart);
          }
          vf_term_clear(&t);
        }
      }
    }
  }
  for(i=j=0; i<pCur->files.nFile; i++){
    char *zFile = pCur->files.azFile[i];
    char *zWhy = pCur->files.azWhy ? pCur->files.azWhy[i] : 0;
    int bKeep = 1, k;
    int64_t t;
    if( zWhy ){
      /* A problem of the walk is always kept: the folder it could not
      ** read may hold files the terms would have taken. */
      if( pCur->aStamp ) pCur->aStamp[j] = pCur->aStamp[i];
      if( pCur->files.aSize ) pCur->files.aSize[j] = pCur->files.aSize[i];
      pCur->files.azFile[j] = zFile;
      pCur->files.azWhy[j++] = zWhy;
      continue;
    }
    if( nFile>0 ){
      /* compared as log_file shows the name */
      int bNoMem;
      char *zShown = vf_errlog_name(zFile, &bNoMem);
      if( bNoMem ) zShown = 0;      /* then as is: a row too many is safe */
      for(k=0; k<nFile && bKeep; k++){
        bKeep = plan_text_passes(&aFile[k], zShown ? zShown : zFile);
      }
      sqlite3_free(zShown);
    }
    if( bKeep && vf_source_key_time(zFile, &t) ){
      int64_t lo = t - VF_PRUNE_SLACK, hi = t + 300 + VF_PRUNE_SLACK;
      if( hiEnd<lo || loEnd>hi ) bKeep = 0;
      if( hiStart<lo-VF_PRUNE_SLACK || loStart>hi ) bKeep = 0;
    }
    if( bKeep ){
      if( pCur->aStamp ) pCur->aStamp[j] = pCur->aStamp[i];
      if( pCur->files.aSize ) pCur->files.aSize[j] = pCur->files.aSize[i];
      pCur->files.azFile[j] = zFile;
      if( pCur->files.azWhy ) pCur->files.azWhy[j] = 0;
      j++;
    }else{
      sqlite3_free(zFile);
      pCur->nPruned++;
    }
  }
  pCur->files.nFile = j;
  while( nFile>0 ) vf_term_clear(&aFile[--nFile]);
}

/*
** Which data slots the statement reads (aSlotUsed): the columns of
** colUsed, "start" for dt, and the slots of pushed-down terms. Records
** parsed ahead keep only these; a Parquet file decodes only these.
*/
void vf_mark_used(VfCursor *pCur){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  int i, bAll = (pCur->mColUsed>>63)!=0;
  memset(pCur->aSlotUsed, bAll, (size_t)pTab->nSlot);
  for(i=0; i<pTab->nCol && i<63 && !bAll; i++){
    int iStart;
    if( (pCur->mColUsed & ((uint64_t)1<<i))==0 ) continue;
    if( pTab->aColKind[i]==VF_COL_ROW ){      /* a C reader: every field */
      memset(pCur->aSlotUsed, 1, (size_t)pTab->nSlot);
      break;
    }else if( pTab->aColKind[i]==VF_COL_DATA ){
      pCur->aSlotUsed[pTab->aColSlot[i]] = 1;
    }else if( pTab->aColKind[i]==VF_COL_DT && (iStart = vfStartSlot(pTab))>=0 ){
      pCur->aSlotUsed[iStart] = 1;
    }
  }
  for(i=0; i<pCur->nTerm; i++) pCur->aSlotUsed[pCur->aTerm[i].iSlot] = 1;
}

/*
** Bytes of text a scan of file zFile will decode, estimated by content,
** not by name: a Parquet file (magic "PAR1") counts 100 bytes for each
** row its footer declares (a default-format line is about that long);
** a gzip file (magic 1f 8b) counts its uncompressed size from the
** trailer's ISIZE, at least 8 times its own size (ISIZE is the size
** modulo 4 GiB of the last member only); anything else its size. Only
** regular files are opened: naming a FIFO must not block the planner.
** If pStamp is not NULL and not yet set, it records the file as stat()
** saw it, before it was opened here (VfStamp).
** An s3:// object is not fetched to be sized: nListed is the size its
** listing gave (-1 unknown: 0), gzip by name taken as 8 times that, as
** for a local gzip file without its trailer. (Fetching it here would
** download it twice when the scan then groups it.)
*/
static int64_t plan_file_bytes(const char *zFile, int64_t nListed,
                           VfStamp *pStamp){
  struct stat st;
  unsigned char a[4];
  int64_t n;
  int fd;
  if( vf_s3_is_url(zFile) ){
    size_t nName = strlen(zFile);
    if( nListed<0 ) return 0;
    if( nName>3 && strcmp(zFile+nName-3, ".gz")==0 ) return nListed*8;
    return nListed;
  }
  if( stat(zFile, &st)!=0 ) return 0;
  n = (int64_t)st.st_size;
  if( pStamp && pStamp->nSize<0 && S_ISREG(st.st_mode) ){
    pStamp->nSize = n;
    pStamp->iMtime = (int64_t)st.st_mtim.tv_sec*1000000000 + st.st_mtim.tv_nsec;
    pStamp->iIno = (uint64_t)st.st_ino;
    pStamp->iDev = (uint64_t)st.st_dev;
  }
  if( !S_ISREG(st.st_mode) || n<4 ) return n;
  fd = open(zFile, O_RDONLY|O_CLOEXEC);
  if( fd<0 ) return n;
  if( pread(fd, a, 4, 0)==4 ){
    if( vf_parquet_magic(a, 4) ){
      VfParquet *pPq = 0;
      char zErr[256];
      if( vf_parquet_open(zFile, &pPq, zErr, sizeof(zErr))==0 ){
        int64_t nRow = vf_parquet_row_count(pPq);
        if( nRow>0 && nRow*100>n ) n = nRow*100;
      }
      vf_parquet_close(pPq);
    }else if( a[0]==0x1f && a[1]==0x8b ){
      int64_t nSize = n*8;
      if( pread(fd, a, 4, st.st_size-4)==4 ){
        int64_t nIsize = (int64_t)a[0] | (int64_t)a[1]<<8
                       | (int64_t)a[2]<<16 | (int64_t)a[3]<<24;
        if( nIsize>nSize ) nSize = nIsize;
      }
      n = nSize;
    }
  }
  close(fd);
  return n;
}

/* Bytes of text a scan of the files will decode (plan_file_bytes each);
** aStamp (NULL, or one per file) records the files not seen before. */
int64_t vf_files_bytes(const VfFileList *pFiles, VfStamp *aStamp,
                     int (*xStop)(void*), void *pStopArg){
  int64_t n = 0;
  int i;
  for(i=0; i<pFiles->nFile; i++){
    /* every file is opened: now and then, look for an interrupt */
    if( xStop && (i & 63)==63 && xStop(pStopArg) ) return -1;
    n += plan_file_bytes(pFiles->azFile[i], pFiles->aSize ? pFiles->aSize[i] : -1,
                     aStamp ? &aStamp[i] : 0);
  }
  return n;
}

/* A stamp per file, each "not seen yet"; NULL if out of memory. */
VfStamp *vf_new_stamps(int nFile){
  VfStamp *a = sqlite3_malloc64(sizeof(VfStamp)*(size_t)(nFile>0 ? nFile : 1));
  int i;
  for(i=0; a && i<nFile; i++) a[i].nSize = -1;
  return a;
}

/*
** INTERRUPTS WHILE PLANNING. Planning a GROUP BY expands the path and
** sizes its files (plan_estimate_bytes), which may take long on a big tree;
** an interrupt must stop it. SQLite 3.40 has no sqlite3_is_interrupted()
** (3.41 does): the flag is seen by stepping a probe statement, but a
** statement that starts while no other one runs clears the flag first
** (sqlite3_step(), and sqlite3_prepare() too), and while a statement is
** prepared none runs, so the probe never saw an interrupt and the
** expansion ran on (verified with 3.40.1: interrupt, then prepare or
** step "SELECT 1": 0 and SQLITE_ROW; the same with another statement
** held after its first row: SQLITE_INTERRUPT). So plan_hold() steps
** pPlanHold to its first row and holds it there while planning expands:
** an interrupt from then on stays set and the probe returns
** SQLITE_INTERRUPT. (One that comes before the hold starts is lost, as
** SQLite loses an interrupt when no statement runs.)
**
** The statement being prepared cannot fail with SQLITE_INTERRUPT from
** xBestIndex (an error there is SQLITE_ERROR), and its first step would
** clear the flag again. So the table remembers the interrupt (bPlanIntr,
** for the path, VF_PLAN_KEEP_MS): every plan made from then on carries
** VF_PLAN_INTR in idxNum, and the first xFilter of such a plan fails
** with SQLITE_INTERRUPT, "interrupted", before reading anything. Once
** delivered it is forgotten: the same statement reset and stepped again
** (its plan still carries the flag) runs, as any retried statement does.
*/
/* Hold pPlanHold (bOn) or let it go (0). */
static void plan_hold(VfTable *pTab, int bOn){
  if( bOn && !pTab->bPlanHeld ){
    if( pTab->pPlanHold==0
     && sqlite3_prepare_v2(pTab->db, "VALUES(1),(2)", -1, &pTab->pPlanHold,
                           0) ){
      return;
    }
    /* SQLITE_INTERRUPT here: the interrupt came during this very step */
    pTab->bPlanHeld = 1;
    if( sqlite3_step(pTab->pPlanHold)==SQLITE_INTERRUPT ) pTab->bPlanIntr = 1;
  }else if( !bOn && pTab->bPlanHeld ){
    sqlite3_reset(pTab->pPlanHold);
    pTab->bPlanHeld = 0;
  }
}

/* vf_source_expand_ex() stop callback while planning: 1 if interrupted
** (remembered in bPlanIntr). */
static int plan_stop(void *pArg){
  VfTable *pTab = (VfTable*)pArg;
  int rc;
  if( pTab->bPlanIntr ) return 1;
  if( pTab->pPlanProbe==0
   && sqlite3_prepare_v2(pTab->db, "SELECT 1", -1, &pTab->pPlanProbe, 0) ){
    return 0;
  }
  rc = sqlite3_step(pTab->pPlanProbe);
  sqlite3_reset(pTab->pPlanProbe);
  if( rc==SQLITE_INTERRUPT ) pTab->bPlanIntr = 1;
  return pTab->bPlanIntr;
}

/* Now in ms, from the VFS's clock (as SQLite's own date functions). */
static sqlite3_int64 plan_now_ms(void){
  sqlite3_int64 t = 0;
  sqlite3_vfs *pVfs = sqlite3_vfs_find(0);
  if( pVfs && pVfs->iVersion>=2 && pVfs->xCurrentTimeInt64 ){
    pVfs->xCurrentTimeInt64(pVfs, &t);
  }
  return t;
}

/*
** How long a planning expansion stays good for the scan (ms). The usual
** prepare-then-step follows at once; a statement prepared and stepped
** much later expands again, to see the files as they are then.
*/
#define VF_PLAN_KEEP_MS 2000

/*
** Forget the planning expansion; if zPath matches it and it is fresh,
** move it into *pOut instead and return 1.
*/
int vf_take_plan_files(VfTable *pTab, const char *zPath,
                    VfFileList *pOut, VfCursor *pCur){
  int bTake = pTab->zPlanPath && zPath && strcmp(pTab->zPlanPath, zPath)==0
           && plan_now_ms() - pTab->iPlanTime <= VF_PLAN_KEEP_MS;
  if( bTake ){
    *pOut = pTab->planFiles;
    memset(&pTab->planFiles, 0, sizeof(pTab->planFiles));
    /* what planning saw of the files goes with them (VfStamp) */
    pCur->aStamp = pTab->aPlanStamp;
    pCur->nStampBytes = pTab->aPlanStamp ? pTab->nPlanBytes : -1;
    pTab->aPlanStamp = 0;
  }
  sqlite3_free(pTab->aPlanStamp);
  pTab->aPlanStamp = 0;
  vf_source_free(&pTab->planFiles);
  sqlite3_free(pTab->zPlanPath);
  pTab->zPlanPath = 0;
  return bTake;
}

/*
** Bytes a scan of zPath will decode, estimated by content (plan_file_bytes),
** or -1 if zPath cannot be listed, -2 if interrupted (bPlanIntr).
** The expansion is kept in pTab for the scan (vf_take_plan_files), and one
** kept already for the same path, made less than VF_PLAN_KEEP_MS ago, is
** used: SQLite may plan a statement several times, and a tree of many
** folders is listed once. The files are stamped afresh each time.
*/
static int64_t plan_estimate_bytes(VfTable *pTab, const char *zPath){
  char *zErr = 0;
  VfFileList *pFiles = &pTab->planFiles;
  if( pTab->bPlanIntr ){
    /* interrupted while planning this path a moment ago: do not expand
    ** it again (the plan carries VF_PLAN_INTR) */
    if( pTab->zIntrPath && strcmp(pTab->zIntrPath, zPath)==0
     && plan_now_ms() - pTab->iIntrTime <= VF_PLAN_KEEP_MS ){
      return -2;
    }
    pTab->bPlanIntr = 0;
  }
  plan_hold(pTab, 1);
  if( !pTab->bPlanIntr
   && (pTab->zPlanPath==0 || strcmp(pTab->zPlanPath, zPath)!=0
       || plan_now_ms() - pTab->iPlanTime > VF_PLAN_KEEP_MS) ){
    vf_take_plan_files(pTab, 0, 0, 0);
    if( vf_source_expand_ex(zPath, pFiles, &zErr, plan_stop, pTab) ){
      sqlite3_free(zErr);
      vf_source_free(pFiles);
    }else{
      pTab->zPlanPath = sqlite3_mprintf("%s", zPath);
      if( pTab->zPlanPath==0 ) vf_source_free(pFiles);
      pTab->iPlanTime = plan_now_ms();
    }
  }
  if( pTab->zPlanPath && !pTab->bPlanIntr ){
    /* Stamp the files as this planning sees them. Stamps kept from an
    ** earlier planning belong to a statement that never took them (one
    ** that failed or was interrupted before its scan, an EXPLAIN): a file
    ** rewritten since would look changed under this statement's scan.
    ** Out of memory: no stamps, and the scan stamps what it opens. */
    sqlite3_free(pTab->aPlanStamp);
    pTab->aPlanStamp = vf_new_stamps(pFiles->nFile);
    pTab->nPlanBytes = vf_files_bytes(pFiles, pTab->aPlanStamp, plan_stop,
                                    pTab);
  }
  plan_hold(pTab, 0);
  if( pTab->bPlanIntr ){
    vf_take_plan_files(pTab, 0, 0, 0);
    sqlite3_free(pTab->zIntrPath);
    pTab->zIntrPath = sqlite3_mprintf("%s", zPath);
    pTab->iIntrTime = plan_now_ms();
    return -2;
  }
  return pTab->zPlanPath ? pTab->nPlanBytes : -1;
}

/*
** 1 (-1 if interrupted while sizing the files, 0 otherwise) if the scan should deliver rows grouped for a GROUP BY (the plan's
** 'k'/'K' entries): SQLite says it needs rows grouped only
** (sqlite3_vtab_distinct()==1), every GROUP BY term is a data column, the
** statement uses no log_file/log_line/dt and at most VF_GROUP_MAX_VAL (32)
** data columns with the keys, and
** the data, estimated by content (plan_file_bytes), fits the memory budget with
** room to spare (budget >= estimate/2: the benchmark's grouped rows took
** up to about half the text they came from). Deciding here, before
** promising SQLite the order, is what keeps the promise: past this point
** the scan cannot decline. iPathCons is the constraint with the
** table-valued path, or -1. The budget is VPCFLOW_GROUP_MB (pSet).
*/
static int plan_can_group(VfTable *pTab, sqlite3_index_info *pInfo,
                      int iPathCons, const VfSettings *pSet){
  int64_t nBudget = pSet->nGroupBudget, nEst;
  int i, nUsed = 0;
  const char *zPath = pTab->zPath;
  /* Measured (README, Speed): with the grouping on a second thread and in
  ** cache, keys of one or more columns beat SQLite's sorter, even when
  ** nearly every row is its own group (pairs of addresses). So every
  ** GROUP BY of table columns is grouped; VPCFLOW_GROUP=off turns it off. */
  if( !pSet->bGroup ) return 0;
  if( nBudget==0 || pInfo->nOrderBy<1 || pInfo->nOrderBy>VF_GROUP_MAX_KEY ){
    return 0;
  }
  if( sqlite3_vtab_distinct(pInfo)!=1 ) return 0;
  for(i=0; i<pInfo->nOrderBy; i++){
    int iCol = pInfo->aOrderBy[i].iColumn;
    if( iCol<0 || pTab->aColKind[iCol]!=VF_COL_DATA ) return 0;
  }
  if( pInfo->colUsed & ((sqlite3_uint64)1<<63) ) return 0;
  for(i=0; i<pTab->nCol && i<63; i++){
    if( (pInfo->colUsed & ((sqlite3_uint64)1<<i))==0 ) continue;
    switch( pTab->aColKind[i] ){
      case VF_COL_DATA: nUsed++; break;
      case VF_COL_FILE: case VF_COL_LINE: case VF_COL_DT: case VF_COL_ROW:
        return 0;
      default: break;
    }
  }
  if( nUsed + pInfo->nOrderBy > VF_GROUP_MAX_VAL ) return 0;
  if( pTab->bTvf ){
    sqlite3_value *pVal = 0;
    if( iPathCons<0 || sqlite3_vtab_rhs_value(pInfo, iPathCons, &pVal)!=SQLITE_OK
     || sqlite3_value_type(pVal)!=SQLITE_TEXT ){
      return 0;                  /* a path not known yet: cannot size it */
    }
    zPath = (const char*)sqlite3_value_text(pVal);
  }
  if( zPath==0 ) return 0;
  nEst = plan_estimate_bytes(pTab, zPath);
  if( nEst==-2 ) return -1;                /* interrupted */
  return nEst>=0 && nEst/2<=nBudget;
}

/*
** Choose the plan; see THE PLAN (plan.h) for the encoding. '=' on
** the argument columns is consumed (omit=1). Comparisons of data columns
** and of log_file with a value are pushed into the scan with omit=0. The
** table-valued form cannot run without its path.
*/
int vfBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *pInfo){
  VfTable *pTab = (VfTable*)pVtab;
  int aArg[3] = { -1, -1, -1 };   /* constraint index for path/fmt/strict */
  int bPathUnusable = 0, i, iArgv = 1, idxNum = 0, nTerm = 0, eGroup;
  double rRows = 1000000.0;
  sqlite3_str *pPlan;
  VfSettings set;

  for(i=0; i<pInfo->nConstraint; i++){
    const struct sqlite3_index_constraint *pC = &pInfo->aConstraint[i];
    int eKind, k;
    if( pC->iColumn<0 ) continue;
    eKind = pTab->aColKind[pC->iColumn];
    if( eKind==VF_COL_EXTRA ){
      /* usable or not: the statement is wrong whatever the plan */
      sqlite3_free(pVtab->zErrMsg);
      pVtab->zErrMsg = sqlite3_mprintf(pTab->bTvf ?
          "vpcflow: too many arguments: vpcflow(path, format, strict) "
          "takes at most 3" :
          "vpcflow: a table created with CREATE VIRTUAL TABLE takes no "
          "arguments: its path, format and strict were given when it was "
          "created");
      return pVtab->zErrMsg ? SQLITE_ERROR : SQLITE_NOMEM;
    }
    if( eKind<VF_COL_PATH || eKind>VF_COL_STRICT ) continue;
    if( pC->op!=SQLITE_INDEX_CONSTRAINT_EQ ) continue;
    k = eKind - VF_COL_PATH;
    if( !pC->usable ){
      if( k==0 ) bPathUnusable = 1;
      continue;
    }
    aArg[k] = i;
  }
  /* No path: when it exists but cannot be used yet (a join), ask for
  ** another plan. When it is absent, do not fail here: SQLite also asks
  ** about sub-plans of OR terms without it. Cost the plan out of reach
  ** instead; xFilter reports the missing path if it is ever run. */
  if( pTab->bTvf && aArg[0]<0 && bPathUnusable ) return SQLITE_CONSTRAINT;
  for(i=0; i<3; i++){
    if( aArg[i]<0 ) continue;
    pInfo->aConstraintUsage[aArg[i]].argvIndex = iArgv++;
    pInfo->aConstraintUsage[aArg[i]].omit = 1;
    idxNum |= VF_PLAN_PATH<<i;          /* _PATH, _FORMAT, _STRICT */
  }

  /* The terms to push down. */
  pPlan = sqlite3_str_new(0);
  for(i=0; i<pInfo->nConstraint && nTerm<VF_MAX_TERMS; i++){
    const struct sqlite3_index_constraint *pC = &pInfo->aConstraint[i];
    int eKind, bText;
    char op;
    if( !pC->usable || pC->iColumn<0 ) continue;
    eKind = pTab->aColKind[pC->iColumn];
    if( eKind!=VF_COL_DATA && eKind!=VF_COL_FILE ) continue;
    op = pC->op==VF_CONSTRAINT_CIDR ? VF_OP_CIDR : vf_filter_op(pC->op);
    if( op==0 ) continue;
    bText = eKind==VF_COL_FILE
         || pTab->aSlot[pTab->aColSlot[pC->iColumn]].eType!=VF_INT;
    if( eKind==VF_COL_FILE && op!=VF_OP_EQ ) continue;
    if( op==VF_OP_CIDR && (bText==0 || eKind!=VF_COL_DATA) ) continue;
    if( bText && op!=VF_OP_ISNULL && op!=VF_OP_NOTNULL && op!=VF_OP_CIDR ){
      /* Text is compared byte by byte: only for the BINARY collation. */
      const char *zColl = sqlite3_vtab_collation(pInfo, i);
      if( zColl && sqlite3_stricmp(zColl, "BINARY")!=0 ) continue;
    }
    if( op==VF_OP_EQ && sqlite3_vtab_in(pInfo, i, 1) ) op = VF_OP_IN;
    pInfo->aConstraintUsage[i].argvIndex = iArgv++;
    pInfo->aConstraintUsage[i].omit = 0;
    sqlite3_str_appendf(pPlan, "%c%d,", op, pC->iColumn);
    nTerm++;
    rRows *= (op==VF_OP_EQ || op==VF_OP_IN) ? 0.1 : 0.5;
  }
  vf_settings_read(&set);          /* this planning's switches */
  eGroup = plan_can_group(pTab, pInfo, aArg[0], &set);
  if( eGroup<0 ) idxNum |= VF_PLAN_INTR;
  if( eGroup>0 ){
    for(i=0; i<pInfo->nOrderBy; i++){
      sqlite3_str_appendf(pPlan, "%c%d,", pInfo->aOrderBy[i].desc ? 'K' : 'k',
                          pInfo->aOrderBy[i].iColumn);
    }
    pInfo->orderByConsumed = 1;
    idxNum |= VF_PLAN_GROUPED;
  }
  sqlite3_str_appendf(pPlan, "u%llu,", (unsigned long long)pInfo->colUsed);
  if( sqlite3_str_errcode(pPlan) ){
    sqlite3_free(sqlite3_str_finish(pPlan));
    return SQLITE_NOMEM;
  }
  pInfo->idxStr = sqlite3_str_finish(pPlan);
  pInfo->needToFreeIdxStr = 1;
  pInfo->idxNum = idxNum;
  /* Every plan reads the files once: cost it like a million-row scan so
  ** SQLite keeps it on the outside of joins. Pushed terms save SQLite's
  ** per-row work, a little. */
  pInfo->estimatedCost = 1e6 - 1000.0*nTerm;
  pInfo->estimatedRows = (sqlite3_int64)(rRows<1 ? 1 : rRows);
  if( pTab->bTvf && aArg[0]<0 ){
    pInfo->estimatedCost = 1e300;
    pInfo->estimatedRows = 2147483647;
  }
  return SQLITE_OK;
}

#endif /* SQLITE_OMIT_VIRTUALTABLE */
