/**
 * @module suite/templates
 * `{{model}}`, `{{steps.<step>.<path>}}`, `{{...steps.<step>.<path>}}` and `{{generated.<name>}}` (a value made in
 * code, see generated.ts) in request paths, headers and bodies.
 * A path walks the JSON body of an earlier step's response: `output.0.id`, or `output[type=function_call].call_id`
 * to pick the first array item whose field has a value. A string that is exactly one template takes the JSON value
 * (object, array, number); inside a longer string the value is interpolated as text; `...` spreads an array into
 * the enclosing array. Only the answer's own JSON data is a value: a template that finds none, or finds null, an
 * object or an array in a path or a header, is never filled with "undefined" or "{}": the step is not sent
 * (HARNESS_TEMPLATE). Inside a longer body string a value goes as its JSON text. A step's value in a path is
 * percent-encoded.
 */

import { mapValues } from '../map-values.ts';
import { generatedNameProblem, generatedValue } from './generated.ts';

export type PathStep = { key: string } | { index: number } | { where: string; equals: string };

export type TemplateRef = { kind: 'model' } | { kind: 'generated'; name: string } | { kind: 'step'; step: string; path: PathStep[]; spread: boolean };

const TEMPLATE = /\{\{\s*(\.\.\.)?([^}]+?)\s*\}\}/g;

export interface TemplateProblem {
  template: string;
  message: string;
}

/**
 * A template whose braces are not two on each side. Anywhere, an opening pair left unclosed once the whole templates
 * are taken out (`{{steps.create.id}`). In a path or a header, which no prompt or code fills, also a step path with
 * one brace or none before it (`{steps.create.id}}`, `steps.create.id}}`, `{steps.create.id}`); in a body these are
 * what code in a prompt looks like (`{a: {b: steps.first.id}}`, `{...steps.first}}`), and are left alone.
 */
const STEP_EXPRESSION = String.raw`(?:\.\.\.)?\s*(?:steps\.[a-z0-9][a-z0-9.-]*(?:\.[A-Za-z0-9_$-]+|\[[^\]{}]*\])*|generated\.[a-z0-9-]+)`;
const UNCLOSED = String.raw`\{\{\s*(?:\.\.\.)?\s*(?:steps\.[a-z0-9]|model\b|generated\.[a-z0-9])[^{}]*\}?(?!\})`;
const HALF_TEMPLATE = { body: new RegExp(UNCLOSED), route: new RegExp(String.raw`${UNCLOSED}|\{?\s*${STEP_EXPRESSION}\s*\}\}?|\{\s*${STEP_EXPRESSION}\s*\}`) };

/** Every template in a string, parsed, with the problems of the ones that do not parse. */
export function templatesIn(text: string, where: keyof typeof HALF_TEMPLATE = 'body'): { refs: TemplateRef[]; problems: TemplateProblem[] } {
  const refs: TemplateRef[] = [];
  const problems: TemplateProblem[] = [];
  if (!text.includes('{') && !text.includes('}')) return { refs, problems };
  for (const match of text.matchAll(TEMPLATE)) {
    const parsed = parseTemplate(match[2]!.trim(), Boolean(match[1]));
    if ('message' in parsed) problems.push({ template: match[0], message: parsed.message });
    else refs.push(parsed);
  }
  // A template one brace short is sent as it is written: the endpoint would be blamed for the path it never knew.
  const half = HALF_TEMPLATE[where].exec(text.replace(TEMPLATE, ''));
  if (half) problems.push({ template: half[0].trim(), message: 'is a template without two braces on each side: write {{steps.<step>.<path>}}, {{model}} or {{generated.<name>}}' });
  return { refs, problems };
}

function parseTemplate(expression: string, spread: boolean): TemplateRef | { message: string } {
  if (expression === 'model') return spread ? { message: '{{...model}} cannot be spread' } : { kind: 'model' };
  if (expression.startsWith('generated.')) {
    const name = expression.slice('generated.'.length);
    const problem = spread ? `{{...${expression}}} cannot be spread` : generatedNameProblem(name);
    return problem ? { message: problem } : { kind: 'generated', name };
  }
  const match = /^steps\.([a-z0-9][a-z0-9.-]*?)((?:\.|\[).*)?$/.exec(expression);
  if (!match) return { message: `unknown template "${expression}": use {{model}}, {{steps.<step-id>.<path>}} or {{generated.<name>}}` };
  const path = parsePath(match[2] ?? '');
  if ('message' in path) return path;
  return { kind: 'step', step: match[1]!, path: path.steps, spread };
}

function parsePath(text: string): { steps: PathStep[] } | { message: string } {
  const steps: PathStep[] = [];
  const token = /\.([A-Za-z0-9_$-]+)|\[([A-Za-z0-9_$-]+)=([^\]]*)\]/y;
  let position = 0;
  while (position < text.length) {
    token.lastIndex = position;
    const match = token.exec(text);
    if (!match) return { message: `cannot read the path "${text}" at "${text.slice(position)}"` };
    if (match[1] !== undefined) steps.push(/^\d+$/.test(match[1]) ? { index: Number(match[1]) } : { key: match[1] });
    else steps.push({ where: match[2]!, equals: match[3]! });
    position = token.lastIndex;
  }
  return { steps };
}

/**
 * Walks `path` into `value`; undefined when a step does not exist. Only a JSON body's own data counts: a key is an
 * own property of an object (`constructor`, `__proto__` or `toString` of a body without them is nothing, not what
 * every object inherits), and an array is walked by index only (`.length` is no field of the answer).
 */
export function resolvePath(value: unknown, path: readonly PathStep[]): unknown {
  let current = value;
  for (const step of path) {
    if ('key' in step) {
      current = isRecord(current) ? ownField(current, step.key) : undefined;
    } else if ('index' in step) {
      current = Array.isArray(current) && step.index < current.length ? (current[step.index] as unknown) : undefined;
    } else {
      current = Array.isArray(current) ? current.find((item) => isRecord(item) && Object.hasOwn(item, step.where) && String(item[step.where]) === step.equals) : undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function ownField(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * Where a template's value goes: a JSON value of its own (`value`), text inside a longer string (`text`), a URL path
 * or query (`path`, percent-encoded), or a header value (`header`).
 */
export type TemplateUse = 'value' | 'text' | 'path' | 'header';

const USE_WORDS: Record<TemplateUse, string> = { value: 'as a JSON value', text: 'as text', path: 'in a path', header: 'in a header' };

/**
 * Why `value` cannot stand where it goes, or undefined when it can. A JSON value of its own, or text inside a longer
 * body string (written as JSON text), may be anything JSON holds; a path and a header take a string, a finite number
 * or a boolean: null, an object or an array would go as "null" or "{}", a request the case never meant.
 */
export function unusableAs(value: unknown, use: TemplateUse): string | undefined {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') return 'it is missing';
  if (typeof value === 'number' && !Number.isFinite(value)) return `it is ${value}, not a finite number`;
  // Inside a longer body string a JSON value goes as its JSON text (`Your last answer was {...}`), as it always did.
  if (use === 'value' || use === 'text' || typeof value === 'number' || typeof value === 'boolean') return undefined;
  if (typeof value === 'string') {
    if (use === 'path' && value === '') return 'it is an empty string';
    // Percent-encoding leaves dots alone, and a URL parser reads a segment `..` (or `%2e%2e`) as "the folder above".
    if (use === 'path' && (value === '.' || value === '..')) return `it is "${value}", a dot segment that would change the route`;
    if (use === 'path') {
      const lone = loneSurrogate(value);
      if (lone) return `it holds ${lone}, which no URL can carry (percent-encoding needs well-formed text)`;
    }
    if (use === 'header' && /[\r\n\0]/.test(value)) return 'it holds a line break or a NUL';
    // undici refuses such a header as an invalid argument, which read as a connection failure and was retried.
    if (use === 'header' && /[^\t\x20-\x7e\x80-\xff]|[\x7f-\x9f]/.test(value)) return 'it holds a control character or one a header cannot carry (outside Latin-1)';
    return undefined;
  }
  return value === null ? 'it is null' : Array.isArray(value) ? 'it is an array' : 'it is an object';
}

/** Half of a surrogate pair standing alone (`\p{Cs}` with the `u` flag matches no whole pair): not well-formed text. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The first lone surrogate in `text`, said by its code and place (`a lone surrogate (U+D800 at character 6)`), or
 * undefined: such text cannot be percent-encoded (encodeURIComponent throws), so an endpoint's id holding one cannot
 * go into a URL.
 */
export function loneSurrogate(text: string): string | undefined {
  const at = text.search(LONE_SURROGATE);
  return at < 0 ? undefined : `a lone surrogate (U+${text.charCodeAt(at).toString(16).toUpperCase()} at character ${at + 1})`;
}

/** `in a path`, `as text`: how a message says where a value was to go. */
export function describeUse(use: TemplateUse): string {
  return USE_WORDS[use];
}

export function describePath(path: readonly PathStep[]): string {
  return path.map((s) => ('key' in s ? `.${s.key}` : 'index' in s ? `.${s.index}` : `[${s.where}=${s.equals}]`)).join('');
}

export interface TemplateScope {
  model: string;
  /**
   * Look up a step's value for `use`; throw a HarnessError (HARNESS_TEMPLATE) naming the step when it is missing or
   * cannot stand there (see unusableAs): what it returns is written into the request as it is.
   */
  step(ref: Extract<TemplateRef, { kind: 'step' }>, use: TemplateUse): unknown;
}

/** Replaces every template in a JSON-like value. */
export function renderTemplates(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === 'string') return renderString(value, scope);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const spread = typeof item === 'string' ? exactTemplate(item) : undefined;
      if (spread && spread.kind === 'step' && spread.spread) {
        const resolved = resolve(spread, scope, 'value');
        if (Array.isArray(resolved)) out.push(...resolved);
        else out.push(resolved);
      } else {
        out.push(renderTemplates(item, scope));
      }
    }
    return out;
  }
  if (value && typeof value === 'object') {
    // Without Object.fromEntries' pair arrays: a body is rendered on every send.
    return mapValues(value as Record<string, unknown>, (item) => renderTemplates(item, scope));
  }
  return value;
}

/** A string that is one template and nothing else (no `g` flag: exec keeps no state between strings). */
const WHOLE_TEMPLATE = new RegExp(`^${TEMPLATE.source}$`);

/**
 * Whether a string can hold a template at all. A request body is rendered on every send, and most of its strings
 * (prompts, a base64 image) have none: they are returned as they are without a regular expression run over them.
 */
function mayHoldTemplate(text: string): boolean {
  return text.includes('{{');
}

function exactTemplate(text: string): TemplateRef | undefined {
  if (!mayHoldTemplate(text)) return undefined;
  const trimmed = text.trim();
  const { refs } = templatesIn(trimmed);
  if (refs.length !== 1) return undefined;
  const whole = WHOLE_TEMPLATE.exec(trimmed);
  return whole ? refs[0] : undefined;
}

/**
 * Renders the templates of one string. Where `use` is `value`, a string that is exactly one template takes the JSON
 * value; otherwise every template is written into the string as text, and in a path a step's value is percent-encoded
 * (an id with `/` or `?` must not change the route).
 */
export function renderString(text: string, scope: TemplateScope, use: Exclude<TemplateUse, 'text'> = 'value'): unknown {
  if (!mayHoldTemplate(text)) return text;
  const exact = use === 'value' ? exactTemplate(text) : undefined;
  if (exact) return resolve(exact, scope, 'value');
  return text.replace(TEMPLATE, (whole, _spread: string | undefined, expression: string) => {
    const parsed = parseTemplate(expression.trim(), false);
    if ('message' in parsed) return whole;
    const value = resolve(parsed, scope, use === 'value' ? 'text' : use);
    const resolved = typeof value === 'string' ? value : JSON.stringify(value);
    return use === 'path' && parsed.kind === 'step' ? encodeURIComponent(resolved) : resolved;
  });
}

function resolve(ref: TemplateRef, scope: TemplateScope, use: TemplateUse): unknown {
  if (ref.kind === 'model') return scope.model;
  if (ref.kind === 'generated') return generatedValue(ref.name);
  return scope.step(ref, use);
}
