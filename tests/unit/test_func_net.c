/*
** test_func_net.c - the scalar functions of ext/func_net.c (addresses,
** TCP flags, protocols, pcr) and the registration of every function the
** extension adds, found through pragma_function_list.
**
** Every expectation below was worked out by hand from the input (a CIDR
** boundary, a flag bit sum), not copied from the code's output.
*/
#include "test.h"

/* ---- ip_in_cidr ---- */

static void test_cidr_ipv4(void **state){
  sqlite3 *db = *state;
  CHECK("SELECT ip_in_cidr('10.1.2.3','10.0.0.0/8'),"
        " ip_in_cidr('11.0.0.1','10.0.0.0/8'),"
        " ip_in_cidr('9.255.255.255','10.0.0.0/8')", "1|0|0");
  /* 172.16/12 runs from 172.16.0.0 to 172.31.255.255 */
  CHECK("SELECT ip_in_cidr('172.31.255.255','172.16.0.0/12'),"
        " ip_in_cidr('172.32.0.0','172.16.0.0/12'),"
        " ip_in_cidr('172.16.0.0','172.16.0.0/12')", "1|0|1");
  /* /27 at .64 covers .64 to .95 */
  CHECK("SELECT ip_in_cidr('192.168.1.95','192.168.1.64/27'),"
        " ip_in_cidr('192.168.1.96','192.168.1.64/27'),"
        " ip_in_cidr('192.168.1.63','192.168.1.64/27')", "1|0|0");
  /* host bits in the block are ignored; a bare address is one host */
  CHECK("SELECT ip_in_cidr('10.9.9.9','10.1.2.3/8'),"
        " ip_in_cidr('10.0.0.1','10.0.0.1'),"
        " ip_in_cidr('10.0.0.2','10.0.0.1'),"
        " ip_in_cidr('10.0.0.1','10.0.0.1/32')", "1|1|0|1");
  CHECK("SELECT ip_in_cidr('8.8.8.8','0.0.0.0/0'),"
        " ip_in_cidr('255.255.255.255','0.0.0.0/0')", "1|1");
}

static void test_cidr_ipv6(void **state){
  sqlite3 *db = *state;
  CHECK("SELECT ip_in_cidr('2001:db8:0:1::5','2001:db8::/32'),"
        " ip_in_cidr('2001:db9::1','2001:db8::/32'),"
        " ip_in_cidr('2001:DB8::1','2001:db8::1/128'),"
        " ip_in_cidr('2001:db8::2','2001:db8::1/128')", "1|0|1|0");
  /* /55: 48 bits plus the top 7 bits of byte 6 (0x12): bytes 0x12, 0x13 */
  CHECK("SELECT ip_in_cidr('2001:db8:abcd:12ff::1','2001:db8:abcd:1200::/55'),"
        " ip_in_cidr('2001:db8:abcd:13ff::1','2001:db8:abcd:1200::/55'),"
        " ip_in_cidr('2001:db8:abcd:14ff::1','2001:db8:abcd:1200::/55'),"
        " ip_in_cidr('2001:db8:abcd:11ff::1','2001:db8:abcd:1200::/55')",
        "1|1|0|0");
  CHECK("SELECT ip_in_cidr('fe80::1','fe80::/10'),"
        " ip_in_cidr('febf:ffff::1','fe80::/10'),"
        " ip_in_cidr('fec0::1','fe80::/10')", "1|1|0");
}

static void test_cidr_mapped(void **state){
  sqlite3 *db = *state;
  /* one address space: a.b.c.d is ::ffff:a.b.c.d */
  CHECK("SELECT ip_in_cidr('::ffff:10.1.2.3','10.0.0.0/8'),"
        " ip_in_cidr('10.1.2.3','::ffff:10.0.0.0/104'),"
        " ip_in_cidr('10.1.2.3','::ffff:0:0/96'),"
        " ip_in_cidr('::FFFF:0a01:0203','10.1.2.3/32')", "1|1|1|1");
  CHECK("SELECT ip_in_cidr('10.1.2.3','2001:db8::/32'),"
        " ip_in_cidr('2001:db8::1','0.0.0.0/0'),"
        " ip_in_cidr('8.8.8.8','::/0'),"
        " ip_in_cidr('2001:db8::1','::/0')", "0|0|1|1");
}

static void test_cidr_null_and_errors(void **state){
  sqlite3 *db = *state;
  CHECK("SELECT ip_in_cidr(NULL,'10.0.0.0/8'), ip_in_cidr('10.0.0.1',NULL),"
        " ip_in_cidr('-','10.0.0.0/8'), ip_in_cidr('10.0.0.1','-')",
        "NULL|NULL|NULL|NULL");
  CHECK("SELECT ip_in_cidr('10.0.0.1','10.0.0.0/33')",
        "ERROR: ip_in_cidr(): '10.0.0.0/33' is not a CIDR block");
  CHECK("SELECT ip_in_cidr('10.0.0.1','2001:db8::/129')",
        "ERROR: ip_in_cidr(): '2001:db8::/129' is not a CIDR block");
  CHECK("SELECT ip_in_cidr('10.0.0.1','10.0.0.0/')",
        "ERROR: ip_in_cidr(): '10.0.0.0/' is not a CIDR block");
  CHECK("SELECT ip_in_cidr('10.0.0.1','10.0.0/8')",
        "ERROR: ip_in_cidr(): '10.0.0/8' is not a CIDR block");
  CHECK("SELECT ip_in_cidr('10.0.0.1','10.0.0.0/08x')",
        "ERROR: ip_in_cidr(): '10.0.0.0/08x' is not a CIDR block");
  CHECK("SELECT ip_in_cidr('10.0.0.1','10.0.0.0/0008')",
        "ERROR: ip_in_cidr(): '10.0.0.0/0008' is not a CIDR block");
  CHECK("SELECT ip_in_cidr('10.0.0.1', 8)",
        "ERROR: ip_in_cidr(): 8 is not a CIDR block");
  CHECK("SELECT ip_in_cidr('999.0.0.1','10.0.0.0/8')",
        "ERROR: ip_in_cidr(): '999.0.0.1' is not an IP address");
  CHECK("SELECT ip_in_cidr(x'0a000001','10.0.0.0/8')",
        "ERROR: ip_in_cidr(): a BLOB is not an IP address");
}

/* A constant block is cached as auxdata; a block that changes from row
** to row must not be served from a stale cache. */
static void test_cidr_per_row(void **state){
  sqlite3 *db = *state;
  exec_ok(db, "CREATE TABLE t(a, c);"
              "INSERT INTO t VALUES('10.0.0.1','10.0.0.0/8'),"
              " ('10.0.0.1','192.168.0.0/16'), ('192.168.3.4','192.168.0.0/16'),"
              " ('2001:db8::1','192.168.0.0/16'), ('2001:db8::1','2001:db8::/48');");
  CHECK("SELECT group_concat(ip_in_cidr(a, c)) FROM (SELECT * FROM t ORDER BY rowid)",
        "1,0,1,0,1");
  CHECK("SELECT group_concat(ip_in_cidr(a, '192.168.0.0/16'))"
        " FROM (SELECT * FROM t ORDER BY rowid)", "0,0,1,0,0");
}

/*
** A UTF-16 database hands text to functions in UTF-16. The functions read
** text bytes without asking for a NUL (vf_value_chars), which must fall
** back to a conversion there: addresses, actions and '-' as NULL all
** still read.
*/
static void test_utf16_database(void **state){
  sqlite3 *db = *state;
  exec_ok(db, "PRAGMA encoding='UTF-16le';"
              "CREATE TABLE t(a, act);"
              "INSERT INTO t VALUES('10.0.0.1','REJECT'), ('192.168.3.4','ACCEPT'),"
              " ('8.8.8.8','REJECT'), ('-','-');");
  CHECK("PRAGMA encoding", "UTF-16le");
  CHECK("SELECT group_concat(ifnull(ip_in_cidr(a, '10.0.0.0/8'), 'N'))"
        " FROM (SELECT * FROM t ORDER BY rowid)", "1,0,0,N");
  CHECK("SELECT group_concat(ifnull(is_private(a), 'N'))"
        " FROM (SELECT * FROM t ORDER BY rowid)", "1,1,0,N");
  CHECK("SELECT addr_breadth(a) FROM t", "3");
  CHECK("SELECT round(reject_ratio(act), 3) FROM t", "0.667");
  CHECK("SELECT ip_class('fd00::1')", "private");
}

/* ---- address parsing, through ip_class ---- */

static void test_addr_parse(void **state){
  sqlite3 *db = *state;
  static const char *azGood[][2] = {
    { "::",                     "unspecified" },
    { "::1",                    "loopback" },
    { "1::",                    "reserved" },
    { "1:2:3:4:5:6:7:8",        "reserved" },
    { "1:2:3:4:5:6:1.2.3.4",    "reserved" },
    { "1:2:3:4:5:6:7::",        "reserved" },
    { "::2:3:4:5:6:7:8",        "reserved" },
    { "::1.2.3.4",              "reserved" },
    { "::ffff:1.2.3.4",         "public" },
    { "FE80::1",                "link-local" },
    { "2001:0DB8:0000:0000:0000:0000:0000:0001", "documentation" },
    { "0.0.0.0",                "unspecified" },
    { "255.255.255.255",        "broadcast" },
  };
  static const char *azBad[] = {
    "1:2:3:4:5:6:7:8:9", "1::2::3", ":1::", "1:", "1:2:3:4:5:6:7:8:",
    "1:2:3:4:5:6:7:8::", "1:::2", "12345::", "g::", "::ffff:1.2.3",
    "1:2:3:4:5:6:7:1.2.3.4", "fe80::1%eth0", "[::1]",
    "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "256.1.1.1", "1.2.3.4 ",
    " 1.2.3.4", "1..2.3", "", "1.2.3.4/32", "a.b.c.d", "1.2.3.1000",
  };
  size_t i;
  for(i=0; i<sizeof(azGood)/sizeof(azGood[0]); i++){
    char *zSql = sqlite3_mprintf("SELECT ip_class(%Q)", azGood[i][0]);
    check_sql(db, zSql, azGood[i][1], __LINE__);
    sqlite3_free(zSql);
  }
  for(i=0; i<sizeof(azBad)/sizeof(azBad[0]); i++){
    char *zSql = sqlite3_mprintf("SELECT ip_class(%Q)", azBad[i]);
    char *zExp = sqlite3_mprintf("ERROR: ip_class(): %Q is not an IP address",
                                 azBad[i]);
    check_sql(db, zSql, zExp, __LINE__);
    sqlite3_free(zSql);
    sqlite3_free(zExp);
  }
}

/* ---- ip_class, is_private ---- */

static void test_ip_class(void **state){
  sqlite3 *db = *state;
  static const char *az[][2] = {
    { "0.1.2.3", "reserved" },           { "10.255.255.255", "private" },
    { "172.15.255.255", "public" },      { "172.16.0.0", "private" },
    { "172.31.255.255", "private" },     { "172.32.0.0", "public" },
    { "192.168.0.1", "private" },        { "192.169.0.1", "public" },
    { "100.63.255.255", "public" },      { "100.64.0.0", "cgnat" },
    { "100.127.255.255", "cgnat" },      { "100.128.0.0", "public" },
    { "127.0.0.1", "loopback" },         { "169.254.169.254", "link-local" },
    { "192.0.2.1", "documentation" },    { "198.51.100.7", "documentation" },
    { "203.0.113.255", "documentation" },{ "203.0.114.1", "public" },
    { "192.0.0.8", "reserved" },         { "198.18.0.1", "reserved" },
    { "198.19.255.255", "reserved" },    { "198.20.0.0", "public" },
    { "224.0.0.1", "multicast" },        { "239.255.255.255", "multicast" },
    { "240.0.0.1", "reserved" },         { "255.255.255.254", "reserved" },
    { "8.8.8.8", "public" },             { "52.94.76.10", "public" },
    { "fc00::1", "private" },            { "fd12:3456::1", "private" },
    { "fe80::1", "link-local" },         { "febf::1", "link-local" },
    { "fec0::1", "reserved" },           { "ff02::1", "multicast" },
    { "2001:db8::1", "documentation" },  { "3fff:fff::1", "documentation" },
    { "3fff:1000::1", "public" },        { "2600:1f18::1", "public" },
    { "4000::1", "reserved" },           { "::ffff:192.168.1.1", "private" },
    { "::ffff:8.8.8.8", "public" },      { "::ffff:127.0.0.1", "loopback" },
    { "64:ff9b::8.8.8.8", "public" },    { "64:ff9b::10.0.0.1", "private" },
  };
  size_t i;
  for(i=0; i<sizeof(az)/sizeof(az[0]); i++){
    char *zSql = sqlite3_mprintf("SELECT ip_class(%Q)", az[i][0]);
    check_sql(db, zSql, az[i][1], __LINE__);
    sqlite3_free(zSql);
  }
  CHECK("SELECT ip_class(NULL), ip_class('-')", "NULL|NULL");
  CHECK("SELECT ip_class(167772161)",
        "ERROR: ip_class(): 167772161 is not an IP address");
  CHECK("SELECT ip_class(x'0a000001')",
        "ERROR: ip_class(): a BLOB is not an IP address");
}

static void test_is_private(void **state){
  sqlite3 *db = *state;
  CHECK("SELECT is_private('10.0.0.1'), is_private('172.16.5.4'),"
        " is_private('192.168.0.1'), is_private('100.64.1.1'),"
        " is_private('fd00::1'), is_private('::ffff:10.0.0.1')",
        "1|1|1|1|1|1");
  /* documentation, link-local and loopback are not private */
  CHECK("SELECT is_private('8.8.8.8'), is_private('192.0.2.1'),"
        " is_private('169.254.1.1'), is_private('127.0.0.1'),"
        " is_private('2001:db8::1'), is_private('fe80::1')",
        "0|0|0|0|0|0");
  CHECK("SELECT is_private(NULL), is_private('-')", "NULL|NULL");
  CHECK("SELECT is_private('10.0.0')",
        "ERROR: is_private(): '10.0.0' is not an IP address");
}

/* ---- pcr ---- */

static void test_pcr(void **state){
  sqlite3 *db = *state;
  /* (900-100)/1000 = 0.8 ; (100-900)/1000 = -0.8 */
  CHECK("SELECT pcr(900,100), pcr(100,900), pcr(50,50), pcr(10,0), pcr(0,10)",
        "0.8|-0.8|0.0|1.0|-1.0");
  CHECK("SELECT pcr(0,0), pcr(NULL,5), pcr(5,NULL), pcr('-',5)",
        "NULL|NULL|NULL|NULL");
  /* (300-100)/400 = 0.5 ; (1.5-0.5)/2 = 0.5 */
  CHECK("SELECT pcr('300','100'), pcr(1.5,0.5)", "0.5|0.5");
  CHECK("SELECT pcr(-1,5)", "ERROR: pcr(): -1 is not a byte count");
  CHECK("SELECT pcr(5,-2)", "ERROR: pcr(): -2 is not a byte count");
  CHECK("SELECT pcr('abc',1)", "ERROR: pcr(): 'abc' is not a byte count");
  CHECK("SELECT pcr(NULL,'abc')", "ERROR: pcr(): 'abc' is not a byte count");
}

/* ---- TCP flags ---- */

static void test_tcp_flags_str(void **state){
  sqlite3 *db = *state;
  CHECK("SELECT tcp_flags_str(0)=''", "1");
  CHECK("SELECT tcp_flags_str(1), tcp_flags_str(2), tcp_flags_str(4),"
        " tcp_flags_str(18), tcp_flags_str(3), tcp_flags_str(19),"
        " tcp_flags_str(24), tcp_flags_str(192)",
        "FIN|SYN|RST|SYN,ACK|FIN,SYN|FIN,SYN,ACK|PSH,ACK|ECE,CWR");
  CHECK("SELECT tcp_flags_str(255)", "FIN,SYN,RST,PSH,ACK,URG,ECE,CWR");
  CHECK("SELECT tcp_flags_str('18'), tcp_flags_str(18.0),"
        " tcp_flags_str(NULL), tcp_flags_str('-')",
        "SYN,ACK|SYN,ACK|NULL|NULL");
  CHECK("SELECT tcp_flags_str(256)",
        "ERROR: tcp_flags_str(): 256 is not a TCP flags value (0-255)");
  CHECK("SELECT tcp_flags_str(-1)",
        "ERROR: tcp_flags_str(): -1 is not a TCP flags value (0-255)");
  CHECK("SELECT tcp_flags_str(2.5)",
        "ERROR: tcp_flags_str(): 2.5 is not a TCP flags value (0-255)");
  CHECK("SELECT tcp_flags_str('SYN')",
        "ERROR: tcp_flags_str(): 'SYN' is not a TCP flags value (0-255)");
}

static void test_tcp_has_syn_only(void **state){
  sqlite3 *db = *state;
  CHECK("SELECT tcp_has(18,'SYN'), tcp_has(18,'ack'), tcp_has(18,'FIN'),"
        " tcp_has(0,'SYN'), tcp_has(128,'cwr')", "1|1|0|0|1");
  CHECK("SELECT tcp_has(NULL,'SYN'), tcp_has(2,NULL)", "NULL|NULL");
  CHECK("SELECT tcp_has(2,'SYNACK')", "ERROR: tcp_has(): 'SYNACK' is not a "
        "TCP flag name (FIN SYN RST PSH ACK URG ECE CWR)");
  CHECK("SELECT is_syn_only(2), is_syn_only(18), is_syn_only(3),"
        " is_syn_only(0), is_syn_only(NULL)", "1|0|0|0|NULL");
  CHECK("SELECT is_syn_only(300)",
        "ERROR: is_syn_only(): 300 is not a TCP flags value (0-255)");
}

static void test_protocol_name(void **state){
  sqlite3 *db = *state;
  CHECK("SELECT protocol_name(1), protocol_name(6), protocol_name(17),"
        " protocol_name(58), protocol_name(47), protocol_name(50),"
        " protocol_name(51), protocol_name(132), protocol_name(0)",
        "ICMP|TCP|UDP|IPv6-ICMP|GRE|ESP|AH|SCTP|HOPOPT");
  CHECK("SELECT protocol_name(200), protocol_name(NULL), protocol_name('6'),"
        " coalesce(protocol_name(253), 253)", "NULL|NULL|TCP|253");
  CHECK("SELECT protocol_name(256)",
        "ERROR: protocol_name(): 256 is not a protocol number (0-255)");
  CHECK("SELECT protocol_name(-1)",
        "ERROR: protocol_name(): -1 is not a protocol number (0-255)");
}

/* ---- registration ---- */

/*
** The functions the extension adds are found, not listed: every row of
** pragma_function_list on a connection with the extension that is not
** on a plain connection. Each is then held to the security rule of the
** project, by kind:
**
**   scalar ('s')                 DETERMINISTIC|INNOCUOUS (0x800|0x200000)
**   aggregate or window ('a'/'w') INNOCUOUS (0x200000)
**   reads files or writes to the terminal: DIRECTONLY (0x80000) and
**   nothing else; these are the exceptions the rule names, so they are
**   the one list kept here (azDirect).
**
** pragma_function_list shows exactly these bits of a function's flags
** (UTF8 is its enc column). A new function needs no edit here; it must
** only follow the rule, and appear in the function reference of
** ext/README.md ("## SQL functions").
*/
static const char *const azDirect[] = {
  "vpcflow_athena_ddl",       /* reads the files named by its argument */
  "vpcflow_progress",         /* writes the hunt's phase line to stderr */
};

/* Functions that must be found, so that a finder returning nothing (or
** a part) cannot pass: one of each file and of each kind. */
static const char *const azAnchor[] = {
  "ip_in_cidr/s/2", "protocol_name/s/1", "port_breadth/w/1",
  "reject_ratio/w/1", "beacon_score/a/1", "beacon_score/a/2",
  "sparkline/a/2", "bar/s/3", "bar/s/4", "vpcflow_tunable/s/6",
  "vpcflow_version/s/0", "vpcflow_athena_ddl/s/2", "vpcflow_progress/s/1",
};

/* The text of ext/README.md from "## SQL functions" to the next "## "
** heading (sqlite3_malloc'ed), or NULL after a failed check. */
static char *function_reference(void){
  FILE *in = fopen("ext/README.md", "rb");
  char *zAll = 0, *zStart, *zEnd, *zOut;
  long n;
  if( in==0 ){
    print_error("cannot open ext/README.md (run from the repository root)\n");
    return 0;
  }
  fseek(in, 0, SEEK_END);
  n = ftell(in);
  fseek(in, 0, SEEK_SET);
  zAll = sqlite3_malloc64((sqlite3_uint64)n+1);
  assert_non_null(zAll);
  assert_int_equal(fread(zAll, 1, (size_t)n, in), (size_t)n);
  zAll[n] = 0;
  fclose(in);
  zStart = strstr(zAll, "\n## SQL functions\n");
  if( zStart==0 ){
    print_error("ext/README.md has no \"## SQL functions\" section\n");
    sqlite3_free(zAll);
    return 0;
  }
  zEnd = strstr(zStart+1, "\n## ");
  zOut = sqlite3_mprintf("%.*s", zEnd ? (int)(zEnd-zStart) : (int)strlen(zStart),
                         zStart);
  sqlite3_free(zAll);
  return zOut;
}

/* True if zDoc names function zName as a call: "zName(" not preceded by
** a letter, digit or '_' (so "bar(" is not found in "sidebar("). */
static int doc_names(const char *zDoc, const char *zName){
  size_t n = strlen(zName);
  const char *z = zDoc;
  while( (z = strstr(z, zName))!=0 ){
    int bStart = z==zDoc || !(z[-1]=='_' || (z[-1]>='a' && z[-1]<='z')
                 || (z[-1]>='A' && z[-1]<='Z') || (z[-1]>='0' && z[-1]<='9'));
    if( bStart && z[n]=='(' ) return 1;
    z += n;
  }
  return 0;
}

static void test_registration(void **state){
  sqlite3 *db = *state;
  sqlite3 *dbPlain = 0;
  sqlite3_stmt *pStmt = 0, *pIns = 0;
  sqlite3_str *pBad = sqlite3_str_new(0);
  char *zDoc = function_reference(), *zBad;
  int nFunc = 0, i;

  assert_non_null(zDoc);
  /* The plain connection's functions, copied into a table of db. */
  assert_int_equal(sqlite3_open(":memory:", &dbPlain), SQLITE_OK);
  exec_ok(db, "CREATE TEMP TABLE plain(name, type, narg)");
  assert_int_equal(sqlite3_prepare_v2(dbPlain,
      "SELECT name, type, narg FROM pragma_function_list", -1, &pStmt, 0),
      SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(db,
      "INSERT INTO temp.plain VALUES(?1, ?2, ?3)", -1, &pIns, 0), SQLITE_OK);
  while( sqlite3_step(pStmt)==SQLITE_ROW ){
    for(i=0; i<3; i++) sqlite3_bind_value(pIns, i+1, sqlite3_column_value(pStmt, i));
    assert_int_equal(sqlite3_step(pIns), SQLITE_DONE);
    sqlite3_reset(pIns);
  }
  sqlite3_finalize(pIns);
  sqlite3_finalize(pStmt);
  assert_int_equal(sqlite3_close(dbPlain), SQLITE_OK);
  assert_true(query_int(db, "SELECT count(*) FROM temp.plain")>0);

  /* Every function of db that the plain connection does not have. */
  exec_ok(db, "CREATE TEMP TABLE added AS"
              " SELECT name, type, narg, enc, flags FROM pragma_function_list"
              " EXCEPT SELECT name, type, narg, enc, flags"
              "   FROM pragma_function_list"
              "  WHERE (name, type, narg) IN (SELECT * FROM temp.plain)");
  assert_int_equal(sqlite3_prepare_v2(db,
      "SELECT name, type, narg, enc, flags FROM temp.added ORDER BY 1, 3",
      -1, &pStmt, 0), SQLITE_OK);
  while( sqlite3_step(pStmt)==SQLITE_ROW ){
    const char *zName = (const char*)sqlite3_column_text(pStmt, 0);
    const char *zType = (const char*)sqlite3_column_text(pStmt, 1);
    int nArg = sqlite3_column_int(pStmt, 2);
    const char *zEnc = (const char*)sqlite3_column_text(pStmt, 3);
    int mFlags = sqlite3_column_int(pStmt, 4), mWant;
    int bDirect = 0;
    nFunc++;
    for(i=0; i<(int)(sizeof(azDirect)/sizeof(azDirect[0])); i++){
      if( strcmp(zName, azDirect[i])==0 ) bDirect = 1;
    }
    if( bDirect ){
      mWant = SQLITE_DIRECTONLY;
    }else if( strcmp(zType, "s")==0 ){
      mWant = SQLITE_DETERMINISTIC|SQLITE_INNOCUOUS;
    }else{
      mWant = SQLITE_INNOCUOUS;
    }
    if( strcmp(zType, "s")!=0 && strcmp(zType, "a")!=0 && strcmp(zType, "w")!=0 ){
      sqlite3_str_appendf(pBad, "  %s/%d: kind '%s'\n", zName, nArg, zType);
    }
    if( mFlags!=mWant ){
      sqlite3_str_appendf(pBad, "  %s/%s/%d: flags %d (0x%x), want %d (0x%x)\n",
                          zName, zType, nArg, mFlags, mFlags, mWant, mWant);
    }
    if( strcmp(zEnc, "utf8")!=0 ){
      sqlite3_str_appendf(pBad, "  %s/%d: encoding %s, want utf8\n",
                          zName, nArg, zEnc);
    }
    if( !doc_names(zDoc, zName) ){
      sqlite3_str_appendf(pBad, "  %s: not in ext/README.md's"
                          " \"## SQL functions\"\n", zName);
    }
  }
  sqlite3_finalize(pStmt);

  for(i=0; i<(int)(sizeof(azAnchor)/sizeof(azAnchor[0])); i++){
    if( query_int(db, "SELECT count(*) FROM temp.added"
                      " WHERE name||'/'||type||'/'||narg=%Q", azAnchor[i])!=1 ){
      sqlite3_str_appendf(pBad, "  %s: not found among the added functions\n",
                          azAnchor[i]);
    }
  }
  if( nFunc<(int)(sizeof(azAnchor)/sizeof(azAnchor[0])) ){
    sqlite3_str_appendf(pBad, "  only %d functions found\n", nFunc);
  }
  sqlite3_free(zDoc);
  zBad = sqlite3_str_finish(pBad);
  if( zBad && zBad[0] ){
    print_error("%d functions checked; these break the rule:\n%s", nFunc, zBad);
    sqlite3_free(zBad);
    fail();
  }
  sqlite3_free(zBad);
}

/* INNOCUOUS is what lets the functions run inside a view when the
** schema is not trusted. */
static void test_untrusted_schema(void **state){
  sqlite3 *db = *state;
  exec_ok(db, "PRAGMA trusted_schema=OFF;"
              "CREATE TABLE f(a, p, act, t);"
              "INSERT INTO f VALUES('10.0.0.1', 22, 'REJECT', 0),"
              " ('10.0.0.2', 80, 'ACCEPT', 60);"
              "CREATE VIEW v AS SELECT ip_class(a) c, is_private(a) p,"
              " tcp_flags_str(18) f, bar(p, 0, 80, 4) b FROM f;"
              "CREATE VIEW w AS SELECT port_breadth(p) n, addr_breadth(a) m,"
              " reject_ratio(act) r, sparkline(t/60, 1) s FROM f;");
  CHECK("SELECT * FROM v", "private|1|SYN,ACK|█▏  \nprivate|1|SYN,ACK|████");
  CHECK("SELECT * FROM w", "2|2|0.5|██");
}

int main(void){
  const struct CMUnitTest aTest[] = {
    cmocka_unit_test_setup_teardown(test_cidr_ipv4, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_cidr_ipv6, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_cidr_mapped, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_cidr_null_and_errors, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_cidr_per_row, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_utf16_database, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_addr_parse, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_ip_class, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_is_private, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_pcr, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_tcp_flags_str, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_tcp_has_syn_only, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_protocol_name, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_registration, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_untrusted_schema, setup_db, teardown_db),
  };
  return cmocka_run_group_tests(aTest, 0, 0);
}
