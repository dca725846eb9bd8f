/**
 * @module suite/load-expectations
 * Loads and validates the expectations file (schema, known checks, values in the check's vocabulary), and writes
 * blessed values back into it without disturbing anything else: comments, order, reasons and links stay, so the
 * review diff shows exactly the values that changed.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isMap, type Document } from 'yaml';
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
  from: Expected | undefined;
  to: Expected;
}

/**
 * Writes `changes` into the expectations file (creating it for `catalog` when absent), keeping every other byte.
 * An existing `{observed, reason, link}` entry keeps its reason and link; a new entry records where it came from.
 */
export async function blessExpectations(file: string, catalog: string, changes: readonly BlessChange[], note: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    text = `# yaml-language-server: $schema=./schema/expectations.schema.json\n# What runs are expected to observe, per model and check. Written by \`mantle-conformance bless\`; review the diff.\nexpectations: ${catalog}\nmodels: {}\n`;
  }
  const doc: Document.Parsed = parseDocument(text, { lineCounter: new LineCounter() });
  if (doc.errors.length) throw new HarnessError('HARNESS_EXPECTATIONS_INVALID', `${file}: ${doc.errors[0]!.message}; fix it before blessing`);
  if (!isMap(doc.get('models'))) doc.set('models', doc.createNode({}));
  for (const change of changes) {
    const path = ['models', change.model, change.check];
    const existing = doc.getIn(path, true);
    if (existing && isMap(existing)) {
      doc.setIn([...path, 'observed'], change.to);
    } else if (existing !== undefined && !isMap(existing) && change.from !== undefined) {
      doc.setIn(path, change.to);
    } else {
      doc.setIn(path, doc.createNode({ observed: change.to, reason: note }));
    }
  }
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, doc.toString({ lineWidth: 0 }), 'utf8');
  await rename(temp, file);
}
