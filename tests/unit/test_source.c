/*
** test_source.c - cmocka tests of ext/source.c.
**
** The group setup builds this tree in a fresh mkdtemp() directory T:
**
**   T/a.log  T/b.log  T/c.gz  T/d.txt  T/e.log.parquet  T/.hidden.log
**   T/x[1].log  T/x1.log  T/link.log -> sub/f.log  T/dangling.log -> nowhere
**   T/a/b/j.log  T/a/b/notlog.txt  T/a/m/b/k.log
**   T/sub/f.log  T/sub/g.log.gz  T/sub/.dot/h.gz  T/sub/deep/er/i.gz
**   T/sub/loop -> ..     (a symlink loop back to T)
**   T/empty/             (no files)
**   T/plain/readme.txt   (no file a walk keeps)
**   T/skipped/z.csv  T/skipped/flows  T/skipped/a.txt  T/skipped/.dot.log
**   T/skipped/in/y.json  (five files, none a walk keeps)
**
** Every expected list below is written out by hand from that tree. Tests
** that use relative paths chdir() into T and back.
*/
/* nftw() is an XSI function and setgroups() (test.h) a BSD one: ask for
** both before any header. */
#define _GNU_SOURCE
#include "test.h"
#include <ftw.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <fcntl.h>
#include <unistd.h>
#include "source.h"

static char gDir[64];         /* T */
static char gCwd[4096];       /* the working directory to return to */

static int rm_entry(const char *zPath, const struct stat *pSt, int eType,
                    struct FTW *pFtw){
  (void)pSt; (void)pFtw;
  if( eType==FTW_DP ) chmod(zPath, 0700);   /* in case a test locked it */
  return remove(zPath);
}

/* Create file T/zRel (and nothing else). */
static void mk_file(const char *zRel){
  char zPath[512];
  FILE *f;
  snprintf(zPath, sizeof(zPath), "%s/%s", gDir, zRel);
  f = fopen(zPath, "w");
  assert_non_null(f);
  fputs("x\n", f);
  fclose(f);
}

static void mk_dir(const char *zRel){
  char zPath[512];
  snprintf(zPath, sizeof(zPath), "%s/%s", gDir, zRel);
  assert_int_equal(mkdir(zPath, 0755), 0);
}

static void mk_link(const char *zTarget, const char *zRel){
  char zPath[512];
  snprintf(zPath, sizeof(zPath), "%s/%s", gDir, zRel);
  assert_int_equal(symlink(zTarget, zPath), 0);
}

static int group_setup(void **state){
  static const char *azDir[] = {
    "a", "a/b", "a/m", "a/m/b", "sub", "sub/.dot", "sub/deep",
    "sub/deep/er", "empty", "plain", "skipped", "skipped/in",
  };
  static const char *azFile[] = {
    "a.log", "b.log", "c.gz", "d.txt", "e.log.parquet", ".hidden.log",
    "x[1].log", "x1.log", "a/b/j.log", "a/b/notlog.txt", "a/m/b/k.log",
    "sub/f.log", "sub/g.log.gz", "sub/.dot/h.gz", "sub/deep/er/i.gz",
    "plain/readme.txt", "skipped/z.csv", "skipped/flows", "skipped/a.txt",
    "skipped/.dot.log", "skipped/in/y.json",
  };
  size_t i;
  (void)state;
  if( getcwd(gCwd, sizeof(gCwd))==0 ) return -1;
  strcpy(gDir, "/tmp/vf_source_XXXXXX");
  if( mkdtemp(gDir)==0 ) return -1;
  if( chmod(gDir, 0755) ) return -1;      /* for the tests run as nobody */
  for(i=0; i<sizeof(azDir)/sizeof(azDir[0]); i++) mk_dir(azDir[i]);
  for(i=0; i<sizeof(azFile)/sizeof(azFile[0]); i++) mk_file(azFile[i]);
  mk_link("sub/f.log", "link.log");
  mk_link("nowhere", "dangling.log");
  mk_link("..", "sub/loop");
  return 0;
}

static int group_teardown(void **state){
  (void)state;
  if( chdir(gCwd) ) return -1;
  return nftw(gDir, rm_entry, 16, FTW_DEPTH|FTW_PHYS);
}

/*
** Expand zPath and compare the result with the NULL-terminated list
** azWant. If bRel is 0 each expected name is prefixed with "T/". A
** problem of the walk (VfFileList.azWhy) is expected as "NAME\tREASON".
*/
static void expect_files(const char *zPath, int bRel, const char **azWant){
  VfFileList list = {0};
  char *zErr = 0;
  int i, nWant = 0;
  int rc = vf_source_expand(zPath, &list, &zErr);
  if( rc ) fail_msg("expand '%s': rc=%d %s", zPath, rc, zErr ? zErr : "");
  assert_null(zErr);
  while( azWant[nWant] ) nWant++;
  for(i=0; i<list.nFile && i<nWant; i++){
    char zWant[512];
    if( bRel ){
      snprintf(zWant, sizeof(zWant), "%s", azWant[i]);
    }else{
      snprintf(zWant, sizeof(zWant), "%s/%s", gDir, azWant[i]);
    }
    char zGot[1024];
    if( list.azWhy && list.azWhy[i] ){
      snprintf(zGot, sizeof(zGot), "%s\t%s", list.azFile[i], list.azWhy[i]);
    }else{
      snprintf(zGot, sizeof(zGot), "%s", list.azFile[i]);
    }
    if( strcmp(zGot, zWant)!=0 ){
      fail_msg("expand '%s': file %d is '%s', want '%s'",
               zPath, i, zGot, zWant);
    }
  }
  if( list.nFile!=nWant ){
    fail_msg("expand '%s': %d files, want %d", zPath, list.nFile, nWant);
  }
  vf_source_free(&list);
  assert_int_equal(list.nFile, 0);
  assert_null(list.azFile);
  assert_null(list.azWhy);
}

/* Expand zPath, expecting failure with message zWant (T/ replaced). */
static void expect_error(const char *zPath, const char *zWant){
  VfFileList list = {0};
  char *zErr = 0;
  int rc = vf_source_expand(zPath, &list, &zErr);
  assert_int_equal(rc, SQLITE_ERROR);
  assert_non_null(zErr);
  assert_string_equal(zErr, zWant);
  assert_int_equal(list.nFile, 0);
  assert_null(list.azFile);
  sqlite3_free(zErr);
}

/* "T/" + zRel into a static buffer. */
static const char *tpath(const char *zRel){
  static char z[512];
  snprintf(z, sizeof(z), "%s/%s", gDir, zRel);
  return z;
}

/* ---- files and directories -------------------------------------------- */

static void test_walk_tree(void **state){
  static const char *azWant[] = {
    "a.log", "a/b/j.log", "a/m/b/k.log", "b.log", "c.gz",
    "dangling.log\tdangling symbolic link: No such file or directory", "e.log.parquet",
    "link.log", "sub/deep/er/i.gz", "sub/f.log", "sub/g.log.gz",
    "x1.log", "x[1].log", 0
  };
  (void)state;
  expect_files(gDir, 0, azWant);
}

/*
** From T/sub the loop link leads to T, which is not on that walk's path,
** so T is walked once under the name T/sub/loop; its "sub" is then on the
** path and is not entered again. The trailing '/' gives no "//".
*/
static void test_walk_trailing_slash_and_loop(void **state){
  static const char *azWant[] = {
    "sub/deep/er/i.gz", "sub/f.log", "sub/g.log.gz",
    "sub/loop/a.log", "sub/loop/a/b/j.log", "sub/loop/a/m/b/k.log",
    "sub/loop/b.log", "sub/loop/c.gz",
    "sub/loop/dangling.log\tdangling symbolic link: No such file or directory", "sub/loop/e.log.parquet",
    "sub/loop/link.log", "sub/loop/x1.log", "sub/loop/x[1].log", 0
  };
  (void)state;
  expect_files(tpath("sub/"), 0, azWant);
  expect_files(tpath("sub//"), 0, azWant);
}

static void test_walk_relative(void **state){
  static const char *azWant[] = {
    "a/b/j.log", "a/m/b/k.log", 0
  };
  static const char *azDot[] = {
    "./a.log", "./a/b/j.log", "./a/m/b/k.log", "./b.log", "./c.gz",
    "./dangling.log\tdangling symbolic link: No such file or directory", "./e.log.parquet", "./link.log", "./sub/deep/er/i.gz", "./sub/f.log",
    "./sub/g.log.gz", "./x1.log", "./x[1].log", 0
  };
  (void)state;
  assert_int_equal(chdir(gDir), 0);
  expect_files("a", 1, azWant);
  expect_files("a/", 1, azWant);
  expect_files(".", 1, azDot);
  assert_int_equal(chdir(gCwd), 0);
}

/*
** A directory that yields no log file is an error saying what was found
** and skipped, and how to name such files: a cron job over an empty
** folder (a failed sync) must fail, not report no findings.
*/
static void test_empty_dirs(void **state){
  char zWant[2400], zDir[600];
  (void)state;
  snprintf(zWant, sizeof(zWant), "no flow log files in '%s/empty': the "
           "directory and its subdirectories hold no files", gDir);
  expect_error(tpath("empty"), zWant);
  snprintf(zDir, sizeof(zDir), "%s/plain", gDir);
  snprintf(zWant, sizeof(zWant), "no flow log files in '%s': 1 file skipped "
           "(readme.txt): a directory is read for names ending in .log, .gz "
           "or .parquet (not beginning with '.'); name other files with a "
           "glob, such as '%s/*.txt' or '%s/**' for every file below it "
           "(names without an extension included)", zDir, zDir, zDir);
  expect_error(zDir, zWant);
  /* five skipped, the first three named in byte order with dot names
  ** last (never in directory order), paths relative to the directory;
  ** a trailing '/' is kept in the message as typed, not doubled */
  snprintf(zDir, sizeof(zDir), "%s/skipped/", gDir);
  snprintf(zWant, sizeof(zWant), "no flow log files in '%s': 5 files skipped "
           "(a.txt, flows, in/y.json, ...): a directory is read for names "
           "ending in .log, .gz or .parquet (not beginning with '.'); name "
           "other files with a glob, such as '%s*.txt' or '%s**' for every "
           "file below it (names without an extension included)",
           zDir, zDir, zDir);
  expect_error(zDir, zWant);
  /* the route the message gives: a glob takes files of any name */
  expect_files(tpath("skipped/**"), 0, (const char*[]){
    "skipped/a.txt", "skipped/flows", "skipped/in/y.json", "skipped/z.csv", 0
  });
}

/* "-" is standard input, one file the reader opens as descriptor 0 */
static void test_stdin(void **state){
  (void)state;
  expect_files("-", 1, (const char*[]){ "-", 0 });
}

/* An existing file is itself, whatever its name looks like. */
static void test_single_files(void **state){
  static const char *azX[] = { "x[1].log", 0 };
  static const char *azTxt[] = { "d.txt", 0 };
  static const char *azHidden[] = { ".hidden.log", 0 };
  static const char *azLink[] = { "link.log", 0 };
  (void)state;
  expect_files(tpath("x[1].log"), 0, azX);    /* not the glob "x1.log" */
  expect_files(tpath("d.txt"), 0, azTxt);     /* named: no suffix rule */
  expect_files(tpath(".hidden.log"), 0, azHidden);
  expect_files(tpath("link.log"), 0, azLink);
  assert_int_equal(chdir(gDir), 0);
  expect_files("x[1].log", 1, azX);
  assert_int_equal(chdir(gCwd), 0);
}

/* ---- globs ------------------------------------------------------------ */

static void test_glob_star(void **state){
  static const char *azLog[] = {
    "a.log", "b.log", "dangling.log\tdangling symbolic link: No such file or directory",
    "link.log", "x1.log", "x[1].log", 0
  };
  static const char *azGz[] = { "c.gz", 0 };
  (void)state;
  assert_int_equal(chdir(gDir), 0);
  /* no .hidden.log (leading dot); dangling.log is a problem: a link
  ** with a log's name that points at nothing hides a file */
  expect_files("*.log", 1, azLog);
  expect_files("./*.gz", 1, (const char*[]){ "./c.gz", 0 });
  assert_int_equal(chdir(gCwd), 0);
  expect_files(tpath("*.gz"), 0, azGz);
  expect_files(tpath("*.log"), 0, azLog);
}

static void test_glob_classes(void **state){
  static const char *azAB[] = { "a.log", "b.log", 0 };
  static const char *azX1[] = { "x1.log", 0 };
  (void)state;
  expect_files(tpath("[ab].log"), 0, azAB);
  expect_files(tpath("?.log"), 0, azAB);
  expect_files(tpath("[!c-z].log"), 0, azAB);
  /* "x[1].log" also exists as a file; this pattern is not that name */
  expect_files(tpath("x[0-9].log"), 0, azX1);
}

static void test_glob_globstar(void **state){
  static const char *azGz[] = {
    "c.gz", "sub/deep/er/i.gz", "sub/g.log.gz", 0
  };
  static const char *azAB[] = { "a/b/j.log", "a/m/b/k.log", 0 };
  static const char *azA[] = {
    "a/b/j.log", "a/b/notlog.txt", "a/m/b/k.log", 0
  };
  static const char *azDeep[] = { "sub/deep/er/i.gz", 0 };
  (void)state;
  assert_int_equal(chdir(gDir), 0);
  /* not sub/.dot/h.gz; the loop link to T is not followed into T again */
  expect_files("**/*.gz", 1, azGz);
  expect_files("a/**/b/*.log", 1, azAB);
  expect_files("a/**", 1, azA);            /* a final ** is ** / * */
  expect_files("**/**/*.gz", 1, azGz);     /* duplicates removed */
  expect_files("sub/**/er/*", 1, azDeep);
  assert_int_equal(chdir(gCwd), 0);
  expect_files(tpath("**/*.gz"), 0, azGz);
  expect_files(tpath("a/**/b/*.log"), 0, azAB);
}

/* Explicit dots still work; only wildcards skip dot names. */
static void test_glob_dot_names(void **state){
  static const char *azH[] = { "sub/.dot/h.gz", 0 };
  static const char *azHidden[] = { ".hidden.log", 0 };
  (void)state;
  expect_files(tpath("sub/.dot/*.gz"), 0, azH);
  expect_files(tpath(".*.log"), 0, azHidden);
  expect_files(tpath("sub/../[ab].log"), 0,
               (const char*[]){ "sub/../a.log", "sub/../b.log", 0 });
}

/* ---- errors ----------------------------------------------------------- */

static void test_errors(void **state){
  char zWant[600];
  (void)state;
  expect_error("", "empty path");
  snprintf(zWant, sizeof(zWant),
           "cannot open '%s/nope.log': No such file or directory", gDir);
  expect_error(tpath("nope.log"), zWant);
  snprintf(zWant, sizeof(zWant), "no files match '%s/*.nomatch'", gDir);
  expect_error(tpath("*.nomatch"), zWant);
  snprintf(zWant, sizeof(zWant), "no files match '%s/nodir/*.log'", gDir);
  expect_error(tpath("nodir/*.log"), zWant);
  /* a glob that matches only directories matches no file */
  snprintf(zWant, sizeof(zWant), "no files match '%s/a/*'", gDir);
  expect_error(tpath("a/*"), zWant);
  /* a file used as a directory */
  snprintf(zWant, sizeof(zWant),
           "cannot open '%s/a.log/x.log': Not a directory", gDir);
  expect_error(tpath("a.log/x.log"), zWant);
}

/* The expansion of zPath as text: one line per entry, "NAME" or
** "NAME\tREASON" for a problem, or "ERROR: message"; T/ is shown as
** "T/". sqlite3_malloc'd. */
static char *expand_text(const char *zPath){
  VfFileList list = {0};
  char *zErr = 0;
  sqlite3_str *pOut = sqlite3_str_new(0);
  size_t nDir = strlen(gDir);
  int i, rc = vf_source_expand(zPath, &list, &zErr);
  if( rc ){
    sqlite3_str_appendf(pOut, "ERROR: %s", zErr ? zErr : "(no memory)");
  }
  for(i=0; i<list.nFile; i++){
    const char *z = list.azFile[i];
    if( strncmp(z, gDir, nDir)==0 ){
      sqlite3_str_appendall(pOut, "T");
      z += nDir;
    }
    sqlite3_str_appendf(pOut, "%s%s%s\n", z,
                        list.azWhy && list.azWhy[i] ? "\t" : "",
                        list.azWhy && list.azWhy[i] ? list.azWhy[i] : "");
  }
  sqlite3_free(zErr);
  vf_source_free(&list);
  return sqlite3_str_finish(pOut);
}

/* vf_test_as_nobody() callback: expand_text() of a path, malloc'd. */
static char *expand_text_cb(void *pArg){
  char *z = expand_text((const char*)pArg);
  char *zCopy = z ? strdup(z) : 0;
  sqlite3_free(z);
  return zCopy;
}

/* Compare expand_text(zPath), run as nobody, with zWant. */
static void expect_as_nobody(const char *zPath, const char *zWant){
  char *zGot = vf_test_as_nobody(expand_text_cb, (void*)zPath);
  if( zGot==0 ) fail_msg("could not run as nobody");
  if( strcmp(zGot, zWant)!=0 ){
    fail_msg("expand '%s' as nobody:\n--- got\n%s--- want\n%s", zPath, zGot,
             zWant);
  }
  free(zGot);
}

/*
** A directory the walk cannot list (mode 000) or whose entries it cannot
** stat (mode 744: r but no x for others), at the top, deep in a walk or
** under a glob, is a problem entry in its place: the rest is still
** listed. Run as nobody (root reads everything). Before problems were
** kept, the 744 case came back as just the other files, and its message
** leaked.
*/
static void test_unreadable_dir(void **state){
  char zWant[4096];
  (void)state;
  mk_dir("locked");
  mk_file("locked/z.log");
  mk_dir("half");
  mk_dir("half/sub");
  mk_file("half/sub/c.log");
  mk_file("half/h.log");
  assert_int_equal(chmod(tpath("locked"), 0), 0);
  assert_int_equal(chmod(tpath("half"), 0744), 0);
  expect_as_nobody(tpath("locked"),
                   "T/locked\tcannot read directory: Permission denied\n");
  /* the directory can be listed, not entered: each entry is a problem */
  expect_as_nobody(tpath("half"),
                   "T/half/h.log\n"
                   "T/half/sub\tcannot read: Permission denied\n");
  /* h.log is DT_REG to readdir(): taken by its name, the reader then
  ** reports that it cannot open it; "sub" needs a stat() */
  snprintf(zWant, sizeof(zWant),
      "T/a.log\nT/a/b/j.log\nT/a/m/b/k.log\nT/b.log\nT/c.gz\n"
      "T/dangling.log\tdangling symbolic link: No such file or directory\n"
      "T/e.log.parquet\nT/half/h.log\n"
      "T/half/sub\tcannot read: Permission denied\n"
      "T/link.log\n"
      "T/locked\tcannot read directory: Permission denied\n"
      "T/sub/deep/er/i.gz\nT/sub/f.log\nT/sub/g.log.gz\n"
      "T/x1.log\nT/x[1].log\n");
  expect_as_nobody(gDir, zWant);
  expect_as_nobody(tpath("**/*.gz"),
                   "T/c.gz\n"
                   "T/half/sub\tcannot read: Permission denied\n"
                   "T/locked\tcannot read directory: Permission denied\n"
                   "T/sub/deep/er/i.gz\nT/sub/g.log.gz\n");
  /* a literal segment through a folder that cannot be entered */
  expect_as_nobody(tpath("half/sub/*.log"),
                   "T/half/sub\tcannot read: Permission denied\n");
  assert_int_equal(chmod(tpath("locked"), 0700), 0);
  assert_int_equal(chmod(tpath("half"), 0755), 0);
  assert_int_equal(remove(tpath("locked/z.log")), 0);
  assert_int_equal(remove(tpath("locked")), 0);
  assert_int_equal(remove(tpath("half/sub/c.log")), 0);
  assert_int_equal(remove(tpath("half/sub")), 0);
  assert_int_equal(remove(tpath("half/h.log")), 0);
  assert_int_equal(remove(tpath("half")), 0);
}

/*
** ELOOP (a link to itself, a link cycle) and ENAMETOOLONG (a path over
** PATH_MAX, 4096, below the start) fail for root too, so these run in
** the test process: a leak of the problem's message would show under
** ASan. Each is a problem entry; the log file beside them is still
** listed.
*/
static void test_walk_errno(void **state){
  char zName[251], zRel[8192], zWant[16384];
  int i;
  (void)state;
  mk_dir("el");
  mk_file("el/ok.log");
  mk_link("self.log", "el/self.log");      /* ELOOP, a log's name */
  mk_link("cyc2", "el/cyc1");              /* ELOOP, a cycle of two */
  mk_link("cyc1", "el/cyc2");
  snprintf(zWant, sizeof(zWant),
      "T/el/cyc1\tcannot read: Too many levels of symbolic links\n"
      "T/el/cyc2\tcannot read: Too many levels of symbolic links\n"
      "T/el/ok.log\n"
      "T/el/self.log\tcannot read: Too many levels of symbolic links\n");
  {
    char *zGot = expand_text(tpath("el"));
    assert_string_equal(zGot, zWant);
    sqlite3_free(zGot);
  }
  {
    char *zGot = expand_text(tpath("el/*.log"));
    assert_string_equal(zGot,
      "T/el/ok.log\n"
      "T/el/self.log\tcannot read: Too many levels of symbolic links\n");
    sqlite3_free(zGot);
  }
  expect_as_nobody(tpath("el"), zWant);

  /* 17 nested folders of 250 characters: the 17th's path is over 4096
  ** bytes. Made with mkdirat() relative to each parent. */
  memset(zName, 'n', 250);
  zName[250] = 0;
  mk_dir("long");
  mk_file("long/ok.log");
  {
    int fd = open(tpath("long"), O_RDONLY|O_DIRECTORY);
    assert_true(fd>=0);
    for(i=0; i<17; i++){
      int fd2;
      assert_int_equal(mkdirat(fd, zName, 0755), 0);
      fd2 = openat(fd, zName, O_RDONLY|O_DIRECTORY);
      assert_true(fd2>=0);
      close(fd);
      fd = fd2;
    }
    close(fd);
  }
  /* the walk reaches .../n x16 (4006 + strlen(T) bytes), lists it, and
  ** cannot stat the 17th: its path is too long */
  zRel[0] = 0;
  for(i=0; i<17; i++){
    strcat(zRel, "/");
    strcat(zRel, zName);
  }
  snprintf(zWant, sizeof(zWant), "T/long%s\tcannot read: File name too long\n"
           "T/long/ok.log\n", zRel);
  {
    char *zGot = expand_text(tpath("long"));
    assert_string_equal(zGot, zWant);
    sqlite3_free(zGot);
  }
  expect_as_nobody(tpath("long"), zWant);
  {
    char zCmd[200];
    snprintf(zCmd, sizeof(zCmd), "rm -rf '%s/el' '%s/long'", gDir, gDir);
    assert_int_equal(system(zCmd), 0);
  }
}

/* Expand zPath, which must succeed; return the list (caller frees). */
static VfFileList expand_ok(const char *zPath){
  VfFileList list = {0};
  char *zErr = 0;
  int rc = vf_source_expand(zPath, &list, &zErr);
  if( rc ) fail_msg("expand '%s': rc=%d %s", zPath, rc, zErr ? zErr : "");
  return list;
}

/*
** Repeated "**" segments cost what one does: a binary tree of folders 7
** levels deep (127 folders, an x.log in each) is listed once per folder
** for "**" and for ten of them in a row; "**" separated by other segments
** is bounded by folders x segments (each real folder is matched once per
** segment). Counted in directory listings (VfFileList.nDirList), not
** time. Before, ten "**" in a row listed the tree about 127^... times:
** 8 took over 60 s on a 20-deep tree.
*/
static void test_globstar_cost(void **state){
  char zPat[512], zRel[64];
  VfFileList one, ten, mixed;
  int i, d;
  (void)state;
  mk_dir("bt");
  /* folder names: bt, bt/a, bt/b, bt/a/a, ... to depth 6 */
  for(d=0; d<7; d++){
    int k;
    for(k=0; k<(1<<d); k++){
      int j;
      strcpy(zRel, "bt");
      for(j=d-1; j>=0; j--) strcat(zRel, (k>>j)&1 ? "/b" : "/a");
      if( d>0 ) mk_dir(zRel);
      strcat(zRel, "/x.log");
      mk_file(zRel);
    }
  }
  one = expand_ok(tpath("bt/**/*.log"));
  snprintf(zPat, sizeof(zPat), "%s/bt", gDir);
  for(i=0; i<10; i++) strcat(zPat, "/**");
  strcat(zPat, "/*.log");
  ten = expand_ok(zPat);
  assert_int_equal(one.nFile, 127);
  assert_int_equal(ten.nFile, 127);
  /* "**" lists each folder once; "*.log" is a wildcard segment and
  ** lists each again: 2 x 127 */
  assert_int_equal(one.nDirList, 2*127);
  assert_int_equal(ten.nDirList, one.nDirList);
  for(i=0; i<127; i++) assert_string_equal(one.azFile[i], ten.azFile[i]);
  /* "**" "a" "**": every folder at most once per listing segment */
  mixed = expand_ok(tpath("bt/**/a/**/*.log"));
  /* files in a folder at or below some ".../a": all but the 7 folders
  ** bt, bt/b, bt/b/b, ... (6 "b"s) = 127 - 7 */
  assert_int_equal(mixed.nFile, 127 - 7);
  assert_true(mixed.nDirList <= 3*127);
  print_message("# directory listings: one **: %lld, ten **: %lld, "
                "**/a/**: %lld\n", (long long)one.nDirList,
                (long long)ten.nDirList, (long long)mixed.nDirList);
  vf_source_free(&one);
  vf_source_free(&ten);
  vf_source_free(&mixed);
}

/*
** A DAG of folder links: l0 .. l15 each hold f.log and two links, x and
** y, to the next. Before, the walk went down both links at every level:
** 2^15 = 32768 copies of l15/f.log under different names. Each real
** folder is entered once, under the first name in byte order (x before
** y): 16 files.
*/
static void test_symlink_dag(void **state){
  char zRel[128], zTo[32];
  VfFileList walk, glob;
  int i;
  (void)state;
  mk_dir("dag");
  for(i=0; i<=16; i++){
    snprintf(zRel, sizeof(zRel), "dag/l%d", i);
    mk_dir(zRel);
    if( i==16 ) break;
    snprintf(zRel, sizeof(zRel), "dag/l%d/f.log", i);
    mk_file(zRel);
    snprintf(zTo, sizeof(zTo), "../l%d", i+1);
    snprintf(zRel, sizeof(zRel), "dag/l%d/x", i);
    mk_link(zTo, zRel);
    snprintf(zRel, sizeof(zRel), "dag/l%d/y", i);
    mk_link(zTo, zRel);
  }
  walk = expand_ok(tpath("dag/l0"));
  glob = expand_ok(tpath("dag/l0/**/f.log"));
  assert_int_equal(walk.nFile, 16);
  assert_int_equal(glob.nFile, 16);
  zRel[0] = 0;
  for(i=0; i<16; i++){
    char zWant[512];
    snprintf(zWant, sizeof(zWant), "%s/dag/l0%s/f.log", gDir, zRel);
    assert_string_equal(walk.azFile[i], zWant);
    assert_string_equal(glob.azFile[i], zWant);
    strcat(zRel, "/x");
  }
  vf_source_free(&walk);
  vf_source_free(&glob);
}

/* xStop for test_expand_stop: stop at the *pArg-th call. */
static int stop_after(void *pArg){
  int *pn = (int*)pArg;
  return --*pn<=0;
}

/*
** An expansion asks xStop before each folder it lists: told to stop at
** the 5th, it returns SQLITE_INTERRUPT, "interrupted", an empty list and
** has listed 4 folders. (The scan passes sqlite3_interrupt()'s state.)
*/
static void test_expand_stop(void **state){
  VfFileList list = {0};
  char *zErr = 0;
  int n = 5;
  (void)state;
  assert_int_equal(vf_source_expand_ex(gDir, &list, &zErr, stop_after, &n),
                   SQLITE_INTERRUPT);
  assert_string_equal(zErr, "interrupted");
  assert_int_equal(list.nFile, 0);
  assert_null(list.azFile);
  assert_int_equal(list.nDirList, 4);
  sqlite3_free(zErr);
  n = 3;
  assert_int_equal(vf_source_expand_ex(tpath("**/*.log"), &list, &zErr,
                                       stop_after, &n), SQLITE_INTERRUPT);
  assert_string_equal(zErr, "interrupted");
  sqlite3_free(zErr);
}

/* ---- S3 key dates ----------------------------------------------------- */

static void test_key_date(void **state){
  int y = 0, m = 0, d = 0;
  (void)state;
  assert_int_equal(vf_source_key_date(
      "AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/02/13/"
      "123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20260213T1620Z_"
      "fe123456.log.gz", &y, &m, &d), 1);
  assert_int_equal(y, 2026); assert_int_equal(m, 2); assert_int_equal(d, 13);
  assert_int_equal(vf_source_key_date(
      "/data/aws-account-id=1/aws-service=vpcflowlogs/aws-region=x/"
      "year=2025/month=12/day=31/f.log.gz", &y, &m, &d), 1);
  assert_int_equal(y, 2025); assert_int_equal(m, 12); assert_int_equal(d, 31);
  /* Hive with an hour folder, and the plain hourly layout */
  assert_int_equal(vf_source_key_date(
      "year=2024/month=02/day=29/hour=23/f.gz", &y, &m, &d), 1);
  assert_int_equal(y, 2024); assert_int_equal(m, 2); assert_int_equal(d, 29);
  assert_int_equal(vf_source_key_date(
      "s3/AWSLogs/1/vpcflowlogs/eu-west-1/2019/07/04/16/f.gz", &y, &m, &d), 1);
  assert_int_equal(y, 2019); assert_int_equal(m, 7); assert_int_equal(d, 4);
  /* the last date in the path wins */
  assert_int_equal(vf_source_key_date(
      "backup/2020/01/01/AWSLogs/1/vpcflowlogs/r/2021/03/04/f.gz",
      &y, &m, &d), 1);
  assert_int_equal(y, 2021); assert_int_equal(m, 3); assert_int_equal(d, 4);

  /* not dates: impossible values, wrong widths, not whole folders */
  y = m = d = -1;
  assert_int_equal(vf_source_key_date("2026/13/01/f.gz", &y, &m, &d), 0);
  assert_int_equal(vf_source_key_date("2026/00/01/f.gz", &y, &m, &d), 0);
  assert_int_equal(vf_source_key_date("2026/02/30/f.gz", &y, &m, &d), 0);
  assert_int_equal(vf_source_key_date("2025/02/29/f.gz", &y, &m, &d), 0);
  assert_int_equal(vf_source_key_date("2026/04/00/f.gz", &y, &m, &d), 0);
  assert_int_equal(vf_source_key_date("2026/2/13/f.gz", &y, &m, &d), 0);
  assert_int_equal(vf_source_key_date("x2026/02/13/f.gz", &y, &m, &d), 0);
  assert_int_equal(vf_source_key_date("2026/02/131/f.gz", &y, &m, &d), 0);
  assert_int_equal(vf_source_key_date("logs/2026/02/13", &y, &m, &d), 0);
  assert_int_equal(vf_source_key_date("logs/2026/02/1", &y, &m, &d), 0);
  assert_int_equal(vf_source_key_date("0999/01/01/f.gz", &y, &m, &d), 0);
  assert_int_equal(vf_source_key_date(
      "year=2025/month=1/day=31/f.gz", &y, &m, &d), 0);
  assert_int_equal(vf_source_key_date(
      "year=2025/month=11/day=31/f.gz", &y, &m, &d), 0);
  assert_int_equal(vf_source_key_date("year=2025/month=", &y, &m, &d), 0);
  assert_int_equal(vf_source_key_date("", &y, &m, &d), 0);
  assert_int_equal(y, -1); assert_int_equal(m, -1); assert_int_equal(d, -1);
  /* a date right at the start of a relative path */
  assert_int_equal(vf_source_key_date("2026/02/13/f.gz", &y, &m, &d), 1);
  assert_int_equal(y, 2026); assert_int_equal(m, 2); assert_int_equal(d, 13);
}

/*
** Expected epochs were computed outside this code with GNU date, e.g.
** `date -u -d '2026-02-13 16:20' +%s` prints 1770999600.
*/
static void test_key_time(void **state){
  static const struct { const char *zPath; int64_t iEpoch; } aOk[] = {
    { "AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/02/13/"
      "123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20260213T1620Z_"
      "fe123456.log.gz", 1770999600 },
    { "123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_"
      "fe123456.log.gz", 1529511600 },
    { "x_20260213T1620Z.log.gz", 1770999600 },
    { "a_19700101T0000Z_b", 0 },
    { "a_20240229T2359Z_b", 1709251140 },
    { "a_20000301T0000Z_b", 951868800 },
    { "a_21000301T0000Z_b", 4107542400LL },
    { "a_99991231T2359Z_b", 253402300740LL },
    { "d_20990101T0000Z_/a_20000301T0000Z_b", 951868800 },  /* base only */
    { "a_2000x_20000301T0000Z_b", 951868800 },  /* after a false start */
  };
  static const char *azBad[] = {
    "x_20260213T1620Z_y/file.log.gz",   /* token in a folder, not the name */
    "a_20260213T2400Z_b", "a_20260213T1660Z_b", "a_20261313T1620Z_b",
    "a_20260230T1620Z_b", "a_20250229T1200Z_b", "a_20260213T1620_b",
    "a_20260213T1620Zb", "a20260213T1620Z_b", "a_2026021T1620Z_b",
    "a_20260213t1620Z_b", "a_20260213T1620Z", "_", "",
  };
  size_t i;
  (void)state;
  for(i=0; i<sizeof(aOk)/sizeof(aOk[0]); i++){
    int64_t t = -1;
    if( vf_source_key_time(aOk[i].zPath, &t)!=1 || t!=aOk[i].iEpoch ){
      fail_msg("%s: got %lld", aOk[i].zPath, (long long)t);
    }
  }
  for(i=0; i<sizeof(azBad)/sizeof(azBad[0]); i++){
    int64_t t = -1;
    if( vf_source_key_time(azBad[i], &t)!=0 || t!=-1 ){
      fail_msg("%s: accepted as %lld", azBad[i], (long long)t);
    }
  }
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_walk_tree),
    cmocka_unit_test(test_walk_trailing_slash_and_loop),
    cmocka_unit_test(test_walk_relative),
    cmocka_unit_test(test_empty_dirs),
    cmocka_unit_test(test_stdin),
    cmocka_unit_test(test_single_files),
    cmocka_unit_test(test_glob_star),
    cmocka_unit_test(test_glob_classes),
    cmocka_unit_test(test_glob_globstar),
    cmocka_unit_test(test_glob_dot_names),
    cmocka_unit_test(test_errors),
    cmocka_unit_test(test_unreadable_dir),
    cmocka_unit_test(test_walk_errno),
    cmocka_unit_test(test_globstar_cost),
    cmocka_unit_test(test_symlink_dag),
    cmocka_unit_test(test_expand_stop),
    cmocka_unit_test(test_key_date),
    cmocka_unit_test(test_key_time),
  };
  return cmocka_run_group_tests_name("source", tests, group_setup,
                                     group_teardown);
}
