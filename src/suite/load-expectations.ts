/**
 * @module suite/load-expectations
 * Loads and validates the expectations file (schema, known checks, values in the check's vocabulary), and writes
 * blessed values back into it without disturbing anything else: comments, order, reasons and links stay, so the
 * review diff shows exactly the values that changed.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { LineCounter, isMap, isPair, isSeq, parseDocument, type Document } from 'yaml';
import { writeFileAtomic } from '../atomic-write.ts';
import { HarnessError } from '../errors.ts';
import type { CheckSignature } from './check-signature.ts';
import { expectedProblem, type Expected } from './expected.ts';
import { closest } from './closest.ts';
import { ExpectationsSchema, type ExpectationEntry, type ExpectationsFile } from './expectations-schema.ts';
import { readYamlSource, throwIfProblems, validateAgainstSchema } from './yaml-source.ts';

export interface StatedExpectation {
  value: Expected;
  reason?: string;
  link?: string;
  /** `file:line:col` of the entry. */
  location: string;
}

export interface Expectations {
  file: string;
  catalog: string;
  /** model id -> check id -> expectation. */
  byModel: ReadonlyMap<string, ReadonlyMap<string, StatedExpectation>>;
}

export function entryValue(entry: ExpectationEntry): Expected {
  return isDetailed(entry) ? entry.observed : entry;
}

function isDetailed(entry: ExpectationEntry): entry is Extract<ExpectationEntry, { observed: unknown }> {
  return entry !== null && typeof entry === 'object' && !Array.isArray(entry);
}

export async function loadExpectations(file: string, checks: readonly CheckSignature[]): Promise<Expectations> {
  const hint = 'Fix the expectations file above (or regenerate entries with `mantle-conformance bless`); nothing was sent.';
  const { source, problems } = await readYamlSource(file);
  throwIfProblems('HARNESS_EXPECTATIONS_INVALID', problems, hint);
  throwIfProblems('HARNESS_EXPECTATIONS_INVALID', validateAgainstSchema(source!, ExpectationsSchema), hint);
  const data = source!.data as ExpectationsFile;
  const known = new Map(checks.map((c) => [c.id, c]));
  const meaning: string[] = [];
  const byModel = new Map<string, Map<string, StatedExpectation>>();
  for (const [model, entries] of Object.entries(data.models)) {
    const map = new Map<string, StatedExpectation>();
    for (const [checkId, entry] of Object.entries(entries)) {
      const check = known.get(checkId);
      const at = source!.locate(['models', model, checkId], { key: true });
      if (!check) {
        const guess = closest(checkId, [...known.keys()]);
        meaning.push(`${at} unknown check "${checkId}"${guess ? ` (did you mean "${guess}"?)` : ''}`);
        continue;
      }
      const value = entryValue(entry);
      const problem = expectedProblem(check, value);
      if (problem) meaning.push(`${at} ${checkId}: ${problem}`);
      const stated: StatedExpectation = { value, location: at };
      if (isDetailed(entry)) {
        if (entry.reason) stated.reason = entry.reason;
        if (entry.link) stated.link = entry.link;
      }
      map.set(checkId, stated);
    }
    byModel.set(model, map);
  }
  throwIfProblems('HARNESS_EXPECTATIONS_INVALID', meaning, hint);
  return { file, catalog: data.expectations, byModel };
}

export interface BlessChange {
  model: string;
  check: string;
  /** The value the expectations file states, if it states one. */
  from: Expected | undefined;
  to: Expected;
}

/** The `$schema` comment line for an expectations file at `file`, pointing at `schemaFile` relative to it. */
export function schemaComment(file: string, schemaFile: string): string {
  const rel = relative(dirname(resolve(file)), resolve(schemaFile)).split(sep).join('/');
  return `# yaml-language-server: $schema=${rel.startsWith('.') || isAbsolute(rel) ? rel : `./${rel}`}`;
}

/** Maps and lists written in block style, one line per entry, so a review diff shows one line per changed cell. */
function blockStyle(node: unknown): void {
  if (isMap(node)) {
    node.flow = false;
    for (const item of node.items) blockStyle(isPair(item) ? item.value : item);
  }
  // A list of allowed values stays on one line: it is one cell.
  if (isSeq(node)) node.flow = true;
}

/**
 * Writes `changes` into the expectations file (creating it for `catalog` when absent, in block style with a
 * `$schema` comment that resolves from where the file is), keeping every other byte. An existing entry whose value
 * stays keeps its reason and link; a value that changes gets `note` as its fresh reason (the old one described the
 * old value); a new entry records where it came from.
 */
export async function blessExpectations(file: string, catalog: string, changes: readonly BlessChange[], note: string, schemaFile: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    text = `${schemaComment(file, schemaFile)}\n# What runs are expected to observe, per model and check. Written by \`mantle-conformance bless\`; review the diff.\nexpectations: ${catalog}\nmodels:\n`;
  }
  const doc: Document.Parsed = parseDocument(text, { lineCounter: new LineCounter() });
  if (doc.errors.length) throw new HarnessError('HARNESS_EXPECTATIONS_INVALID', `${file}: ${doc.errors[0]!.message}; fix it before blessing`);
  if (!isMap(doc.get('models'))) doc.set('models', doc.createNode({}));
  const fresh = (to: Expected) => `${note}: observed ${JSON.stringify(to)}`;
  for (const change of changes) {
    const path = ['models', change.model, change.check];
    const existing = doc.getIn(path, true);
    if (existing && isMap(existing)) {
      doc.setIn([...path, 'observed'], doc.createNode(change.to));
      doc.setIn([...path, 'reason'], fresh(change.to));
    } else if (existing !== undefined && !isMap(existing) && change.from !== undefined && !Array.isArray(change.to)) {
      doc.setIn(path, change.to);
    } else {
      doc.setIn(path, doc.createNode({ observed: change.to, reason: fresh(change.to) }));
    }
    blockStyle(doc.getIn(['models', change.model], true));
  }
  const models = doc.get('models', true);
  if (isMap(models)) models.flow = false;
  await writeFileAtomic(file, doc.toString({ lineWidth: 0 }));
}
