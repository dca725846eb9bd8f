// Compares two replay runs' matrix.json: every cell (status, observed, expected, reason, evidence, trials) and the
// run-wide parts (targets, checks, models, totals, gate, shapes), ignoring what a run records about itself (its id,
// times, the folders it read). A performance change must leave the verdicts of the bundled replay untouched:
//   node dist/cli/bin.js run --report-dir /tmp/before   (on the commit before)
//   node dist/cli/bin.js run --report-dir /tmp/after    (on the commit after)
//   node bench/diff-matrix.mjs /tmp/before/matrix.json /tmp/after/matrix.json
// Exits 0 when they agree, 1 listing (up to 20 of) the differences.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';

const [beforeFile, afterFile] = process.argv.slice(2);
if (!beforeFile || !afterFile) {
  console.error('usage: node bench/diff-matrix.mjs <before/matrix.json> <after/matrix.json>');
  process.exit(2);
}
const read = (file) => JSON.parse(readFileSync(file, 'utf8'));
const before = read(beforeFile);
const after = read(afterFile);

/** Per-model wall time is how long the run took, not what it found. */
const withoutWall = (totals) => ({ ...totals, wallMs: undefined, perModel: Object.fromEntries(Object.entries(totals.perModel ?? {}).map(([key, value]) => [key, { ...value, wallMs: undefined }])) });

const differences = [];
for (const part of ['format', 'targets', 'checks', 'models', 'gate', 'shapes']) {
  if (!isDeepStrictEqual(before[part], after[part])) differences.push(`${part} differs`);
}
if (!isDeepStrictEqual(withoutWall(before.totals), withoutWall(after.totals))) differences.push('totals differ');
if (!isDeepStrictEqual(before.run?.selection, after.run?.selection)) differences.push('run.selection differs');

const key = (cell) => `${cell.target}/${cell.model}/${cell.check}`;
const cells = (matrix) => new Map(matrix.results.map((cell) => [key(cell), cell]));
const was = cells(before);
const now = cells(after);
for (const [id, cell] of was) {
  const other = now.get(id);
  if (!other) {
    differences.push(`${id}: only in ${beforeFile}`);
    continue;
  }
  for (const field of new Set([...Object.keys(cell), ...Object.keys(other)])) {
    if (!isDeepStrictEqual(cell[field], other[field])) differences.push(`${id}: ${field} ${JSON.stringify(cell[field])?.slice(0, 200)} -> ${JSON.stringify(other[field])?.slice(0, 200)}`);
  }
}
for (const id of now.keys()) if (!was.has(id)) differences.push(`${id}: only in ${afterFile}`);

if (differences.length === 0) {
  console.log(`identical: ${was.size} cells (status, observed, expected, reason, evidence), gate, totals, shapes`);
} else {
  console.log(`${differences.length} differences:`);
  for (const line of differences.slice(0, 20)) console.log(`  ${line}`);
  process.exit(1);
}
