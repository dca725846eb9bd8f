/**
 * @module cli/report-commands
 * The commands that work on saved runs: `report` (render every format again from a matrix.json), `compare`,
 * `merge` (shards or regions into one matrix), `bless` (accept observed values into the expectations file) and
 * `table` (a capability table).
 */
import { stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ALL_CHECKS } from '../checks/registry.ts';
import { HarnessError } from '../errors.ts';
import { finishMatrix } from '../report/build-matrix.ts';
import { tableCsv, tableJson, tableMarkdown } from '../report/capability-formats.ts';
import { buildCapabilityTable } from '../report/capability-table.ts';
import { compareMatrices, describeComparison } from '../report/compare.ts';
import { gateLine } from '../report/gate.ts';
import { DEFAULT_REPORTS, REPORT_WRITERS } from '../report/index.ts';
import { inertLine } from '../report/inert-text.ts';
import type { Matrix, MatrixResult } from '../report/matrix.ts';
import { mergeMatrices } from '../report/merge.ts';
import { buildMigration, combineForMigration, migrationMarkdown } from '../report/migration.ts';
import { writeReportFiles } from '../report/report-writer.ts';
import { loadCatalog } from '../suite/load-catalog.ts';
import { FLAKY, allowsVariation, describeExpected, meets, type Expected, type Observed } from '../suite/expected.ts';
import { blessExpectations, loadExpectations, type BlessChange } from '../suite/load-expectations.ts';
import { readMatrix } from './read-matrix.ts';

export { readMatrix };

/** Writes every report format of `matrix` into `dir`; returns the paths. */
export function writeAllReports(matrix: Matrix, dir: string): Promise<string[]> {
  return writeReportFiles(dir, DEFAULT_REPORTS.flatMap((name) => REPORT_WRITERS[name]!.render(matrix, {})));
}

export async function reportCommand(file: string, flags: { reportDir?: string; baseline?: string }, out: NodeJS.WritableStream): Promise<number> {
  let matrix = await readMatrix(file);
  if (flags.baseline) matrix = finishMatrix({ ...matrix, comparison: compareMatrices(await readMatrix(flags.baseline), matrix) });
  const written = await writeAllReports(matrix, flags.reportDir ?? dirname(resolve(file)));
  out.write(`wrote ${written.join(', ')}\n`);
  return 0;
}

export async function compareCommand(oldFile: string, newFile: string, flags: { json?: boolean }, out: NodeJS.WritableStream): Promise<number> {
  const comparison = compareMatrices(await readMatrix(oldFile), await readMatrix(newFile));
  out.write(flags.json ? `${JSON.stringify(comparison, null, 2)}\n` : `${describeComparison(comparison)}\n`);
  return comparison.regressed ? 1 : 0;
}

/** `compare --by surface`: the migration view of one run of both surfaces (or of a run of each). Informational: exit 0. */
export async function compareSurfacesCommand(files: string[], flags: { json?: boolean }, out: NodeJS.WritableStream): Promise<number> {
  const view = buildMigration(combineForMigration(await Promise.all(files.map(readMatrix))));
  out.write(flags.json ? `${JSON.stringify(view, null, 2)}\n` : migrationMarkdown(view));
  return 0;
}

export async function mergeCommand(files: string[], flags: { reportDir: string }, out: NodeJS.WritableStream): Promise<number> {
  if (files.length < 2) throw new HarnessError('HARNESS_USAGE', 'merge: give two or more matrix.json files (shards of one run, or one run per region)');
  const merged = mergeMatrices(await Promise.all(files.map(readMatrix)));
  const written = await writeAllReports(merged, flags.reportDir);
  const problems = merged.gate.problems.map((p) => `  ${inertLine(p.message, 2000)}\n`).join('');
  out.write(`merged ${files.length} runs: ${merged.models.length} models, ${merged.targets.length} target(s), ${merged.results.length} results\n${problems}wrote ${written.join(', ')}\ngate: ${gateLine(merged.gate)}\n`);
  return merged.gate.exitCode;
}

/** The documented default: `./suites/expectations.yaml` where `./suites` exists. Never a path read from a matrix.json. */
async function defaultExpectationsFile(): Promise<string> {
  if ((await stat('suites').catch(() => null))?.isDirectory()) return resolve('suites/expectations.yaml');
  throw new HarnessError('HARNESS_USAGE', '--expectations: there is no ./suites folder here; name the expectations file to write with --expectations FILE');
}

/** What a flaky cell blesses as: the values its trials saw (most frequent first), or "flaky" when they saw one or none. */
function flakyExpectation(r: MatrixResult): Expected {
  const counts = new Map<Observed, number>();
  for (const t of r.trials ?? []) if (t.status !== 'error' && t.status !== 'skipped' && t.status !== 'inconclusive') counts.set(t.observed, (counts.get(t.observed) ?? 0) + 1);
  const values = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([v]) => v);
  return values.length >= 2 ? values : FLAKY;
}

export async function blessCommand(file: string, flags: { expectations?: string; catalog?: string; all?: boolean }, root: string, out: NodeJS.WritableStream): Promise<number> {
  const matrix = await readMatrix(file);
  const target = flags.expectations ? resolve(flags.expectations) : await defaultExpectationsFile();
  const current = await loadExpectations(target, ALL_CHECKS).catch((error: unknown) => {
    if (error instanceof HarnessError && error.code === 'HARNESS_FILE_NOT_FOUND') return undefined;
    throw error;
  });
  const changes: (BlessChange & { effective: string })[] = [];
  let errors = 0;
  for (const r of matrix.results) {
    if (r.status === 'error') errors += r.expectedSource ? 1 : 0;
    if (r.status !== 'pass' && r.status !== 'fail' && r.status !== 'flaky') continue;
    const to: Expected = r.status === 'flaky' ? flakyExpectation(r) : r.observed;
    const stated = current?.byModel.get(r.model)?.get(r.check);
    // A stated value that the observation meets stays as it is (a list keeps its values, "flaky" stays).
    const met = (expected: Expected) => (Array.isArray(to) ? allowsVariation(expected) && to.every((v) => meets(expected, v)) : to === FLAKY ? expected === FLAKY : meets(expected, to));
    const differs = stated ? !met(stated.value) : r.gating || (flags.all === true && (r.status === 'fail' || r.status === 'flaky' || r.expectedSource === null));
    if (!differs) continue;
    // "from" is what the cell was judged against: the file's value, else the catalog's or the reference.
    const source = stated ? 'expectations' : (r.expectedSource?.split(':')[0] ?? 'nothing stated');
    const effective = `${describeExpected(stated?.value ?? r.expected)} (${source})`;
    changes.push({ model: r.model, check: r.check, from: stated?.value, to, effective });
  }
  const unique = [...new Map(changes.map((c) => [`${c.model}\u0000${c.check}`, c])).values()];
  const show = (s: string) => inertLine(s, 300);
  if (unique.length === 0) {
    out.write(`nothing to bless: every observation in ${show(file)} already matches ${target}\n`);
  } else {
    const catalogFile = flags.catalog ?? (target.endsWith('/suites/expectations.yaml') ? target.replace(/expectations\.yaml$/, 'models.yaml') : `${root}/suites/models.yaml`);
    const catalog = await loadCatalog(catalogFile, ALL_CHECKS).then((c) => c.id, () => 'mantle');
    await blessExpectations(target, catalog, unique, `blessed from run ${matrix.run.id}`, `${root}/suites/schema/expectations.schema.json`);
    out.write(`blessed ${unique.length} value(s) into ${target}:\n${unique.map((c) => `  ${show(`${c.model} ${c.check}: ${c.effective} -> ${describeExpected(c.to)}`)}`).join('\n')}\nReview the diff (git diff ${target}) before committing.\n`);
  }
  if (errors) out.write(`not blessed: ${errors} cell(s) with errors (nothing was observed; fix the endpoint or rerun)\n`);
  return 0;
}

export async function tableCommand(files: string[], flags: { format: string; out?: string; long?: boolean }, out: NodeJS.WritableStream): Promise<number> {
  if (files.length === 0) throw new HarnessError('HARNESS_USAGE', 'table: give one or more matrix.json files (one per region is fine)');
  const table = buildCapabilityTable(await Promise.all(files.map(readMatrix)));
  const long = { long: flags.long === true };
  const formats: Record<string, () => string> = { markdown: () => tableMarkdown(table), csv: () => tableCsv(table, long), json: () => tableJson(table, long) };
  const render = formats[flags.format];
  if (!render) throw new HarnessError('HARNESS_USAGE', `--format: "${flags.format}" is not one of markdown, csv, json`);
  if (flags.out) {
    await writeFile(flags.out, render(), 'utf8');
    out.write(`wrote ${flags.out}\n`);
  } else {
    out.write(render());
  }
  return 0;
}
