/**
 * @module cli/vitest-output-file
 * vitest's `--outputFile` (or `--outputFile.<reporter>`) after `--`, checked before anything is sent. vitest writes it
 * after the harness has written its reports, so one on a file the run reads or writes would replace it with no word:
 * a report of the run (matrix.json, matrix.md, matrix.html, junit.xml, a matrix.earlier*.json kept aside) after the
 * console listed it, the --baseline, catalog, expectations, suites or OpenAPI document it read (the next run reads
 * vitest's JSON), a file in the history folder (among the run files `history` reads), a recording a record run
 * just wrote or a replay read (the next replay fails on it), or the `GITHUB_STEP_SUMMARY` file the run appends to. Each is refused, exit 2, naming it. A relative one is resolved against the
 * current folder, as --report-dir is, and given to vitest so: vitest's root is the installed package's folder.
 */
import { basename, dirname, resolve } from 'node:path';
import { HarnessError } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';
import { isWithin } from '../shown-path.ts';
import { realFolder } from '../transport/recorded-suites.ts';
import type { RunConfig } from '../run/run-config.ts';
import { ASIDE_NAME, REPORT_FILES } from './earlier-reports.ts';

/** What the run reads and writes, as run-command's config holds it. */
export type RunFiles = Pick<RunConfig, 'reportDir' | 'historyDir' | 'baselineFile' | 'catalogFile' | 'expectationsFile' | 'suitesDir' | 'openapiFile' | 'fixturesDir' | 'fixturesRoot' | 'targets'>;

/** The `--outputFile` values, each with its key (undefined for the plain flag) and the flag as written. */
function outputFiles(value: unknown): { key?: string; flag: string; file: string }[] {
  if (typeof value === 'string') return [{ flag: '--output-file', file: value }];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, file]) => (typeof file === 'string' ? [{ key, flag: `--output-file.${key}`, file }] : []));
}

/** Why writing `path` (links resolved) would replace something of the run, or undefined. */
async function clash(path: string, run: RunFiles, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const name = basename(path);
  if ((REPORT_FILES.includes(name) || ASIDE_NAME.test(name)) && dirname(path) === (await realFolder(run.reportDir))) {
    return `vitest would write over the run's ${name} in --report-dir ${inertLine(run.reportDir, 300)} after the harness wrote it; name another file (vitest-${name} there, or a file outside it)`;
  }
  const read: [string, string | undefined][] = [['--baseline', run.baselineFile], ['--catalog', run.catalogFile], ['--expectations', run.expectationsFile], ['--openapi', run.openapiFile]];
  for (const [flag, file] of read) if (file !== undefined && path === (await realFolder(file))) return `it is the ${flag} file the run reads, which vitest would write over; name another file`;
  // The job summary: earlier steps' text and the run's gate section, appended before vitest writes its file.
  const summary = env.GITHUB_STEP_SUMMARY;
  if (summary && path === (await realFolder(summary))) return `it is the GITHUB_STEP_SUMMARY file ${inertLine(summary, 300)}, the job summary the run appends its gate to, which vitest would write over (earlier steps' text with it); name another file`;
  const folders: [string, string | undefined, string][] = [
    ['--history', run.historyDir, 'which holds the run files history reads'],
    ['--suites', run.suitesDir, 'which holds the suites the run reads'],
  ];
  // A record run writes its recordings below the fixtures root, a replay reads them there (the bundled ones when no
  // --fixtures is given): vitest's file there would replace one (the next replay fails on it), or be read as one.
  const recording = run.targets.some((t) => t.mode === 'record');
  const what = recording ? `where this record run writes its recordings` : 'where this replay reads its recordings';
  if (recording || run.targets.some((t) => t.mode === 'replay')) for (const dir of new Set([run.fixturesDir, run.fixturesRoot ?? run.fixturesDir])) folders.push(['--fixtures', dir, what]);
  for (const [flag, dir, what] of folders) if (dir !== undefined && isWithin(path, await realFolder(dir))) return `it is in the ${flag} folder ${inertLine(dir, 300)}, ${what}; name a file outside it`;
  return undefined;
}

/**
 * The vitest options with every `--outputFile` resolved against the current folder (vitest would take a relative one
 * from its root, the package's folder); HARNESS_USAGE for one that lands on a file the run reads or writes.
 */
export async function checkOutputFiles(options: Record<string, unknown>, run: RunFiles, env: NodeJS.ProcessEnv = process.env): Promise<Record<string, unknown>> {
  const files = outputFiles(options.outputFile);
  if (files.length === 0) return options;
  for (const { flag, file } of files) {
    const why = await clash(await realFolder(file), run, env);
    if (why) throw new HarnessError('HARNESS_USAGE', `${flag}=${inertLine(file, 300)} after --: ${why}. Nothing was sent.`);
  }
  const absolute = files.map(({ key, file }) => [key, resolve(file)] as const);
  const outputFile = typeof options.outputFile === 'string' ? absolute[0]![1] : { ...(options.outputFile as object), ...Object.fromEntries(absolute) };
  return { ...options, outputFile };
}
