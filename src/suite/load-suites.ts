/**
 * @module suite/load-suites
 * Loads every `*.suite.yaml` at the top level of a folder (its subfolders are not loaded: one there is said, see
 * suite-lookalikes.ts), validates it (schema, then meaning: unique ids, known checks, checks that
 * fit the case's API, template references), and reports every problem as `file:line:col message` before any
 * request is sent.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { HarnessError } from '../errors.ts';
import { UNSENDABLE_HEADERS } from '../framing-headers.ts';
import type { CheckSignature } from './check-signature.ts';
import { closest } from './closest.ts';
import { describeSent, type SentField, unsent } from './sent-fields.ts';
import { type Lookalike, readLookalikes, suiteLookalikes } from './suite-lookalikes.ts';
import { type ApiId, CaseSchema, type CaseSpec, type PollSpec, type RequestSpec, SuiteSchema, type SuiteFile } from './suite-schema.ts';
import { templatesIn } from './templates.ts';
import { readYamlSource, throwIfProblems, validateAgainstSchema, YamlSource, type PathSegment } from './yaml-source.ts';

export const SUITE_SUFFIX = '.suite.yaml';

export interface LoadedStep {
  id: string;
  request: RequestSpec;
  poll?: PollSpec;
  /** The step's answer must show what the model writes: a reasoning model gets room to think. */
  visibleOutput: boolean;
}

export interface LoadedCase {
  id: string;
  title: string;
  api: ApiId;
  probe: boolean;
  shared: boolean;
  steps: LoadedStep[];
  checks: string[];
  suite: string;
  /** `file:line:col` of the case, for messages. */
  location: string;
}

export interface SuiteSet {
  dir: string;
  files: string[];
  cases: LoadedCase[];
  /** Files of the folder named almost as suite files, or suite-like in its subfolders, which are not loaded, each read as a suite (suite-lookalikes.ts); absent when none. */
  lookalikes?: Lookalike[];
}

/** A check as the loader sees it: its signature, the steps it reads by id and the fields its case must send (the registry's `readsSteps`, `sends`). */
export type SuiteCheck = CheckSignature & {
  /** The step ids the check looks up in its case: a case that names the check must have every one. */
  readsSteps?: readonly string[];
  /** The request fields the check judges: a case that names the check must send each (sent-fields.ts). */
  sends?: readonly SentField[];
};

/** Loads the suites in `dir`; `checks` are the checks a case may name (the registry's signatures). */
export async function loadSuites(dir: string, checks: readonly SuiteCheck[]): Promise<SuiteSet> {
  const known = new Map(checks.map((check) => [check.id, check]));
  const root = resolve(dir);
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) {
    throw new HarnessError('HARNESS_FILE_NOT_FOUND', `--suites ${dir}: no such folder. Point --suites at a folder of *${SUITE_SUFFIX} files.`);
  }
  const entries = await readdir(root, { withFileTypes: true });
  const files = entries.map((e) => e.name).filter((name) => name.endsWith(SUITE_SUFFIX)).sort().map((name) => join(root, name));
  // Files named almost as suites, or in a subfolder, are not read: said by validate and run, refused by prune and fixtures (suite-lookalikes.ts).
  const skipped = await suiteLookalikes(root, entries, SUITE_SUFFIX);
  if (files.length === 0) {
    const near = skipped.length ? ` (${skipped.map((f) => relative(root, f)).join(', ')} ${skipped.length > 1 ? 'are' : 'is'} not read: only *${SUITE_SUFFIX} files at its top level are)` : '';
    throw new HarnessError('HARNESS_SUITE_INVALID', `--suites ${dir}: no *${SUITE_SUFFIX} files in this folder${near}. Add one (see README, Writing a case).`);
  }
  const problems: string[] = [];
  const cases: LoadedCase[] = [];
  const seenIds = new Map<string, string>();
  for (const file of files) {
    const { source, problems: syntax } = await readYamlSource(file);
    problems.push(...syntax);
    if (!source) continue;
    const schemaProblems = validateAgainstSchema(source, SuiteSchema);
    problems.push(...schemaProblems);
    // A file with a schema problem still has its sound cases checked for meaning: every problem shows in one round.
    for (const { spec, index } of schemaProblems.length ? soundCases(source) : (source.data as SuiteFile).cases.map((spec, index) => ({ spec, index }))) {
      const at = (...path: PathSegment[]) => source.locate(['cases', index, ...path]);
      const found = validateCase(spec, at, known);
      problems.push(...found);
      const previous = seenIds.get(spec.id);
      if (previous) problems.push(`${at('id')} duplicate case id "${spec.id}" (first defined at ${previous}); case ids name fixture files and must be unique`);
      else seenIds.set(spec.id, at('id'));
      if (found.length === 0 && schemaProblems.length === 0) cases.push(normalize(spec, (source.data as SuiteFile).suite, at()));
    }
  }
  throwIfProblems('HARNESS_SUITE_INVALID', problems, `Fix the suite files above; nothing was sent. The schema is ${join('suites', 'schema', 'suite.schema.json')}.`);
  // Read against what loaded: one holding only loaded cases (a backup) risks no recording.
  const lookalikes = await readLookalikes(root, skipped, new Set(cases.map((c) => c.id)), SUITE_SUFFIX);
  return { dir: root, files, cases, ...(lookalikes.length ? { lookalikes } : {}) };
}

/** The cases of a file that failed the suite schema which pass the case schema on their own (none when `cases` is no list). */
function soundCases(source: YamlSource): { spec: CaseSpec; index: number }[] {
  const list = (source.data as { cases?: unknown } | null)?.cases;
  if (!Array.isArray(list)) return [];
  return list.flatMap((spec: unknown, index) => (validateAgainstSchema(new YamlSource(source.file, { ...source.parsed, data: spec }), CaseSchema).length ? [] : [{ spec: spec as CaseSpec, index }]));
}

function normalize(spec: CaseSpec, suite: string, location: string): LoadedCase {
  const visible = spec.visible_output ?? false;
  const steps: LoadedStep[] = spec.steps
    ? spec.steps.map((step) => ({ id: step.id, request: step.request, ...(step.poll ? { poll: step.poll } : {}), visibleOutput: step.visible_output ?? visible }))
    : [{ id: 'main', request: spec.request!, visibleOutput: visible }];
  return {
    id: spec.id,
    title: spec.title,
    api: spec.api,
    probe: spec.probe ?? false,
    shared: spec.shared ?? false,
    steps,
    checks: spec.checks,
    suite,
    location,
  };
}

function validateCase(spec: CaseSpec, at: (...path: PathSegment[]) => string, known: ReadonlyMap<string, SuiteCheck>): string[] {
  const problems: string[] = [];
  if (spec.request && spec.steps) problems.push(`${at('steps')} case "${spec.id}" has both request and steps; use request for one step, steps for several`);
  if (!spec.request && !spec.steps) problems.push(`${at()} case "${spec.id}" has neither request nor steps; add a request`);
  if (spec.probe && spec.steps) problems.push(`${at('probe')} probe case "${spec.id}" must be a single request (it is sent once per route prefix)`);
  const steps = spec.steps ?? (spec.request ? [{ id: 'main', request: spec.request }] : []);
  const stepIds = steps.map((step) => step.id);
  spec.checks.forEach((id, index) => {
    const check = known.get(id);
    if (!check) {
      const guess = closest(id, [...known.keys()]);
      problems.push(`${at('checks', index)} unknown check "${id}"${guess ? ` (did you mean "${guess}"?)` : ''}; known checks are listed in the README`);
    } else if (check.api && check.api !== spec.api) {
      problems.push(`${at('checks', index)} check "${id}" reads ${check.api} exchanges but case "${spec.id}" exercises ${spec.api}`);
    } else {
      // A check that looks up a step the case lacks could only ever say `skipped`, and the gate would pass on it.
      const missing = (check.readsSteps ?? []).filter((step) => !stepIds.includes(step));
      if (missing.length) {
        problems.push(
          `${at('checks', index)} check "${id}" reads the steps ${check.readsSteps!.join(', ')} of its case, and case "${spec.id}" has no ${missing.join(', ')} ` +
            `(its steps: ${stepIds.join(', ') || 'none'}); give the steps those ids (a suite copied from an older mantle-conformance: the bundled suites/ hold the steps this version's checks read), or drop the check from this case, which leaves it unchecked`,
        );
      } else problems.push(...unsentProblems(spec, steps, check, at(`checks`, index), at));
    }
  });
  const earlier = new Set<string>();
  steps.forEach((step, stepIndex) => {
    const base: PathSegment[] = spec.steps ? ['steps', stepIndex] : [];
    if (earlier.has(step.id)) problems.push(`${at(...base, 'id')} duplicate step id "${step.id}" in case "${spec.id}"`);
    // The HTTP client refuses them before anything is sent, which would read as the endpoint unreachable. `null`
    // removes a header: nothing is sent, so nothing is refused.
    for (const [header, value] of Object.entries(step.request.headers ?? {})) {
      if (value === null || !UNSENDABLE_HEADERS.has(header.toLowerCase())) continue;
      const why = header.toLowerCase() === 'content-length' ? 'the harness sets it from the body it sends, and the HTTP client refuses any other value before anything is sent' : 'the HTTP client refuses it before anything is sent';
      problems.push(`${at(...base, 'request', 'headers', header)} header ${header} makes the case unsendable: ${why}; remove it from the headers of case "${spec.id}"`);
    }
    for (const { path, text } of stringsIn(step.request, [...base, 'request'])) {
      // A path or a header is no prompt: a brace missing there is a broken template, never code quoted (templates.ts).
      const { refs, problems: syntax } = templatesIn(text, path[base.length + 1] === 'path' || path[base.length + 1] === 'headers' ? 'route' : 'body');
      for (const problem of syntax) problems.push(`${at(...path)} ${problem.template}: ${problem.message}`);
      for (const ref of refs) {
        if (ref.kind === 'step' && !earlier.has(ref.step)) {
          const known = [...earlier];
          problems.push(
            `${at(...path)} {{steps.${ref.step}...}} refers to no earlier step of case "${spec.id}"` +
              (known.length ? ` (earlier steps: ${known.join(', ')})` : ' (it is the first step)'),
          );
        }
      }
    }
    // JSON has no Infinity or NaN: `.inf`, `.nan` or 1e400 would be sent as null, a request the case never meant.
    for (const { path, value } of leavesIn(step.request, [...base, 'request'])) {
      if (typeof value === 'number' && !Number.isFinite(value)) problems.push(`${at(...path)} ${value} is not a finite number: JSON cannot send it (it would go as null); write the number`);
    }
    earlier.add(step.id);
  });
  return problems;
}

/**
 * A case that does not send what its check judges (no `n` for params.n, no `stream: true` for stream.*): its answer
 * can only show the default, and the check would blame the endpoint for it. Located at the check's entry and the request.
 */
function unsentProblems(spec: CaseSpec, steps: readonly { id: string; request: RequestSpec }[], check: SuiteCheck, entry: string, at: (...path: PathSegment[]) => string): string[] {
  return (check.sends ?? []).flatMap((rule) => {
    const stepIndex = rule.step ? steps.findIndex((step) => step.id === rule.step) : steps.length - 1;
    const step = steps[stepIndex];
    const miss = step ? unsent(step.request.body, rule) : undefined;
    if (!step || !miss) return [];
    const request: PathSegment[] = [...(spec.steps ? ['steps', stepIndex] : []), 'request'];
    const body = step.request.body;
    const where = body && typeof body === 'object' ? at(...request, 'body', ...(Object.hasOwn(body, rule.field) ? [rule.field] : [])) : at(...request);
    return [
      `${entry} check "${check.id}" judges a request that sends ${describeSent(rule)}, and case "${spec.id}" ${miss} (step ${step.id}, its request at ${where}); ` +
        `${miss.startsWith('sends no ') ? 'add' : 'set'} ${rule.example} ${miss.startsWith('sends no ') ? 'to' : 'in'} that request's body, or drop the check from this case: its answer could only show what was never asked, and the check would blame the endpoint for it`,
    ];
  });
}

/** Every string inside a request, with its YAML path, so template problems point at the right line. */
function* stringsIn(value: unknown, path: PathSegment[]): Generator<{ path: PathSegment[]; text: string }> {
  for (const leaf of leavesIn(value, path)) if (typeof leaf.value === 'string') yield { path: leaf.path, text: leaf.value };
}

/** Every value inside a request that is neither a list nor a map, with its YAML path. */
function* leavesIn(value: unknown, path: PathSegment[]): Generator<{ path: PathSegment[]; value: unknown }> {
  if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* leavesIn(item, [...path, i]);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* leavesIn(v, [...path, k]);
  else yield { path, value };
}

export type { YamlSource };
