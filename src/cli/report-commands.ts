/**
 * @module cli/report-commands
 * The commands that work on saved runs: `report` (render every format again from a matrix.json), `compare`,
 * `merge` (shards or regions into one matrix) and `table` (a capability table); `bless` is in bless-command.ts.
 */
import { realpath } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../atomic-write.ts';
import { HarnessError, WRITE_PROBLEMS } from '../errors.ts';
import { formatVersion } from '../format-version.ts';
import { checkName } from '../names.ts';
import { finishMatrix } from '../report/build-matrix.ts';
import { tableCsv, tableJson, tableMarkdown } from '../report/capability-formats.ts';
import { buildCapabilityTable } from '../report/capability-table.ts';
import { compareMatrices, comparisonWarnings, describeComparison, sameRunProblem, unfinishedRun } from '../report/compare.ts';
import { coverageLine, gateLine } from '../report/gate.ts';
import { answeredAsAnotherLines } from '../report/observed-models.ts';
import { writeDefaultReports } from '../report/index.ts';
import { inertLine, printedJson } from '../report/inert-text.ts';
import { printedPaths } from './printed-path.ts';
import { missingShardReason } from '../report/missing-shard.ts';
import { MATRIX_FORMAT, type Matrix } from '../report/matrix.ts';
import { olderRules } from '../report/older-rules.ts';
import { mergeMatrices } from '../report/merge.ts';
import { buildMigration, combineForMigration, migrationMarkdown } from '../report/migration.ts';
import { nothingCompared } from '../report/nothing-compared.ts';
import { vanishedTargetsProblem } from '../report/lost-models.ts';
import { PROBLEM_BYTES } from '../report/problem-list.ts';
import { keepingEarlier, readBeforeRemovingEarlier, readThenRemoveEarlier } from './earlier-reports.ts';
import { CONSOLE_LINES, problemLines } from './gate-lines.ts';
import { readLimits, warnWrittenSize } from './matrix-size.ts';
import { checkStillInPlace, inPlaceInput, placedMatrix } from './in-place-input.ts';
import { lostFrom, type LeftOut } from './known-fields.ts';
import { checkOutputTarget, writeToDescriptor, type Descriptor } from './output-target.ts';
import { parseMatrix, readMatrix } from './read-matrix.ts';
import { checkReportDir, fileIdentity } from './report-dir-guard.ts';
import { sameRunTwice, shardsApart } from './same-run-twice.ts';
import { appendStepSummary } from './step-summary-file.ts';


/**
 * Exits with the gate of the matrix it wrote (recomputed on reading, and with --baseline against that run), as `run`
 * and `merge` do: a CI step that renders a saved run, or compares it with the last one, can gate on it. An
 * interrupted run's matrix says `interrupted`, so 130, as the run that wrote it exited.
 */
export async function reportCommand(file: string, flags: { reportDir?: string; baseline?: string }, out: NodeJS.WritableStream, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const reportDir = flags.reportDir ?? dirname(resolve(file));
  const inputs = [file, ...(flags.baseline ? [flags.baseline] : [])];
  await checkReportDir(reportDir, inputs, { command: 'report', rewrites: file });
  // The input rendered where it lies: where its link leads is settled now, read, and must hold until the write.
  const place = await inPlaceInput(reportDir, file);
  const leftOut: LeftOut = { paths: [], count: 0 };
  // Once an input rendered where it lies is read, every refusal (its --baseline missing or the same run, moved
  // meanwhile, fields it would lose) leaves its folder as it was: its earlier reports are that input's own renderings,
  // and go only once the new ones are about to take their place. An input that cannot be read has none of its own.
  const [matrix, removeEarlier] = await readBeforeRemovingEarlier(reportDir, inputs, async () => {
    const limits = readLimits();
    const read = await readMatrix(file, limits, { ...(place ? { from: place.file } : {}), leftOut });
    return withBaseline(read, limits).catch((error: unknown) => Promise.reject(place && error instanceof Object ? keepingEarlier(error) : error));
  });
  async function withBaseline(read: Matrix, limits: ReturnType<typeof readLimits>): Promise<Matrix> {
    noteOlderJudges([read], [file], err);
    const baseline = flags.baseline ? await readMatrix(flags.baseline, limits) : undefined;
    if (place) await checkStillInPlace(place, file);
    if (!baseline) return read;
    const same = sameRunProblem(baseline, read);
    if (same) throw new HarnessError('HARNESS_USAGE', `--baseline ${inertLine(flags.baseline, 300)}: ${same} (without --baseline, report renders the comparison ${inertLine(file, 300)} was written with)`);
    const compared = finishMatrix({ ...read, comparison: compareMatrices(baseline, read) });
    if (place && lostFrom(leftOut, compared).count > 0) throw new HarnessError('HARNESS_USAGE', `report ${inertLine(file, 300)} --baseline: ${unknownFields(lostFrom(leftOut, compared))}; written again with the comparison, it would lose them. Render it with the mantle-conformance that wrote it, or give --report-dir another folder (the input is then left as it is). Nothing was written.`);
    for (const warning of comparisonWarnings(baseline, read)) err.write(`${warning}\n`);
    return compared;
  }
  // What this version does not know is not dropped from the input: it stays as it is, and the renderings are written.
  const lost = place ? lostFrom(leftOut, matrix) : { paths: [], count: 0 };
  const left = lost.count > 0 ? ['matrix.json'] : [];
  if (left.length > 0) err.write(`note: ${inertLine(file, 300)}: ${unknownFields(lost)}; it is left as it is (written again, it would lose them), and its other reports are written from what this version reads\n`);
  else if (place && place.links > 1) err.write(`note: ${inertLine(file, 300)} has ${place.links} names (hard links): a new file takes the place of ${inertLine(place.linked ? place.file : place.name, 300)} only, and its other names keep what they held\n`);
  if (!place) await removeEarlier();
  const beforeCommit = place ? () => checkStillInPlace(place, file).then(removeEarlier) : undefined;
  const written = await writeDefaultReports(matrix, reportDir, { placed: placedMatrix(reportDir, place), left, ...(beforeCommit ? { beforeCommit } : {}) });
  // No cell compared (with --baseline, or as the saved run was compared): the gate fails on it, and the console says
  // why and the fix above the gate line, as `run` does.
  const none = matrix.gate.problems.filter((p) => p.kind === 'nothing-compared').map((p) => `${inertLine(p.message, PROBLEM_BYTES)}\n`).join('');
  out.write(`wrote ${printedPaths(written)}\n${none}gate: ${gateLine(matrix.gate, matrix.run)}\n`);
  return matrix.gate.exitCode;
}

/** What a matrix.json holds that this version does not know, in words: the JSON paths of the first few. */
function unknownFields(leftOut: { paths: string[]; count: number }): string {
  const more = leftOut.count > leftOut.paths.length ? `, and ${leftOut.count - leftOut.paths.length} more` : '';
  return `it holds ${leftOut.count === 1 ? 'a field' : `${leftOut.count} fields`} this version does not know (${inertLine(leftOut.paths.join(', '), 600)}${more}), written by another version of mantle-conformance (a newer one adds fields) or by an edit`;
}

export async function compareCommand(oldFile: string, newFile: string, flags: { json?: boolean }, out: NodeJS.WritableStream, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const limits = readLimits();
  const after = await readMatrix(newFile, limits);
  const before = await readMatrix(oldFile, limits);
  const same = sameRunProblem(before, after);
  if (same) throw new HarnessError('HARNESS_USAGE', `compare ${inertLine(oldFile, 300)} ${inertLine(newFile, 300)}: ${same}`);
  const comparison = compareMatrices(before, after);
  // A lone shard, or the runs given newest first: said on stderr, the exit code stays the comparison's.
  for (const warning of comparisonWarnings(before, after)) err.write(`${warning}\n`);
  const unfinished = unfinishedRun(after);
  // No cell compared (no target, model or check in common): "regressed: false" would be a green gate on nothing
  // observed, so it exits 1 too.
  const none = nothingCompared(comparison, after);
  // A baseline target with no cell in this run was not compared (a region whose job wrote nothing): it regressed.
  const gone = vanishedTargetsProblem(comparison);
  const shown = gone ? { ...comparison, regressed: true } : comparison;
  const json = { ...shown, ...(gone ? { vanishedTargetsProblem: gone } : {}), ...(unfinished ? { unfinished } : {}), ...(none ? { nothingCompared: true } : {}) };
  out.write(flags.json ? printedJson(json) : `${describeComparison(shown, after)}\n${[gone, unfinished].filter(Boolean).map((line) => `${inertLine(line!, 2000)}\n`).join('')}`);
  // Cells a baseline that stopped did not reach were not compared: exit 1 as for a newer run that stopped (the line says so).
  return shown.regressed || unfinished || none || comparison.baselineUnreached ? 1 : 0;
}

/**
 * `compare --by surface`: the migration view of one run of both surfaces (or of a run of each). Exit 0 when every
 * model of each pair was observed on both surfaces of a whole run; 1 when a surface did not observe a model, no cell was
 * compared (no site run on both surfaces, or no check or model in common: as `compare` says), or the run is a shard or did not finish: what was not
 * observed was not compared, and a gate on it is never green on that.
 */
export async function compareSurfacesCommand(files: string[], flags: { json?: boolean }, out: NodeJS.WritableStream): Promise<number> {
  const combined = combineForMigration(await readAll(files), files);
  const view = buildMigration(combined);
  out.write(flags.json ? printedJson(view) : migrationMarkdown(view));
  if (!flags.json && view.pairs.length === 0) {
    // Say what was there: a local endpoint run without --surface is `custom`, and sites must match to pair (a run
    // made before a Bedrock host's region became its site has the host as its site).
    const targets = combined.targets.map((t) => `${t.id} (${t.surface ?? 'mantle'}, site ${t.site ?? t.region ?? t.id})`).join(', ');
    out.write(`${inertLine(`Targets: ${targets}. A pair is a mantle and a runtime target of one site; a local endpoint is custom unless run as --targets mantle:NAME=URL,runtime:NAME=URL (or --surface); two endpoints of one region (Bedrock hosts, a PrivateLink name, a gateway) pair when each run names it: --targets mantle:REGION=URL,runtime:REGION=URL.`, 2000)}\n`);
  }
  // Pairs whose surfaces share no check or model compare nothing: never a green gate on that (view.nothingCompared).
  return view.nothingCompared || view.pairs.some((p) => p.notObserved.length > 0) || view.shard || view.partial ? 1 : 0;
}

export async function mergeCommand(files: string[], flags: { reportDir: string; expectTargets?: string }, out: NodeJS.WritableStream, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const expectTargets = flags.expectTargets === undefined ? undefined : expectedTargets(flags.expectTargets);
  // Jobs that died before writing their matrix.json can leave a single one behind: merged alone, a shard says which
  // of its run's shards are missing (partial, exit 1), as it does beside others.
  if (files.length < 1) throw new HarnessError('HARNESS_USAGE', 'merge: give the matrix.json files to merge (shards of one run, or one run per region)');
  await checkReportDir(flags.reportDir, files, { command: 'merge' });
  const merged = await readThenRemoveEarlier(flags.reportDir, files, async () => {
    const inputs = await readAll(files);
    const merged = readsBack(mergeMatrices(inputs, files, expectTargets ? { expectTargets } : {}), flags.reportDir);
    // Said once the merge is known to be written (a refused mix of formats says its own).
    noteOlderJudges(inputs, files, err);
    return merged;
  });
  const written = await writeDefaultReports(merged, flags.reportDir);
  const problems = [...problemLines(merged.gate.problems, CONSOLE_LINES, 2000), ...answeredAsAnotherLines(merged)].map((line) => `${line}\n`).join('');
  out.write(`merged ${files.length} runs: ${merged.models.length} models, ${merged.targets.length} target(s), ${merged.results.length} results\ncoverage: ${coverageLine(merged)}\n${problems}wrote ${printedPaths(written)}\ngate: ${gateLine(merged.gate, merged.run)}\n`);
  // The merged file is the largest a nightly writes: one this heap would not read again is said now, not by --baseline.
  await appendStepSummary(merged, err, process.env, await warnWrittenSize(written, err));
  // One whole run merged alone is that run: if others were meant to join it (one per region), nothing says so.
  if (files.length === 1 && !expectTargets && !merged.run.selection.shard && !missingShardReason(merged)) err.write('note: merged one run; if it is one of several (one per region), name them all with --expect-targets, so a run that wrote nothing fails the merge\n');
  return merged.gate.exitCode;
}

/**
 * Says which inputs an older build judged (a format before this version's): their cells stand as it judged them (what
 * its rules, and every format's since, judged otherwise: olderRules), and what is written keeps their format.
 */
function noteOlderJudges(matrices: readonly Matrix[], files: readonly string[], err: NodeJS.WritableStream): void {
  matrices.forEach((m, i) => {
    if (m.format === MATRIX_FORMAT) return;
    const format = formatVersion(m.format);
    err.write(`note: ${inertLine(files[i] ?? '', 300)} was judged by an older mantle-conformance (format ${format}): its cells stand as that build judged them (by older rules: ${olderRules(m.format)}), and what is written from it stays format ${format}; run it again with this version to judge it by this one's rules\n`);
  });
}

/**
 * The merged matrix, once this version's own reader reads it: merge never writes a matrix.json that `report`,
 * `compare`, `bless` and `--baseline` then refuse (exit 2 there, after the nightly's artifacts were kept). The
 * refusals (report/merge-refusals.ts) name the known causes; this is the net for the ones they do not foresee, read
 * in memory (no second copy of the text), and nothing is written when it catches one.
 */
function readsBack(merged: Matrix, reportDir: string): Matrix {
  try {
    parseMatrix(merged, join(reportDir, 'matrix.json'));
  } catch (error) {
    if (!(error instanceof HarnessError)) throw error;
    throw new HarnessError('HARNESS_REPORT_INVALID', `merge: nothing written: the merged matrix would not be read back by this version (${inertLine(error.message, 2000)}); the inputs cannot be one matrix as they are (files written by different builds of mantle-conformance: run the older ones again with this version, or merge them with the version that wrote them)`, { cause: error });
  }
  return merged;
}

/** `--expect-targets a,b`: target ids as matrix.json names them (`us-east-1`, `runtime.us-east-1`). */
function expectedTargets(raw: string): string[] {
  const ids = raw.split(',').map((id) => id.trim());
  if (ids.some((id) => id === '')) throw new HarnessError('HARNESS_USAGE', `--expect-targets: ${inertLine(JSON.stringify(raw), 300)} has an empty id; give target ids separated by commas (us-east-1,runtime.us-east-1)`);
  for (const id of ids) checkName(id, 'target name', '--expect-targets');
  return ids;
}

/**
 * Writes a file a command was told to write (`table --out`, `schema`) whole or not at all; a missing folder is made.
 * A path that cannot take it (a folder, a file in the way, no permission) is the user's to fix, so exit 2 naming
 * `asker` (the flag or command) and `advice`, not a harness bug with a stack; a full disk stays HARNESS_DISK_FULL.
 */
export async function writeOutputFile(file: string, text: string, words: { asker: string; advice: string }): Promise<Descriptor | undefined> {
  // Checked again as it is written: a device or a FIFO put there since is not renamed over either.
  const descriptor = await checkOutputTarget(file, words.asker, words.advice);
  try {
    // /dev/stdout, /dev/fd/3: the stream the shell opened is written to, where it stands (`>>` appends), not replaced.
    if (descriptor) await writeToDescriptor(descriptor.fd, text);
    // A link is written through to what it points at (as bless does), not replaced by a file of its own.
    else await writeFileAtomic(await realpath(file).catch(() => file), text);
    return descriptor;
  } catch (error) {
    if (error instanceof HarnessError && error.code === 'HARNESS_DISK_FULL') throw error;
    const code = (((error as Error).cause ?? error) as NodeJS.ErrnoException).code;
    const why = code ? (WRITE_PROBLEMS[code] ?? code) : inertLine((error as Error).message, 200);
    throw new HarnessError('HARNESS_USAGE', `${words.asker} ${inertLine(file, 300)}: cannot write it (${why}); ${words.advice}`, { cause: error });
  }
}


/**
 * `table`'s arguments checked before anything is read or written: `--long` is for csv and json, a matrix given twice
 * would list its runs twice, and an `--out` that is one of the inputs would replace the run with its table (through
 * /dev/fd/3 too), or that is not a regular file (/dev/null, a FIFO) would become one (output-target.ts).
 */
async function checkTableArguments(files: readonly string[], flags: { format: string; out?: string; long?: boolean }): Promise<void> {
  if (flags.long && flags.format === 'markdown') throw new HarnessError('HARNESS_USAGE', '--long: applies to --format csv and json only (the Markdown table is always one row per model); drop --long or add --format csv|json');
  const identities = await Promise.all(files.map(fileIdentity));
  identities.forEach((id, i) => {
    const first = identities.indexOf(id);
    if (id !== undefined && first < i) throw new HarnessError('HARNESS_USAGE', `table: ${inertLine(files[first], 300)} and ${inertLine(files[i], 300)} are the same file; give each run once`);
  });
  if (flags.out !== undefined) await checkOutputTarget(flags.out, '--out', 'give --out a regular file (or a link to one), or omit --out and redirect stdout (> file, | command)');
  const out = flags.out === undefined ? undefined : await fileIdentity(flags.out);
  const input = out === undefined ? -1 : identities.indexOf(out);
  if (input >= 0) throw new HarnessError('HARNESS_USAGE', `--out ${inertLine(flags.out, 300)}: it is the input ${inertLine(files[input], 300)}, the table would replace the run; give --out another file`);
}

export async function tableCommand(files: string[], flags: { format: string; out?: string; long?: boolean }, out: NodeJS.WritableStream): Promise<number> {
  if (files.length === 0) throw new HarnessError('HARNESS_USAGE', 'table: give one or more matrix.json files (one per region is fine)');
  await checkTableArguments(files, flags);
  const matrices = await readAll(files);
  const twice = sameRunTwice(matrices, files) ?? shardsApart(matrices, files);
  if (twice) throw new HarnessError('HARNESS_USAGE', `table: ${twice}`);
  const table = buildCapabilityTable(matrices);
  const long = { long: flags.long === true };
  const formats: Record<string, () => string> = { markdown: () => tableMarkdown(table), csv: () => tableCsv(table, long), json: () => tableJson(table, long) };
  const render = formats[flags.format];
  if (!render) throw new HarnessError('HARNESS_USAGE', `--format: "${flags.format}" is not one of markdown, csv, json`);
  if (flags.out) {
    const descriptor = await writeOutputFile(flags.out, render(), { asker: '--out', advice: 'give a file path (not a folder) you can write to' });
    // To stdout the table is the output, as without --out: a `wrote` line would follow it into the same file.
    if (descriptor?.fd !== 1) out.write(`wrote ${inertLine(flags.out, 300)}\n`);
  } else {
    out.write(render());
  }
  return 0;
}

/** Files one command reads and holds together: their parses share the heap (matrix-size.ts, `committed`). */
function readAll(files: readonly string[]) {
  const limits = readLimits();
  return Promise.all(files.map((f) => readMatrix(f, limits)));
}
