/**
 * @module suite/yaml-source
 * Parses a YAML file keeping positions, validates it against a JSON Schema, and turns every problem into
 * `file:line:col message`. Shared by suites, the catalog and the expectations file.
 */
import { relative } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { LineCounter, isAlias, isNode, isScalar, parseDocument, type Alias, type Document } from 'yaml';
import { knownParse, rememberParse, storedParse, textKey, type ParsedYaml } from './bundled-yaml.ts';
import type { PathSegment } from '../json-path.ts';
import { describeAjvErrors, type Suggest } from './ajv-messages.ts';
import { withheldQuotes } from './withheld-values.ts';
import { mayBeSecret } from '../key-shapes.ts';
import { locateOffset, positionTree } from './yaml-positions.ts';
import { holdsAlias, walkDocument } from './yaml-walk.ts';
import { MAX_YAML_DEPTH, overDepthOffset } from './yaml-depth.ts';
import { HarnessError, HarnessErrorList, type HarnessErrorCode } from '../errors.ts';
import { readUtf8File } from './read-text-file.ts';

export type { PathSegment, Suggest };
export { valueAt } from './ajv-messages.ts';

/** A parsed YAML file that can say where any value in it came from. */
export class YamlSource {
  readonly file: string;
  readonly parsed: ParsedYaml;
  #lines: LineCounter | undefined;

  constructor(file: string, parsed: ParsedYaml) {
    this.file = file;
    this.parsed = parsed;
  }

  get data(): unknown {
    return this.parsed.data;
  }

  /** `file:line:col` of the node at `path`, or of its nearest existing parent. `key: true` points at the key. */
  locate(path: readonly PathSegment[], options: { key?: boolean } = {}): string {
    if (!this.#lines) {
      this.#lines = new LineCounter();
      for (const start of this.parsed.lineStarts) this.#lines.addNewLine(start);
    }
    const { line, col } = this.#lines.linePos(locateOffset(this.parsed.positions, path, options));
    return `${this.displayName}:${line}:${col}`;
  }

  get displayName(): string {
    return displayFile(this.file);
  }
}

/**
 * Reads and parses a YAML file; syntax errors come back as located problems, not exceptions. A missing file is
 * HARNESS_FILE_NOT_FOUND; one that exists and cannot be read (or is not UTF-8) is a problem naming it, which the
 * caller reports with its own code, as it does a syntax error.
 */
export async function readYamlSource(file: string): Promise<{ source: YamlSource | null; problems: string[] }> {
  const read = await readUtf8File(file);
  if ('missing' in read) throw new HarnessError('HARNESS_FILE_NOT_FOUND', `Cannot read ${file}: ${read.missing.message}`, { cause: read.missing });
  if ('problem' in read) return { source: null, problems: [`${displayFile(file)}: ${read.problem}`] };
  const text = read.text;
  const key = textKey(text);
  const known = knownParse(key);
  if (known) return { source: new YamlSource(file, known), problems: [] };
  const parsed = parseYamlSource(file, text);
  if (parsed.source) rememberParse(key, parsed.source.parsed);
  return parsed;
}

/** The package's parses of `texts` by textKey (.ci/build.mjs): those that parse without a problem and that JSON holds exactly. */
export function parsesToBundle(texts: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const text of texts) {
    const stored = parseYamlSource('bundled.yaml', text).source;
    const json = stored && storedParse(stored.parsed);
    if (json) out[textKey(text)] = json;
  }
  return out;
}

/** A path relative to the working directory when it is below it, as editors and terminals link it. */
export function displayFile(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') || rel === '' ? file : rel;
}

/**
 * Parses YAML into plain data, or into located problems: syntax errors and warnings (an unresolved tag is a
 * warning to yaml, and the value would silently become a string), then what only shows when the document is
 * built (an alias with no anchor, an alias inside its own anchor, alias bombs, keys that are not plain text,
 * tags outside JSON's types). Nothing yaml raises escapes as an exception. Nesting deeper than MAX_YAML_DEPTH is
 * refused before yaml builds anything, as building it recurses once per level.
 */
export function parseYamlSource(file: string, text: string): { source: YamlSource | null; problems: string[] } {
  const lines = new LineCounter();
  const display = displayFile(file);
  const at = (offset: number | undefined) => {
    const { line, col } = lines.linePos(offset ?? 0);
    return `${display}:${line}:${col}`;
  };
  const depthLines = new LineCounter();
  const tooDeep = overDepthOffset(text, depthLines.addNewLine);
  if (tooDeep !== undefined) {
    const { line, col } = depthLines.linePos(tooDeep);
    return { source: null, problems: [`${display}:${line}:${col} lists and mappings are nested more than ${MAX_YAML_DEPTH} levels deep here; flatten the value (no catalog, suite or expectations file needs that many levels)`] };
  }
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    return { source: null, problems: [`${display} cannot be parsed as YAML: ${firstLine((error as Error).message)}`] };
  }
  const problems = [...doc.errors, ...doc.warnings].map((error) => {
    const pos = error.linePos?.[0];
    const where = pos ? `${display}:${pos.line}:${pos.col}` : display;
    // The library's words name its own API (parseAllDocuments): the fix in the file is to keep one document.
    if (error.code === 'MULTIPLE_DOCS') return `${where} a second YAML document starts here (a \`---\` line): each file holds one; remove the line, or move what follows it into a file of its own`;
    return `${where} ${syntaxMessage(error.message)}`;
  });
  if (problems.length > 0) return { source: null, problems };
  problems.push(...buildProblems(doc).map(({ offset, message }) => `${at(offset)} ${message}`));
  if (problems.length > 0) return { source: null, problems };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const bomb = /excessive alias count/i.test((error as Error).message);
    const message = bomb
      ? `aliases here expand to more than ${MAX_ALIAS_COUNT} copies (an alias bomb?); write the values out or use fewer aliases`
      : `cannot build the document: ${firstLine((error as Error).message)}`;
    return { source: null, problems: [`${at(bomb ? amplifyingAlias(doc) : 0)} ${message}`] };
  }
  return { source: new YamlSource(file, { data, positions: positionTree(doc.contents), lineStarts: lines.lineStarts }), problems };
}

/** How many nodes aliases may copy in one file (yaml's resource-exhaustion guard). */
const MAX_ALIAS_COUNT = 100;

/** The JSON types a file may tag explicitly (`!!str 123`); anything else (`!!binary`, `!!set`, `!foo`) is not data here. */
const JSON_TAGS: ReadonlySet<string> = new Set(['str', 'int', 'float', 'bool', 'null', 'seq', 'map'].map((t) => `tag:yaml.org,2002:${t}`));

function buildProblems(doc: Document.Parsed): { offset: number | undefined; message: string }[] {
  const problems: { offset: number | undefined; message: string }[] = [];
  walkDocument(doc, {
    alias(alias, target, ancestors) {
      if (!target) problems.push({ offset: alias.range?.[0], message: `alias *${alias.source} refers to no anchor: add &${alias.source} to a value above it` });
      else if (ancestors.includes(target)) problems.push({ offset: alias.range?.[0], message: `alias *${alias.source} is inside the value it refers to (a cycle)` });
    },
    pair(pair) {
      if (isNode(pair.key) && !isScalar(pair.key)) {
        problems.push({ offset: pair.key.range?.[0], message: `keys must be plain text, not ${isAlias(pair.key) ? 'an alias' : 'a list or mapping'}` });
      }
    },
    node(node) {
      if (node.tag && !JSON_TAGS.has(node.tag)) problems.push({ offset: node.range?.[0], message: `tag ${node.tag.replace('tag:yaml.org,2002:', '!!')} is not supported: values are plain JSON types` });
    },
  });
  return problems;
}

/** Where an alias bomb starts: the first alias that copies a value which itself holds aliases (else the first alias). */
function amplifyingAlias(doc: Document.Parsed): number | undefined {
  const aliases: { alias: Alias; target: unknown }[] = [];
  walkDocument(doc, { alias: (alias, target) => void aliases.push({ alias, target }) });
  return (aliases.find(({ target }) => holdsAlias(target)) ?? aliases[0])?.alias.range?.[0];
}

/** yaml's pretty message repeats the position ("at line 7, column 1:") and adds a snippet; keep the sentence. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * yaml's message for a syntax error, which names the text it stumbled on: a file that is not YAML (an INI file, a
 * `.pypirc`) is all tokens, and a token may be a key. A quoted token goes through the loaders' net (withheld-values.ts);
 * one yaml names unquoted ("Not a YAML token: ...") is cut off when what it names may be a secret.
 */
function syntaxMessage(message: string): string {
  const line = withheldQuotes(firstLine(message));
  if (!mayBeSecret(line)) return line;
  const colon = line.indexOf(': ');
  return `${colon < 0 ? 'a YAML syntax error' : line.slice(0, colon)} (the text it names is not shown: it may be a secret)`;
}

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const compiled = new WeakMap<object, ValidateFunction>();

/** A validator compiled ahead of time for `schema` (the bundle's, .ci/build.mjs), with the options of `ajv` above. */
export function usePrecompiledValidator(schema: object, validate: ValidateFunction): void {
  compiled.set(schema, validate);
}

/**
 * Validates `source.data` against `schema`; returns one located, readable line per mistake. `suggest` names the
 * known value a refused key or value most likely means (a check id, a region), for "did you mean".
 */
export function validateAgainstSchema(source: YamlSource, schema: object, suggest?: Suggest): string[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(source.data)) return [];
  return describeAjvErrors(source, validate.errors ?? [], suggest);
}

/** Throws one error listing every problem, with the fix, when there are any. */
export function throwIfProblems(code: HarnessErrorCode, problems: readonly string[], hint: string): void {
  // A file given by mistake may put a key where a value is quoted: none is shown (withheld-values.ts). A problem is
  // one line: a line break quoted from the file (a key may hold one) is written `\n`, never a line of its own that could
  // read as the harness's (`gate: pass`) or a CI command.
  if (problems.length > 0) throw new HarnessErrorList(code, problems.map((p) => withheldQuotes(p).replace(/\r?\n/g, '\\n')), hint);
}
