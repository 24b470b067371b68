// check.mjs - offline checks of the Athena SQL (sql/athena/detections/).
//
//   node tests/athena/check.mjs NODE_DIR DDL_FILE FUNCTIONS_FILE FILE.sql...
//
// NODE_DIR holds node_modules/dt-sql-parser (tests/athena/check.sh
// installs it); DDL_FILE is the CREATE EXTERNAL TABLE statement that
// vpcflow_athena_ddl() printed; FUNCTIONS_FILE is tests/athena/
// trino_functions.txt. Every FILE is checked; the files named *prepare.sql
// and *user_tables.sql also define the views the others may read.
//
// HOW IT WORKS
//   1. Syntax: dt-sql-parser's TrinoSQL (an ANTLR grammar derived from
//      Trino's SqlBase.g4) validates each file; any error fails it.
//   2. Names: the parse tree is walked. A table reference (TableName)
//      must be vpc_flow_logs (the DDL's table), a CTE of the file or a
//      view that prepare.sql/user_tables.sql create. A column reference
//      (ColumnName/ColumnRef: [qualifier.]column) must name a column of
//      the DDL or a name some SELECT, CTE, relation alias or lambda of the
//      checked files defines; its qualifier must be a relation alias,
//      CTE, view or table name. This is NOT scope-aware: a column that
//      exists in some other CTE passes (Athena would catch that, we
//      cannot without the engine); a misspelt or invented name fails.
//      Exception, exact: in a SELECT whose only table is vpc_flow_logs,
//      every column must be one of the DDL's.
//   3. Functions: every function call's name must be on the list.
//   4. Contract: a detection's outermost SELECT returns exactly the
//      columns of the local detections, in order; a file that reads
//      vpc_flow_logs filters on the partition column dt, with values in
//      the projection's yyyy/MM/dd; a format() call with a literal format
//      string has one argument per conversion (Trino fails at run time
//      otherwise).
// Exit status 1 when any check fails, with one line per problem.

import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const [nodeDir, ddlFile, fnFile, ...files] = process.argv.slice(2);
register(pathToFileURL(new URL('./esm_hook.mjs', import.meta.url).pathname));
const { TrinoSQL } = await import(pathToFileURL(nodeDir + '/node_modules/dt-sql-parser/dist/index.js'));
const parser = new TrinoSQL();

const OUTPUT = ['detection', 'score', 'severity', 'src', 'dst', 'port', 'first_seen', 'last_seen', 'evidence'];

// The DDL: "CREATE EXTERNAL TABLE IF NOT EXISTS `vpc_flow_logs` (" then
// "  `name` type," lines, then PARTITIONED BY (`dt` string).
const ddl = readFileSync(ddlFile, 'utf8');
const ddlTable = (ddl.match(/CREATE EXTERNAL TABLE IF NOT EXISTS `([^`]+)`/) || [])[1];
const ddlCols = new Set([...ddl.matchAll(/^\s*`([^`]+)` (?:int|bigint|string)/gm)].map((m) => m[1]));
const part = ddl.match(/PARTITIONED BY \(`([^`]+)`/);
if (part) ddlCols.add(part[1]);
if (!ddlTable || ddlCols.size < 3) {
  console.error(`check.mjs: ${ddlFile} is not vpcflow_athena_ddl() output`);
  process.exit(2);
}

const functions = new Set(readFileSync(fnFile, 'utf8').split('\n')
  .map((l) => l.replace(/#.*/, '').trim().toLowerCase()).filter(Boolean));

const unquote = (s) => (s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s).toLowerCase();
const kind = (n) => n.constructor.name;
const isIdent = (n) => /IdentifierContext$/.test(kind(n));
const kids = (n) => n.children || [];

// The identifiers of a QualifiedName (or of the first one below n); a
// table or view name has no QualifiedName in this grammar (TableRef,
// ViewRef): then every identifier below n, in order.
function qualifiedName(n) {
  if (kind(n) === 'QualifiedNameContext') return kids(n).filter(isIdent).map((c) => unquote(c.getText()));
  for (const c of kids(n)) { const q = qualifiedName(c); if (q) return q; }
  return null;
}
function idents(n, out = []) {
  if (isIdent(n)) out.push(unquote(n.getText()));
  else for (const c of kids(n)) idents(c, out);
  return out;
}
function qualified(n) {
  const q = qualifiedName(n);
  if (q) return q;
  const all = idents(n);
  return all.length ? all : null;
}

// The text of an expression made only of string literals (joined by
// ||), else null: format()'s format string.
function literalText(n) {
  if (!n) return null;
  const parts = [];
  let other = false;
  (function walk(m) {
    const k = kind(m);
    if (k === 'BasicStringLiteralContext') { parts.push(m.getText().slice(1, -1).replace(/''/g, "'")); return; }
    if (/ColumnReference|ColumnName|FunctionCall|NumericLiteral|Subquery/.test(k)) { other = true; return; }
    for (const c of kids(m)) walk(c);
  })(n);
  return other || !parts.length ? null : parts.join('');
}

// Conversions of a Java format string (what Trino's format() uses),
// without %% and %n, which take no argument.
const conversions = (f) => (f.match(/%(\d+\$)?[-#+ 0,(<]*\d*(\.\d+)?[a-zA-Z%]/g) || [])
  .filter((c) => c !== '%%' && c !== '%n');

// Collect, for one tree: definitions, references, calls, table names.
function collect(tree) {
  const r = { rel: new Set(), cols: new Set(), views: new Set(), colRefs: [], tabRefs: [], calls: [] };
  (function walk(n) {
    const k = kind(n);
    const line = n.start ? n.start.line : 0;
    if (k === 'NamedQueryContext') {
      const id = kids(n).find(isIdent);
      if (id) r.rel.add(unquote(id.getText()));
    } else if (k === 'AliasedRelationContext') {
      for (const c of kids(n)) if (isIdent(c)) r.rel.add(unquote(c.getText()));
    } else if (k === 'ColumnAliasesContext' || k === 'LambdaContext' || k === 'SelectItemContext') {
      for (const c of kids(n)) if (isIdent(c)) r.cols.add(unquote(c.getText()));
    } else if (k === 'WindowDefinitionContext') {
      for (const c of kids(n)) if (isIdent(c)) r.rel.add(unquote(c.getText()));
    } else if (k === 'ViewNameCreateContext') {
      const q = qualified(n);
      if (q) r.views.add(q[q.length - 1]);
      return;
    } else if (k === 'TableAllColumnsContext') {
      // x.* : x must be a relation
      const q = qualified(n);
      if (q) r.colRefs.push({ parts: [...q, '*'], line });
      return;
    } else if (k === 'TableNameContext') {
      const q = qualified(n);
      if (q) r.tabRefs.push({ name: q[q.length - 1], line });
      return;
    } else if (k === 'ColumnNameContext' || k === 'ColumnRefContext') {
      const q = qualified(n);
      if (q) r.colRefs.push({ parts: q, line });
      return;
    } else if (k === 'FunctionCallContext') {
      const fn = kids(n).find((c) => kind(c) === 'FunctionNameContext');
      if (fn) {
        const args = kids(n).filter((c) => kind(c) === 'ExpressionContext');
        r.calls.push({ name: fn.getText().toLowerCase(), line, fmt: literalText(args[0]), nargs: args.length });
      }
    }
    for (const c of kids(n)) walk(c);
  })(tree);
  return r;
}

// Column references of the SELECTs that read only the DDL's table: there
// the check is exact (scope-aware), every column must be the table's.
function baseTableRefs(tree, table) {
  const out = [];
  (function walk(n) {
    if (kind(n) === 'QuerySpecificationContext') {
      const rels = [], refs = [];
      (function inner(m, top) {
        const k = kind(m);
        if (!top && (k === 'QuerySpecificationContext' || k === 'QueryContext')) return;
        if (k === 'TableNameContext') { const q = qualified(m); if (q) rels.push(q[q.length - 1]); return; }
        if (k === 'SubqueryRelationContext') rels.push('(subquery)');
        if (k === 'ColumnNameContext' || k === 'ColumnRefContext') {
          const q = qualified(m);
          if (q) refs.push({ parts: q, line: m.start ? m.start.line : 0 });
          return;
        }
        for (const c of kids(m)) inner(c, false);
      })(n, true);
      if (rels.length && rels.every((r) => r === table)) out.push(...refs);
    }
    for (const c of kids(n)) walk(c);
  })(tree);
  return out;
}

// The names of the outermost SELECT's items (alias, else column name).
function outputNames(tree) {
  let spec = null;
  (function find(n, depth) {
    if (spec) return;
    const k = kind(n);
    if (k === 'WithContext' || k === 'SubqueryExpressionContext' || k === 'SubqueryRelationContext') return;
    if (k === 'QuerySpecificationContext') { spec = n; return; }
    for (const c of kids(n)) find(c, depth + 1);
  })(tree, 0);
  if (!spec) return null;
  const list = kids(spec).find((c) => kind(c) === 'SelectListContext');
  return kids(list).filter((c) => kind(c) === 'SelectItemContext').map((item) => {
    const alias = kids(item).filter(isIdent).pop();
    if (alias) return unquote(alias.getText());
    const q = qualified(item);
    return q ? q[q.length - 1] : item.getText();
  });
}

let failures = 0;
const fail = (file, line, msg) => { failures++; console.log(`${file}:${line}: ${msg}`); };

// Pass 1: parse everything; the shared files' views and names are global.
const parsed = files.map((f) => {
  const text = readFileSync(f, 'utf8');
  const errors = parser.validate(text);
  for (const e of errors.slice(0, 3)) fail(f, e.startLine, `syntax (Trino grammar): ${e.message.split('\n')[0].slice(0, 160)}`);
  const tree = errors.length ? null : parser.parse(text);
  return { f, text, tree, info: tree ? collect(tree) : null };
});
const shared = { views: new Set(), cols: new Set(), rel: new Set() };
for (const p of parsed) {
  if (!p.info || !/(prepare|user_tables)\.sql$/.test(p.f)) continue;
  for (const v of p.info.views) shared.views.add(v);
  for (const c of p.info.cols) shared.cols.add(c);
}

// Pass 2: the checks.
for (const p of parsed) {
  if (!p.info) continue;
  const { f, info } = p;
  const tables = new Set([ddlTable, ...shared.views, ...info.views]);
  const rels = new Set([...tables, ...info.rel]);
  const cols = new Set([...ddlCols, ...shared.cols, ...info.cols]);
  for (const t of info.tabRefs) {
    if (!tables.has(t.name) && !info.rel.has(t.name)) fail(f, t.line, `table or view "${t.name}" is neither ${ddlTable}, a view of prepare.sql/user_tables.sql nor a CTE`);
  }
  for (const c of info.colRefs) {
    const col = c.parts[c.parts.length - 1];
    const qual = c.parts.slice(0, -1);
    if (col !== '*' && !cols.has(col)) fail(f, c.line, `column "${c.parts.join('.')}" is not in the DDL of vpcflow_athena_ddl() nor defined by a SELECT/CTE/alias`);
    for (const q of qual) if (!rels.has(q)) fail(f, c.line, `"${q}" in "${c.parts.join('.')}" is not a table, view, CTE or alias`);
  }
  for (const c of baseTableRefs(p.tree, ddlTable)) {
    const col = c.parts[c.parts.length - 1];
    if (!ddlCols.has(col)) fail(f, c.line, `column "${c.parts.join('.')}" is read from ${ddlTable}, whose DDL (vpcflow_athena_ddl()) has no such column`);
  }
  for (const c of info.calls) {
    if (!functions.has(c.name)) fail(f, c.line, `function ${c.name}() is not on the Athena engine v3 list (tests/athena/trino_functions.txt)`);
  }
  for (const c of info.calls) {
    if (c.name !== 'format' || c.fmt === null) continue;
    const want = conversions(c.fmt).length;
    if (want !== c.nargs - 1) fail(f, c.line, `format() has ${want} conversion(s) for ${c.nargs - 1} argument(s): '${c.fmt.slice(0, 60)}'`);
  }
  const code = p.text.replace(/--[^\n]*/g, '');
  for (const m of code.matchAll(/\bdt\s*(?:BETWEEN|=|>=|<=|<|>)\s*'([^']*)'(?:\s+AND\s+'([^']*)')?/gi)) {
    for (const v of [m[1], m[2]]) {
      if (v !== undefined && !/^\d{4}\/\d{2}\/\d{2}$/.test(v)) fail(f, 1, `dt is compared with '${v}': the partitions are named yyyy/MM/dd`);
    }
  }
  if (info.tabRefs.some((t) => t.name === ddlTable) && !/\bdt\s+(BETWEEN|=|IN|>=|<=|>|<)/i.test(p.text.replace(/--[^\n]*/g, ''))) {
    fail(f, 1, `reads ${ddlTable} without a filter on the partition column dt`);
  }
  if (!/(prepare|user_tables)\.sql$/.test(f)) {
    const out = outputNames(p.tree);
    if (!out || out.join(',') !== OUTPUT.join(',')) {
      fail(f, 1, `output columns (${out ? out.join(', ') : 'none'}) are not the local detections' (${OUTPUT.join(', ')})`);
    }
  }
}
const n = parsed.length;
if (failures) {
  console.log(`athena-check: ${failures} problem(s) in ${n} file(s)`);
  process.exit(1);
}
console.log(`athena-check: ${n} file(s): Trino syntax, tables, columns, functions and output columns OK`);
