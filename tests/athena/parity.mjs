// parity.mjs - the evidence texts of the Athena detections against the
// local ones: every printf() format string of sql/detections/NAME.sql
// must be a format() format string of sql/athena/detections/NAME.sql and
// the reverse (the conversions used, %d %s %.1f %%, mean the same in C
// and in Java's formatter); so must the other phrases of the evidence
// (string literals of 12+ characters with a space).
//
//   node tests/athena/parity.mjs LOCAL_DIR ATHENA_DIR
//
// Exit status 1 with one line per difference. It catches a local
// evidence change that the Athena file did not follow (or the reverse);
// it says nothing about the arguments or the scores.
import { readFileSync, readdirSync } from 'node:fs';

const [localDir, athenaDir] = process.argv.slice(2);
// 'a' || 'b' joined; '' is a quote.
function formats(text, fn) {
  const out = new Set();
  const code = text.replace(/--[^\n]*/g, '');
  const re = new RegExp(`\\b${fn}\\(\\s*('(?:[^']|'')*'(?:\\s*\\|\\|\\s*'(?:[^']|'')*')*)`, 'g');
  for (const m of code.matchAll(re)) {
    out.add([...m[1].matchAll(/'((?:[^']|'')*)'/g)].map((x) => x[1].replace(/''/g, "'")).join(''));
  }
  return out;
}
// Other text of the evidence: string literals of 12+ characters with a
// space ('; our host is the attacker'), outside tunable INSERTs and the
// local files' "skipped: create the table" notes.
function phrases(text, fmtFn) {
  const code = text.replace(/--[^\n]*/g, '').replace(/INSERT OR IGNORE INTO tunables[^;]*;/g, '');
  const out = new Set();
  for (const m of code.matchAll(/'((?:[^']|'')*)'/g)) {
    const v = m[1].replace(/''/g, "'");
    if (v.length >= 12 && v.includes(' ') && !v.includes('%') && !/skipped|CREATE TEMP TABLE/.test(v)) out.add(v);
  }
  return out;
}
let bad = 0;
const names = readdirSync(localDir).filter((f) => f.endsWith('.sql'));
for (const f of names) {
  let athena;
  try { athena = readFileSync(`${athenaDir}/${f}`, 'utf8'); } catch { console.log(`${f}: no Athena version`); bad++; continue; }
  const l = formats(readFileSync(`${localDir}/${f}`, 'utf8'), 'printf');
  const a = formats(athena, 'format');
  for (const s of l) if (!a.has(s)) { console.log(`${f}: local evidence '${s}' is not in the Athena file`); bad++; }
  for (const s of a) if (!l.has(s)) { console.log(`${f}: Athena evidence '${s}' is not in the local file`); bad++; }
  const lp = phrases(readFileSync(`${localDir}/${f}`, 'utf8')), ap = phrases(athena);
  for (const s of lp) if (!ap.has(s)) { console.log(`${f}: local text '${s}' is not in the Athena file`); bad++; }
  for (const s of ap) if (!lp.has(s)) { console.log(`${f}: Athena text '${s}' is not in the local file`); bad++; }
}
if (bad) { console.log(`athena parity: ${bad} difference(s)`); process.exit(1); }
console.log(`athena parity: the evidence format strings of ${names.length} detections match`);
