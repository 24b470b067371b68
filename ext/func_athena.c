/*
** func_athena.c - vpcflow_athena_ddl(path, location): the Athena
** CREATE EXTERNAL TABLE statement for the flow logs a path holds.
**
**   SELECT vpcflow_athena_ddl('logs/', 's3://bucket/AWSLogs/1234/vpcflowlogs/us-east-1/');
**
** The columns are the fields of the files' header lines, in first-seen
** order (the same union CREATE VIRTUAL TABLE uses), typed as AWS's own
** Athena DDL types them: int for version, ports, tcp_flags, traffic_path
** and encryption_status; bigint for protocol, packets, bytes, start, end
** and the packets_lost_* counters; string otherwise. Every name is
** backticked, which Athena needs for reserved words such as `end`.
** The table is partitioned by dt (yyyy/MM/dd) with partition projection
** over the S3 date folders, from the earliest date found in the local
** copy's key names (else 2020/01/01) to NOW, so queries written for
** vpcflow's hidden dt column run unchanged in Athena.
**
** It reads files, so it is registered SQLITE_DIRECTONLY, like readfile().
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <string.h>
#include "func.h"
#include "catalog.h"
#include "schema.h"

/* Athena type of the field named z (hyphenated). */
static const char *athena_type(const char *z){
  static const char *azBig[] = { "protocol", "packets", "bytes", "start",
    "end", "packets-lost-no-route", "packets-lost-blackhole",
    "packets-lost-mtu-exceeded", "packets-lost-ttl-expired" };
  size_t i;
  int iCat = vf_catalog_find(z, strlen(z));
  if( iCat<0 || vf_catalog_field(iCat)->eType!=VF_INT ) return "string";
  for(i=0; i<sizeof(azBig)/sizeof(azBig[0]); i++){
    if( strcmp(z, azBig[i])==0 ) return "bigint";
  }
  return "int";
}

static void vfAthenaDdlFunc(sqlite3_context *ctx,
                            int argc, sqlite3_value **argv){
  const char *zPath = (const char*)sqlite3_value_text(argv[0]);
  const char *zLoc = argc>1 ? (const char*)sqlite3_value_text(argv[1]) : 0;
  VfSchema schema;
  sqlite3_str *pStr;
  char *zErr = 0, *zOut;
  int i, rc;
  const char *zSlash;

  if( zPath==0 ) return;
  if( zLoc==0 || strncmp(zLoc, "s3://", 5)!=0 ){
    sqlite3_result_error(ctx, "vpcflow_athena_ddl(): the location must be "
                              "an s3:// URI", -1);
    return;
  }
  memset(&schema, 0, sizeof(schema));
  rc = vf_schema_collect(zPath, 0, &schema, &zErr,
                          sqlite3_context_db_handle(ctx));
  if( rc ){
    if( zErr ){
      sqlite3_result_error(ctx, zErr, -1);
      sqlite3_free(zErr);
    }else{
      sqlite3_result_error_code(ctx, rc);
    }
    return;
  }
  zSlash = zLoc[strlen(zLoc)-1]=='/' ? "" : "/";
  pStr = sqlite3_str_new(0);
  sqlite3_str_appendall(pStr,
      "CREATE EXTERNAL TABLE IF NOT EXISTS `vpc_flow_logs` (\n");
  for(i=0; i<schema.nField; i++){
    char *zCol = sqlite3_mprintf("%s", schema.azField[i]), *q;
    if( zCol==0 ){ rc = SQLITE_NOMEM; break; }
    for(q=zCol; *q; q++) if( *q=='-' ) *q = '_';
    sqlite3_str_appendf(pStr, "  `%s` %s%s\n", zCol,
                        athena_type(schema.azField[i]),
                        i<schema.nField-1 ? "," : "");
    sqlite3_free(zCol);
  }
  sqlite3_str_appendf(pStr,
      ")\n"
      "PARTITIONED BY (`dt` string)\n"
      "ROW FORMAT DELIMITED\n"
      "FIELDS TERMINATED BY ' '\n"
      "LOCATION '%s%s'\n"
      "TBLPROPERTIES (\n"
      "  'skip.header.line.count'='1',\n"
      "  'projection.enabled'='true',\n"
      "  'projection.dt.type'='date',\n"
      "  'projection.dt.format'='yyyy/MM/dd',\n"
      "  'projection.dt.range'='%04d/%02d/%02d,NOW',\n"
      "  'projection.dt.interval'='1',\n"
      "  'projection.dt.interval.unit'='DAYS',\n"
      "  'storage.location.template'='%s%s${dt}'\n"
      ");",
      zLoc, zSlash,
      schema.bDate ? schema.iY : 2020, schema.bDate ? schema.iM : 1,
      schema.bDate ? schema.iD : 1, zLoc, zSlash);
  vf_schema_free(&schema);
  zOut = sqlite3_str_finish(pStr);
  if( rc || zOut==0 ){
    sqlite3_free(zOut);
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_text(ctx, zOut, -1, sqlite3_free);
}

/* ====================================================================
** Registration: this file's functions (see func.h)
*/

/* Reads files: never from a view or trigger in a database file. */
static const VfFuncDef aAthenaFunc[] = {
  { "vpcflow_athena_ddl", 2, VF_DIRECT, vfAthenaDdlFunc, 0, 0, 0, 0 },
};

int vf_func_athena_register(sqlite3 *db, char **pzErr){
  return VF_FUNC_REGISTER(db, aAthenaFunc, pzErr);
}
