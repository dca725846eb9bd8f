/**
 * @module suite/load-expectations
 * Loads and validates the expectations file (schema, known checks, values in the check's vocabulary), and writes
 * blessed values back into it without disturbing anything else: comments, order, reasons, links and the bytes of
 * every entry that did not change stay, so the review diff shows exactly the entries that changed.
 */
import { lstat, readlink, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { LineCounter, isAlias, isMap, isNode, isPair, isSeq, parseDocument, visit, type Alias, type Document, type Node } from 'yaml';
import { writeFileAtomic } from '../atomic-write.ts';
import { HarnessError, HarnessErrorList } from '../errors.ts';
import type { CheckSignature } from './check-signature.ts';
import { expectedProblem, type Expected } from './expected.ts';
import { closest } from './closest.ts';
import { ExpectationsSchema, type ExpectationEntry, type ExpectationsFile, type TargetEntry } from './expectations-schema.ts';
import { nameProblem } from '../names.ts';
import { MAX_YAML_BYTES, readErrorText, readUtf8File } from './read-text-file.ts';
import { displayFile, parseYamlSource, readYamlSource, throwIfProblems, validateAgainstSchema } from './yaml-source.ts';
import { walkDocument, type WalkedItem } from './yaml-walk.ts';
import { spliceEntries } from './yaml-splice.ts';

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
  /** `file:line:col` of the `expectations:` value, for bless's refusal to write another catalog's file. */
  catalogAt?: string;
  /** model id -> check id -> expectation for every target (entries with `observed`). */
  byModel: ReadonlyMap<string, ReadonlyMap<string, StatedExpectation>>;
  /** target -> model id -> check id -> what that target is expected to observe (an entry's `targets:`). */
  byTarget: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, StatedExpectation>>>;
  /** model id -> `file:line:col` of its key, for messages about the model itself (a typo'd id). */
  modelAt?: ReadonlyMap<string, string>;
}

/** What the file states for a cell: the target's own entry, else the model's, else nothing. */
export function statedFor(expectations: Expectations | undefined, target: string, model: string, check: string): (StatedExpectation & { target?: string }) | undefined {
  const own = expectations?.byTarget.get(target)?.get(model)?.get(check);
  return own ? { ...own, target } : expectations?.byModel.get(model)?.get(check);
}

/** How many values the file states (model-wide entries and target entries). */
export function statedCount(expectations: Expectations): number {
  const count = (map: ReadonlyMap<string, ReadonlyMap<string, unknown>>) => [...map.values()].reduce((n, m) => n + m.size, 0);
  return count(expectations.byModel) + [...expectations.byTarget.values()].reduce((n, byModel) => n + count(byModel), 0);
}

type Detailed = { observed?: Expected; reason?: string; link?: string };

export function entryValue(entry: ExpectationEntry | TargetEntry): Expected | undefined {
  return isDetailed(entry) ? entry.observed : entry;
}

function isDetailed(entry: ExpectationEntry | TargetEntry): entry is Detailed & object {
  return entry !== null && typeof entry === 'object' && !Array.isArray(entry);
}

function stated(value: Expected, entry: ExpectationEntry | TargetEntry, location: string): StatedExpectation {
  const out: StatedExpectation = { value, location };
  if (isDetailed(entry)) {
    if (entry.reason) out.reason = entry.reason;
    if (entry.link) out.link = entry.link;
  }
  return out;
}

/**
 * Loads `file` (or `text` as if it were that file's: what bless is about to write). With `catalog` (the catalog the
 * run or validate loaded), a file written for another catalog (`expectations:` names another id) is refused: its
 * entries describe other models' claims, and would gate these.
 */
export async function loadExpectations(file: string, checks: readonly CheckSignature[], catalog?: { id: string }, text?: string): Promise<Expectations> {
  let hint = 'Fix the expectations file above (or regenerate entries with `mantle-conformance bless`); nothing was sent.';
  const { source, problems } = text === undefined ? await readYamlSource(file) : parseYamlSource(file, text);
  throwIfProblems('HARNESS_EXPECTATIONS_INVALID', problems, hint);
  const known = new Map(checks.map((c) => [c.id, c]));
  // A misspelt check id under a model is refused by the schema's key pattern; say which check it means.
  const suggest = (path: readonly unknown[], got: string) => (path.length === 3 && path[0] === 'models' ? closest(got, [...known.keys()]) : undefined);
  throwIfProblems('HARNESS_EXPECTATIONS_INVALID', validateAgainstSchema(source!, ExpectationsSchema, suggest), hint);
  const data = source!.data as ExpectationsFile;
  const meaning: string[] = [];
  if (catalog && data.expectations !== catalog.id) {
    meaning.push(
      `${source!.locate(['expectations'])} expectations: this file is for catalog "${data.expectations}", and the catalog loaded is "${catalog.id}"; ` +
        `write \`expectations: ${catalog.id}\` if its entries are meant for that catalog, or name this catalog's own expectations file`,
    );
    // Blessing into this file cannot fix it (bless keeps a file's catalog): the way out is another file, or none.
    hint =
      `Name catalog "${catalog.id}"'s own expectations file with --expectations FILE, or judge without one (\`run --no-expectations\`; ` +
      `then \`mantle-conformance bless --all <matrix.json> --expectations NEW_FILE\` writes one for "${catalog.id}"); nothing was sent.`;
  }
  const byModel = new Map<string, Map<string, StatedExpectation>>();
  const byTarget = new Map<string, Map<string, Map<string, StatedExpectation>>>();
  const modelAt = new Map<string, string>();
  for (const [model, entries] of Object.entries(data.models)) {
    modelAt.set(model, source!.locate(['models', model], { key: true }));
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
      const targets = isDetailed(entry) ? ((entry as { targets?: Record<string, TargetEntry> }).targets ?? {}) : {};
      if (value === undefined && Object.keys(targets).length === 0) meaning.push(`${at} ${checkId}: states neither observed nor targets`);
      if (value !== undefined) {
        const problem = expectedProblem(check, value);
        if (problem) meaning.push(`${at} ${checkId}: ${problem}`);
        map.set(checkId, stated(value, entry, at));
      }
      for (const [target, targetEntry] of Object.entries(targets)) {
        const where = source!.locate(['models', model, checkId, 'targets', target], { key: true });
        const problem = nameProblem(target, 'target name');
        if (problem) meaning.push(`${where} ${checkId}: ${problem}`);
        const targetValue = entryValue(targetEntry)!;
        const valueProblem = expectedProblem(check, targetValue);
        if (valueProblem) meaning.push(`${where} ${checkId} (${target}): ${valueProblem}`);
        const models = byTarget.get(target) ?? new Map<string, Map<string, StatedExpectation>>();
        byTarget.set(target, models);
        const forModel = models.get(model) ?? new Map<string, StatedExpectation>();
        models.set(model, forModel);
        forModel.set(checkId, stated(targetValue, targetEntry, where));
      }
    }
    byModel.set(model, map);
  }
  throwIfProblems('HARNESS_EXPECTATIONS_INVALID', meaning, hint);
  return { file, catalog: data.expectations, catalogAt: source!.locate(['expectations']), byModel, byTarget, modelAt };
}

export interface BlessChange {
  model: string;
  check: string;
  /** The value the expectations file states, if it states one (for `target`: that target's own). */
  from: Expected | undefined;
  to: Expected;
  /** Write it for this target only (under the entry's `targets:`); otherwise for every target. */
  target?: string;
  /** Targets whose own entries for this check go (they observed what the entry now states). */
  dropTargets?: string[];
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
 * `$schema` comment that resolves from where the file is). A link is written through to its target. See
 * {@link blessedText} for what changes in the text. What the next run (or bless) would refuse to load, over the size
 * limit above all, is exit 2 and never written: the file stays as it was.
 */
export async function blessExpectations(file: string, catalog: string, changes: readonly BlessChange[], note: string, schemaFile: string, checks: readonly CheckSignature[]): Promise<void> {
  const place = await blessTarget(file);
  const text = place.text ?? `${schemaComment(file, schemaFile)}\n# What runs are expected to observe, per model and check. Written by \`mantle-conformance bless\`; review the diff.\nexpectations: ${catalog}\nmodels:\n`;
  const out = blessedText(text, file, changes, note);
  const refused = (why: string, fix: string) => new HarnessError('HARNESS_EXPECTATIONS_INVALID', `${displayFile(file)}: with the blessed values it ${why}, which the next run (and bless) refuses; nothing was written, the file is as it was. ${fix}`);
  const bytes = Buffer.byteLength(out);
  if (bytes > MAX_YAML_BYTES) throw refused(`would be ${bytes} bytes, over the ${MAX_YAML_BYTES / 1024 / 1024} MiB an expectations file may hold`, 'Make room (shorten long reasons, remove entries of models no longer run), then bless again');
  await loadExpectations(file, checks, undefined, out).catch((error: unknown) => {
    throw error instanceof HarnessErrorList ? refused(`would not load (${error.problems.join('; ')})`, 'Fix what that names in the file, then bless again') : error;
  });
  await writeFileAtomic(place.file, out);
}

/**
 * `text` (an expectations file's, `file` names it in messages) with `changes` written in. Only the stated cells
 * change, also where an alias shares them. An existing entry whose value stays keeps its reason and link; a value
 * that changes gets `note` as its fresh reason and loses its link (both described the old value); a new entry records where it
 * came from. Only the models entries that change are re-printed: every other byte stays (comments, spacing,
 * quoting, line endings), unless that cannot be done safely, or `whole` asks for it: then yaml re-prints the whole
 * document (a flow map or folded text of another entry may be re-spaced), keeping the line endings and a BOM.
 */
export function blessedText(text: string, file: string, changes: readonly BlessChange[], note: string, { whole = false } = {}): string {
  const doc: Document.Parsed = parseDocument(text, { lineCounter: new LineCounter() });
  if (doc.errors.length) throw new HarnessError('HARNESS_EXPECTATIONS_INVALID', `${file}: ${doc.errors[0]!.message}; fix it before blessing`);
  if (!isMap(doc.get('models'))) doc.set('models', doc.createNode({}));
  const fresh = (to: Expected) => `${note}: observed ${JSON.stringify(to)}`;
  for (const change of changes) {
    const path = ['models', change.model, change.check];
    detach(doc, path, [change.target, ...(change.dropTargets ?? [])].filter((t) => t !== undefined).map((t) => ['targets', t]));
    const existing = doc.getIn(path, true);
    if (change.target !== undefined) {
      // A short-form entry becomes a map that keeps its value for the other targets: the node itself, so its
      // comments (the value did not change) and its tag stay with it.
      if (existing !== undefined && !isMap(existing)) doc.setIn(path, doc.createNode({ observed: existing }));
      const at = [...path, 'targets', change.target];
      if (isMap(doc.getIn(at, true))) {
        rewrite(doc, at, change.to, fresh(change.to));
      } else {
        doc.setIn(at, doc.createNode({ observed: change.to, reason: fresh(change.to) }));
      }
    } else if (existing && isMap(existing) && change.from !== undefined && JSON.stringify(change.from) === JSON.stringify(change.to)) {
      // The value stays (only target entries go): its reason and link still hold.
    } else if (existing && isMap(existing)) {
      rewrite(doc, path, change.to, fresh(change.to));
    } else if (existing !== undefined && !isMap(existing) && change.from !== undefined && !Array.isArray(change.to)) {
      doc.setIn(path, change.to);
    } else {
      doc.setIn(path, doc.createNode({ observed: change.to, reason: fresh(change.to) }));
    }
    for (const dropped of change.dropTargets ?? []) doc.deleteIn([...path, 'targets', dropped]);
    const targets = doc.getIn([...path, 'targets'], true);
    if (isMap(targets) && targets.items.length === 0) doc.deleteIn([...path, 'targets']);
    blockStyle(doc.getIn(['models', change.model], true));
  }
  const models = doc.get('models', true);
  if (isMap(models)) models.flow = false;
  const spliced = whole ? undefined : spliceEntries(text, doc, 'models');
  if (spliced !== undefined) return spliced;
  const out = doc.toString({ lineWidth: 0 });
  // yaml writes LF; a file kept in CRLF (a Windows checkout) would otherwise show every line as changed.
  const crlf = text.slice(0, text.indexOf('\n') + 1).endsWith('\r\n');
  return `${text.startsWith('\uFEFF') && !out.startsWith('\uFEFF') ? '\uFEFF' : ''}${crlf ? out.replace(/\r?\n/g, '\r\n') : out}`;
}

/**
 * Writes `to` as the map entry's observed value, with `reason`. A link tracked the deviation the old value was: once
 * the value changes it points at a source that states something else, so it goes with it (it stays when the value does).
 */
function rewrite(doc: Document.Parsed, at: readonly string[], to: Expected, reason: string): void {
  const before: unknown = doc.getIn([...at, 'observed']);
  doc.setIn([...at, 'observed'], doc.createNode(to));
  doc.setIn([...at, 'reason'], reason);
  if (JSON.stringify(before) !== JSON.stringify(to)) doc.deleteIn([...at, 'link']);
}

/**
 * Where bless writes and what is there now: the real path (a link's target, so the link stays a link and the file
 * it names changes) and its text, or no text when nothing is at `file`. A folder, a dangling or looping link, a file
 * that cannot be read or is not UTF-8 is exit 2 with nothing written: bless never replaces what it could not read.
 * `label` names the file in messages (the flag that gave it).
 */
export async function blessTarget(file: string, label = file): Promise<{ file: string; text?: string }> {
  const refuse = (code: 'HARNESS_USAGE' | 'HARNESS_EXPECTATIONS_INVALID', why: string) => new HarnessError(code, `${label}: ${why}; nothing was written`);
  const unreadable = (error: NodeJS.ErrnoException) => refuse('HARNESS_EXPECTATIONS_INVALID', `cannot read it (${readErrorText(error)})`);
  const link = await lstat(file).catch((error: NodeJS.ErrnoException) => error);
  if (link instanceof Error) {
    if (link.code === 'ENOENT') return { file };
    throw unreadable(link);
  }
  const real = await realpath(file).catch((error: NodeJS.ErrnoException) => error);
  if (real instanceof Error) {
    if (real.code !== 'ENOENT') throw unreadable(real);
    const to = await readlink(file).catch(() => '?');
    throw refuse('HARNESS_USAGE', `is a link to ${to}, which does not exist; create that file or name another one`);
  }
  const info = await stat(real).catch((error: NodeJS.ErrnoException) => {
    throw unreadable(error);
  });
  if (info.isDirectory()) throw refuse('HARNESS_USAGE', `is a folder, not a file; name the expectations file (e.g. ${join(file, 'expectations.yaml')})`);
  if (!info.isFile()) throw refuse('HARNESS_USAGE', 'is not a regular file; name an expectations file');
  const read = await readUtf8File(real);
  if ('problem' in read) throw refuse('HARNESS_EXPECTATIONS_INVALID', read.problem);
  // Removed since it was looked at: nothing there to keep.
  return 'missing' in read ? { file: real } : { file: real, text: read.text };
}

/** A copy of `node` with no anchor in it: nothing written into it reaches another place, and no alias resolves to it. */
function plainCopy(node: Node): Node {
  const copy = node.clone() as Node;
  visit(copy, {
    Node: (_, n) => {
      if (!isAlias(n)) delete n.anchor;
    },
  });
  return copy;
}

/**
 * Makes the cell at `path` (and the `targets` entries `below` it) the cell's own before it is written, so that only
 * the stated cell changes: an alias on the way becomes a plain copy of its value at its place, and an alias
 * elsewhere that names a node on the way or inside the cell becomes one too (`b: *v` keeps what `a: &v` held).
 */
function detach(doc: Document.Parsed, path: readonly string[], below: readonly string[][]): void {
  for (const full of [path, ...below.map((tail) => [...path, ...tail])]) {
    for (let i = 1; i <= full.length; i++) {
      const node: unknown = doc.getIn(full.slice(0, i), true);
      if (!isAlias(node)) {
        if (node === undefined) break;
        continue;
      }
      const target = node.resolve(doc);
      if (target) doc.setIn(full.slice(0, i), plainCopy(target));
    }
  }
  const shared = new Set<unknown>(path.map((_, i) => doc.getIn(path.slice(0, i), true)));
  const cell: unknown = doc.getIn(path, true);
  if (isNode(cell)) visit(cell, { Node: (_, n) => void shared.add(n) });
  // A copy can hold aliases of its own (each also replaced on the next round); the load's alias limit bounds this.
  for (let round = 0; round < 100; round++) {
    const sharing: { alias: Alias; target: Node; parent: WalkedItem | undefined }[] = [];
    walkDocument(doc, {
      alias: (alias, target, ancestors) => {
        if (target && shared.has(target)) sharing.push({ alias, target, parent: ancestors.at(-1) });
      },
    });
    if (sharing.length === 0) return;
    for (const { alias, target, parent } of sharing) {
      // Keys are never aliases (the load refuses them): an alias is a pair's value or a list's item.
      if (isPair(parent)) parent.value = plainCopy(target);
      else if (isSeq(parent)) parent.items[parent.items.indexOf(alias)] = plainCopy(target);
    }
  }
}
