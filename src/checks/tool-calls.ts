/**
 * @module checks/tool-calls
 * What every tool-calling check asks of a call once it has one, whether it came whole or in fragments: the tool
 * was declared, its arguments parse as JSON and fit the schema the request declared. Where each API declares its
 * tools (`function.parameters` on chat, `parameters` on Responses, `input_schema` on Messages).
 */
import { isRecord, parseJsonText } from '../transport/body.ts';
import { schemaProblems } from './json-schema.ts';

export type ToolApi = 'chat-completions' | 'responses' | 'messages';

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
 * Why a call's arguments do not do, or undefined when they do: `args` is the JSON text (OpenAI APIs, or the
 * concatenated `partial_json` of a stream) or the object itself (a Messages `tool_use.input`).
 */
export function argumentsProblem(request: Record<string, unknown>, api: ToolApi, name: unknown, args: unknown): string | undefined {
  let value = args;
  if (typeof args === 'string') {
    // A Messages tool with no parameters may stream no partial_json at all: the input is {}.
    const parsed = api === 'messages' && args === '' ? { ok: true as const, value: {} } : parseJsonText(args);
    if (!parsed.ok) return `arguments ${JSON.stringify(args.slice(0, 80))} do not parse as JSON: ${parsed.error}`;
    value = parsed.value;
  } else if (api !== 'messages') {
    return `arguments is ${args === null ? 'null' : typeof args}, not a JSON string`;
  }
  if (api === 'messages' && !isRecord(value)) return `input is ${JSON.stringify(value)?.slice(0, 80)}, not an object`;
  const schema = typeof name === 'string' ? declaredSchema(request, api, name) : undefined;
  if (schema === undefined) return `called ${JSON.stringify(name)}, which was not declared`;
  const problems = schemaProblems(schema, value);
  return problems.length ? `arguments do not fit the schema: ${problems.join('; ')}` : undefined;
}
