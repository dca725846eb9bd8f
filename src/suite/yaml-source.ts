/**
 * @module suite/yaml-source
 * Parses a YAML file keeping positions, validates it against a JSON Schema, and turns every problem into
 * `file:line:col message`. Shared by suites, the catalog and the expectations file.
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { HarnessError, HarnessErrorList, type HarnessErrorCode } from '../errors.ts';

export type PathSegment = string | number;

/** A parsed YAML file that can say where any value in it came from. */
export class YamlSource {
  readonly file: string;
  readonly data: unknown;
  readonly #doc: Document.Parsed;
  readonly #lines: LineCounter;

  constructor(file: string, doc: Document.Parsed, lines: LineCounter) {
    this.file = file;
    this.#doc = doc;
    this.#lines = lines;
    this.data = doc.toJS({ maxAliasCount: 100 });
  }

  /** `file:line:col` of the node at `path`, or of its nearest existing parent. `key: true` points at the key. */
  locate(path: readonly PathSegment[], options: { key?: boolean } = {}): string {
    let node: unknown = this.#doc.contents;
    let found: Node | null = (node as Node | null) ?? null;
    for (const [index, segment] of path.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && item.key.value === segment);
        if (!pair) break;
        const last = index === path.length - 1;
        // A key with an empty value has no value node: point at the key instead.
        node = (last && options.key) || pair.value === null ? pair.key : pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
      } else {
        break;
      }
      if (!node) break;
      found = node as Node;
    }
    const { line, col } = this.#lines.linePos(found?.range?.[0] ?? 0);
    return `${this.displayName}:${line}:${col}`;
  }

  get displayName(): string {
    return displayFile(this.file);
  }
}

/** Reads and parses a YAML file; syntax errors come back as located problems, not exceptions. */
export async function readYamlSource(file: string): Promise<{ source: YamlSource | null; problems: string[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new HarnessError('HARNESS_FILE_NOT_FOUND', `Cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
  return parseYamlSource(file, text);
}

/** A path relative to the working directory when it is below it, as editors and terminals link it. */
export function displayFile(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') || rel === '' ? file : rel;
}

export function parseYamlSource(file: string, text: string): { source: YamlSource | null; problems: string[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const display = displayFile(file);
  const problems = doc.errors.map((error) => {
    const pos = error.linePos?.[0];
    const where = pos ? `${display}:${pos.line}:${pos.col}` : display;
    return `${where} ${firstLine(error.message)}`;
  });
  if (problems.length > 0) return { source: null, problems };
  return { source: new YamlSource(file, doc, lines), problems };
}

/** yaml's pretty message repeats the position ("at line 7, column 1:") and adds a snippet; keep the sentence. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const compiled = new WeakMap<object, ValidateFunction>();

/** A validator compiled ahead of time for `schema` (the bundle's, .ci/build.mjs), with the options of `ajv` above. */
export function usePrecompiledValidator(schema: object, validate: ValidateFunction): void {
  compiled.set(schema, validate);
}

/** Validates `source.data` against `schema`; returns one located, readable line per problem. */
export function validateAgainstSchema(source: YamlSource, schema: object): string[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(source.data)) return [];
  return dedupe((validate.errors ?? []).map((e) => describeAjvError(source, e)));
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}

export function pathOf(instancePath: string): PathSegment[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg));
}

export function displayPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out || '(top level)';
}

function describeAjvError(source: YamlSource, error: ErrorObject): string {
  const path = pathOf(error.instancePath);
  const at = displayPath(path);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${source.locate(path)} ${at}: missing required field "${String(params.missingProperty)}"`;
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = allowedKeys(error);
      return `${source.locate([...path, key], { key: true })} ${at}: unknown field "${key}"${allowed ? ` (allowed: ${allowed})` : ''}`;
    }
    case 'enum':
      return `${source.locate(path)} ${at}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (got ${JSON.stringify(valueAt(source.data, path))})`;
    case 'type':
      return `${source.locate(path)} ${at}: must be ${article(String(params.type))} (got ${describeValue(valueAt(source.data, path))})`;
    case 'pattern':
      return `${source.locate(path)} ${at}: ${JSON.stringify(valueAt(source.data, path))} must match ${String(params.pattern)}`;
    default:
      return `${source.locate(path)} ${at}: ${error.message ?? error.keyword}`;
  }
}

function allowedKeys(error: ErrorObject): string {
  const props = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props).filter((k) => k !== '$schema').join(', ') : '';
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

export function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let value = data;
  for (const seg of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[seg];
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Throws one error listing every problem, with the fix, when there are any. */
export function throwIfProblems(code: HarnessErrorCode, problems: readonly string[], hint: string): void {
  if (problems.length > 0) throw new HarnessErrorList(code, problems, hint);
}
