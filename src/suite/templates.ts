/**
 * @module suite/templates
 * `{{model}}`, `{{steps.<step>.<path>}}`, `{{...steps.<step>.<path>}}` and `{{generated.<name>}}` (a value made in
 * code, see generated.ts) in request paths, headers and bodies.
 * A path walks the JSON body of an earlier step's response: `output.0.id`, or `output[type=function_call].call_id`
 * to pick the first array item whose field has a value. A string that is exactly one template takes the JSON value
 * (object, array, number); inside a longer string the value is interpolated as text; `...` spreads an array into
 * the enclosing array.
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

/** Every template in a string, parsed, with the problems of the ones that do not parse. */
export function templatesIn(text: string): { refs: TemplateRef[]; problems: TemplateProblem[] } {
  const refs: TemplateRef[] = [];
  const problems: TemplateProblem[] = [];
  for (const match of text.matchAll(TEMPLATE)) {
    const parsed = parseTemplate(match[2]!.trim(), Boolean(match[1]));
    if ('message' in parsed) problems.push({ template: match[0], message: parsed.message });
    else refs.push(parsed);
  }
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

/** Walks `path` into `value`; undefined when a step does not exist. */
export function resolvePath(value: unknown, path: readonly PathStep[]): unknown {
  let current = value;
  for (const step of path) {
    if ('key' in step) {
      if (current === null || typeof current !== 'object') return undefined;
      current = (current as Record<string, unknown>)[step.key];
    } else if ('index' in step) {
      if (!Array.isArray(current)) return undefined;
      current = current[step.index];
    } else {
      if (!Array.isArray(current)) return undefined;
      current = current.find((item) => item && typeof item === 'object' && String((item as Record<string, unknown>)[step.where]) === step.equals);
    }
  }
  return current;
}

export function describePath(path: readonly PathStep[]): string {
  return path.map((s) => ('key' in s ? `.${s.key}` : 'index' in s ? `.${s.index}` : `[${s.where}=${s.equals}]`)).join('');
}

export interface TemplateScope {
  model: string;
  /** Look up a step's value; throw a HarnessError naming the step when it is missing. */
  step(ref: Extract<TemplateRef, { kind: 'step' }>): unknown;
}

/** Replaces every template in a JSON-like value. */
export function renderTemplates(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === 'string') return renderString(value, scope);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const spread = typeof item === 'string' ? exactTemplate(item) : undefined;
      if (spread && spread.kind === 'step' && spread.spread) {
        const resolved = scope.step(spread);
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

export function renderString(text: string, scope: TemplateScope): unknown {
  if (!mayHoldTemplate(text)) return text;
  const exact = exactTemplate(text);
  if (exact) return resolve(exact, scope);
  return text.replace(TEMPLATE, (_whole, _spread: string | undefined, expression: string) => {
    const parsed = parseTemplate(expression.trim(), false);
    if ('message' in parsed) return _whole;
    const resolved = resolve(parsed, scope);
    return typeof resolved === 'string' ? resolved : JSON.stringify(resolved);
  });
}

function resolve(ref: TemplateRef, scope: TemplateScope): unknown {
  if (ref.kind === 'model') return scope.model;
  if (ref.kind === 'generated') return generatedValue(ref.name);
  return scope.step(ref);
}
