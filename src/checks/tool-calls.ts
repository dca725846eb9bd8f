/**
 * @module checks/tool-calls
 * What every tool-calling check asks of a call once it has one, whether it came whole or in fragments: the tool
 * was declared, its arguments parse as JSON and fit the schema the request declared. Where each API declares its
 * tools (`function.parameters` on chat, `parameters` on Responses, `input_schema` on Messages), which tool a
 * `tool_choice` forces, and the calls a whole answer holds.
 */
import { isRecord, parseJsonText } from '../transport/body.ts';
import { schemaProblems } from './json-schema.ts';

export type ToolApi = 'chat-completions' | 'responses' | 'messages';

/** A call as an answer holds it: `arguments` is JSON text on the OpenAI APIs, the `input` object on Messages. */
export interface Call {
  name: unknown;
  arguments: unknown;
}

/** The schema the request declared for the tool `name`, or undefined when it declared no such tool. */
export function declaredSchema(request: Record<string, unknown>, api: ToolApi, name: string): unknown {
  const tools = Array.isArray(request.tools) ? request.tools.filter(isRecord) : [];
  for (const tool of tools) {
    const fn = api === 'chat-completions' && isRecord(tool.function) ? tool.function : tool;
    if (fn.name !== name) continue;
    return (api === 'messages' ? fn.input_schema : fn.parameters) ?? {};
  }
  return undefined;
}

/**
 * The tool a request's `tool_choice` forces by name (`{type: "function", function: {name}}` on chat,
 * `{type: "function", name}` on Responses, `{type: "tool", name}` on Messages), or undefined when it forces none
 * by name (auto, `"required"`, `{type: "any"}`).
 */
export function forcedTool(request: Record<string, unknown>): string | undefined {
  const choice = request.tool_choice;
  if (!isRecord(choice)) return undefined;
  const name = isRecord(choice.function) ? choice.function.name : choice.name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Whether a call is of a tool the request asks for: the forced tool where `tool_choice` names one, else any tool
 * the request declared (auto, `"required"`, `{type: "any"}`). Under a forced `tool_choice` the endpoint answers with
 * the forced tool (as OpenAI and Anthropic document), so a call of another is no call of it: not "valid", and not
 * its arguments at fault.
 */
export function isAsked(request: Record<string, unknown>, api: ToolApi, name: unknown): boolean {
  const forced = forcedTool(request);
  if (forced !== undefined) return name === forced;
  return typeof name === 'string' && declaredSchema(request, api, name) !== undefined;
}

/** The call a check judges among an answer's calls: the first one asked for (isAsked), or undefined. */
export function askedCall<T extends { name?: unknown }>(request: Record<string, unknown>, api: ToolApi, calls: readonly T[]): T | undefined {
  return calls.find((call) => isAsked(request, api, call.name));
}

/** What calls none of which was asked for called instead, for a `no-call` reason. */
export function offTarget(request: Record<string, unknown>, calls: readonly { name?: unknown }[]): string {
  const names = [...new Set(calls.map((call) => JSON.stringify(call.name)))].join(', ');
  const forced = forcedTool(request);
  return `the answer calls ${names}, ${forced === undefined ? 'which the request did not declare' : `not the forced ${JSON.stringify(forced)}`}`;
}

/** Every call a whole (not streamed) answer holds, in order: chat `tool_calls`, Responses `function_call` items, Messages `tool_use` blocks. */
export function callsOf(api: ToolApi, body: Record<string, unknown>): Call[] {
  if (api === 'messages') {
    const blocks = Array.isArray(body.content) ? body.content.filter(isRecord) : [];
    return blocks.filter((b) => b.type === 'tool_use').map((b) => ({ name: b.name, arguments: b.input }));
  }
  if (api === 'responses') {
    const items = Array.isArray(body.output) ? body.output.filter(isRecord) : [];
    return items.filter((i) => i.type === 'function_call').map((i) => ({ name: i.name, arguments: i.arguments }));
  }
  const choice = Array.isArray(body.choices) && isRecord(body.choices[0]) ? body.choices[0] : undefined;
  const message = isRecord(choice?.message) ? choice.message : undefined;
  const calls = Array.isArray(message?.tool_calls) ? message.tool_calls.filter(isRecord) : [];
  return calls.map((call) => (isRecord(call.function) ? call.function : {})).map((fn) => ({ name: fn.name, arguments: fn.arguments }));
}

/**
 * What the model got wrong in a call, when it did: arguments text that does not parse, a tool nobody declared.
 * Arguments that are no JSON string, or a Messages input that is no object, are how the endpoint wrote the call,
 * not the model's mistake: undefined for them, as for a well-formed call (whether or not it fits the schema).
 */
export function modelsMistakeIn(request: Record<string, unknown>, api: ToolApi, name: unknown, args: unknown): string | undefined {
  const read = readArguments(request, api, name, args);
  if (read.problem !== undefined) return read.models ? read.problem : undefined;
  // Arguments that miss a schema not declared strict are the model's too (argumentsProblem: its best effort).
  const missed = argumentsProblem(request, api, name, args);
  return missed?.bestEffort ? missed.problem : undefined;
}

/** A call's arguments as a value of its declared schema, or why not (`models`: the model's mistake, not the endpoint's encoding). */
function readArguments(request: Record<string, unknown>, api: ToolApi, name: unknown, args: unknown): { problem: string; models: boolean } | { problem?: undefined; schema: unknown; value: unknown } {
  let value = args;
  if (typeof args === 'string') {
    // A Messages tool with no parameters may stream no partial_json at all: the input is {}.
    const parsed = api === 'messages' && args === '' ? { ok: true as const, value: {} } : parseJsonText(args);
    if (!parsed.ok) return { problem: `arguments ${JSON.stringify(args.slice(0, 80))} do not parse as JSON: ${parsed.error}`, models: true };
    value = parsed.value;
  } else if (api !== 'messages') {
    return { problem: `arguments is ${args === null ? 'null' : typeof args}, not a JSON string`, models: false };
  }
  if (api === 'messages' && !isRecord(value)) return { problem: `input is ${JSON.stringify(value)?.slice(0, 80)}, not an object`, models: false };
  const schema = typeof name === 'string' ? declaredSchema(request, api, name) : undefined;
  if (schema === undefined) return { problem: `called ${JSON.stringify(name)}, which was not declared`, models: true };
  return { schema, value };
}

/** Why a call's arguments do not do; `bestEffort` when they parse but miss a schema the request did not declare strict. */
export interface ArgumentsProblem {
  problem: string;
  /**
   * The arguments parse and miss the schema of a tool the request did not declare `strict`: the APIs promise a fit
   * only under strict (OpenAI: "best effort" without it; Anthropic likewise), so the miss is the model's choice,
   * not the endpoint's failure.
   */
  bestEffort: boolean;
}

/**
 * Why a call's arguments do not do, or undefined when they do: `args` is the JSON text (OpenAI APIs, or the
 * concatenated `partial_json` of a stream) or the object itself (a Messages `tool_use.input`).
 */
export function argumentsProblem(request: Record<string, unknown>, api: ToolApi, name: unknown, args: unknown): ArgumentsProblem | undefined {
  const read = readArguments(request, api, name, args);
  if (read.problem !== undefined) return { problem: read.problem, bestEffort: false };
  const problems = schemaProblems(read.schema, read.value);
  if (!problems.length) return undefined;
  // Arguments are an object whatever the schema says: JSON of another kind (a string, as a gateway that encoded
  // them twice sends) is how the call was written, not a choice of the model's within the schema.
  return { problem: `arguments do not fit the schema: ${problems.join('; ')}`, bestEffort: isRecord(read.value) && !isStrictTool(request, api, String(name)) };
}

/**
 * Whether tool `name` is strict as the request declares it: chat `function.strict` and Messages `strict` only when
 * true (their default is false); a Responses function tool unless `strict: false` (its default is strict).
 */
export function isStrictTool(request: Record<string, unknown>, api: ToolApi, name: string): boolean {
  const tools = Array.isArray(request.tools) ? request.tools.filter(isRecord) : [];
  const tool = tools.map((t) => (api === 'chat-completions' && isRecord(t.function) ? t.function : t)).find((fn) => fn.name === name);
  return api === 'responses' ? tool?.strict !== false : tool?.strict === true;
}

/** The reason of the inconclusive verdict on a best-effort miss: what missed, and how to hold the endpoint to it. */
export const bestEffortMiss = (problem: string): string =>
  `${problem}; the tool is not declared strict, so fitting its schema is the model's best effort, not the endpoint's promise (a suite that sends strict: true holds the endpoint to it)`;
