// duck.mjs - the DuckDB peer of `make bench`.
//
//   node duck.mjs --node DIR --file FLOWLOG --kind v2|v5 --threads N \
//                 --sql 'SELECT ... FROM t' [--timing OUT]
//
// DIR is the npm prefix where `make bench-deps` installed @duckdb/node-api.
// The flow log (plain or .gz) is the view `t` over read_csv with explicit
// column types and '-' read as NULL, so the queries are the same text as
// for SQLite. Result rows go to stdout, '|' between columns, NULL as an
// empty field and DOUBLE always with a decimal point, like sqlite3's list
// mode. The in-process time (open + query + fetch, without Node's start-up
// and module load) is written to OUT as seconds.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

function parseArgs(argv) {
  const a = { threads: '2', kind: 'v2' };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i], v = argv[i + 1];
    if (!k.startsWith('--') || v === undefined) usage();
    a[k.slice(2)] = v;
  }
  if (!a.node || !a.file || !a.sql) usage();
  return a;
}
function usage() {
  process.stderr.write('usage: node duck.mjs --node DIR --file F --kind v2|v5 --threads N --sql SQL [--timing OUT]\n');
  process.exit(2);
}

const INT = 'INTEGER', BIG = 'BIGINT', TXT = 'VARCHAR';
const V2 = [
  ['version', INT], ['account_id', TXT], ['interface_id', TXT], ['srcaddr', TXT],
  ['dstaddr', TXT], ['srcport', INT], ['dstport', INT], ['protocol', INT],
  ['packets', BIG], ['bytes', BIG], ['start', BIG], ['end', BIG],
  ['action', TXT], ['log_status', TXT],
];
const V5 = V2.concat([
  ['vpc_id', TXT], ['subnet_id', TXT], ['instance_id', TXT], ['tcp_flags', INT],
  ['type', TXT], ['pkt_srcaddr', TXT], ['pkt_dstaddr', TXT], ['region', TXT],
  ['az_id', TXT], ['sublocation_type', TXT], ['sublocation_id', TXT],
  ['pkt_src_aws_service', TXT], ['pkt_dst_aws_service', TXT],
  ['flow_direction', TXT], ['traffic_path', INT],
]);

const sq = (s) => "'" + String(s).replace(/'/g, "''") + "'";

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const req = createRequire(join(a.node, 'package.json'));
  const duck = await import(pathToFileURL(req.resolve('@duckdb/node-api')).href);
  const { DuckDBInstance, DuckDBTypeId } = duck;
  const cols = (a.kind === 'v5' ? V5 : V2).map(([n, t]) => `${sq(n)}: ${sq(t)}`).join(', ');
  const view = `CREATE VIEW t AS SELECT * FROM read_csv(${sq(a.file)}, delim=' ', ` +
    `header=true, nullstr='-', auto_detect=false, columns={${cols}})`;

  const t0 = process.hrtime.bigint();
  const inst = await DuckDBInstance.create(':memory:', { threads: String(a.threads) });
  const conn = await inst.connect();
  await conn.run(view);
  const reader = await conn.runAndReadAll(a.sql);
  const rows = reader.getRows();
  const t1 = process.hrtime.bigint();

  const dbl = reader.columnTypes().map((t) =>
    t.typeId === DuckDBTypeId.DOUBLE || t.typeId === DuckDBTypeId.FLOAT);
  const out = [];
  for (const r of rows) {
    out.push(r.map((v, i) => {
      if (v === null || v === undefined) return '';
      if (dbl[i] && typeof v === 'number' && Number.isInteger(v)) return v.toFixed(1);
      return String(v);
    }).join('|'));
  }
  if (out.length) writeSync(1, out.join('\n') + '\n');
  if (a.timing) writeFileSync(a.timing, (Number(t1 - t0) / 1e9).toFixed(3) + '\n');
  conn.closeSync?.();
  inst.closeSync?.();
}

main().catch((e) => {
  process.stderr.write(`duck.mjs: ${e && e.message ? e.message : e}\n`);
  process.exit(1);
});
