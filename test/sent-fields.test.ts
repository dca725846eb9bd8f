/**
 * A case that passed `validate` but never sent the parameter under test made its check blame the endpoint (rv-bless
 * finding 4): params.max-completion-tokens without max_completion_tokens read "ignored" (`max_completion_tokens: NaN,
 * 13 output token(s)`), params.n without n "ignored" (`n: undefined, 1 choice(s)`), stream.chat with `stream: false`
 * made stream.chat-completions "nonconformant" and sdk.openai.chat-stream "mistyped", all gating. Now a check declares
 * what its case must send (`sends`): loading refuses a case without it (file:line:col and what to add), and the check,
 * given such a request anyway, is `error` naming the case, never a verdict on the endpoint.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS, getCheck } from '../src/checks/registry.ts';
import type { CaseOutcome, CheckInput } from '../src/checks/types.ts';
import { runOnObserved } from '../src/run/observed-steps.ts';
import { loadSuites, type LoadedCase } from '../src/suite/load-suites.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { cli, projectSuites, ROOT } from './helpers/harness.ts';

/** Every check that judges a field its case sends, or a stream it asks for. */
const COVERED = {
  'params.max-tokens': 'max_tokens',
  'params.max-completion-tokens': 'max_completion_tokens',
  'params.max-output-tokens': 'max_output_tokens',
  'params.stop': 'stop',
  'params.n': 'n',
  'params.logprobs': 'logprobs',
  'params.temperature': 'temperature',
  'params.top-p': 'top_p',
  'stream.chat-completions': 'stream',
  'stream.responses': 'stream',
  'stream.messages': 'stream',
  'sdk.openai.chat-stream': 'stream',
  'sdk.openai.responses-stream': 'stream',
  'sdk.anthropic.messages-stream': 'stream',
  'tools.chat.stream-call': 'stream',
  'tools.chat.stream-parallel': 'stream',
  'tools.responses.stream-call': 'stream',
  'tools.messages.stream-call': 'stream',
  'reasoning.chat-stream-field': 'stream',
  'reasoning.responses-stream-events': 'stream',
  'messages.thinking-stream': 'stream',
  'messages.thinking-disabled': 'thinking',
} as const;

let dir: string;
let server: Server;
/** The requests the local endpoint got, `METHOD path`. */
const requests: string[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-sent-fields-'));
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"object":"list","data":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

/** A copy of the bundled suites with `edits` made to the named files (each replacement must match once). */
async function editedSuites(name: string, edits: Record<string, [string, string][]>): Promise<string> {
  const folder = join(dir, name);
  await cp(join(ROOT, 'suites'), folder, { recursive: true });
  for (const [file, pairs] of Object.entries(edits)) {
    let text = await readFile(join(folder, file), 'utf8');
    for (const [from, to] of pairs) {
      expect(text.split(from).length, `${file}: ${from}`).toBe(2);
      text = text.replace(from, to);
    }
    await writeFile(join(folder, file), text);
  }
  return folder;
}

/** `file:line:col` of the `index`th occurrence of `needle` in `file` (columns from 1). */
async function at(file: string, needle: string, index = 0): Promise<string> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const found = lines.flatMap((line, i) => [...line.matchAll(new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g'))].map((m) => `${file}:${i + 1}:${m.index + 1}`));
  return found[index]!;
}

const REVIEWER_EDITS: Record<string, [string, string][]> = {
  'params.suite.yaml': [
    ['separated by spaces." }], max_completion_tokens: 1 }', 'separated by spaces." }] }'],
    ['max_tokens: 8, n: 2 }', 'max_tokens: 8 }'],
  ],
  'streaming.suite.yaml': [['        stream: true\n        stream_options: { include_usage: true }\n', '        stream: false\n']],
};

describe('loading refuses a case that does not send what its check judges', () => {
  it('the bundled suites load unchanged: every case sends what its checks judge', async () => {
    const { cases } = await loadSuites(join(ROOT, 'suites'), ALL_CHECKS);
    expect(cases.length).toBeGreaterThan(70);
    for (const id of Object.keys(COVERED)) expect(cases.some((c) => c.checks.includes(id)), id).toBe(true);
  });

  it('validate: the reviewer\'s three edits are refused with file:line:col and the line to add, exit 2', async () => {
    const folder = await editedSuites('reviewer', REVIEWER_EDITS);
    const params = join(folder, 'params.suite.yaml');
    const streaming = join(folder, 'streaming.suite.yaml');
    const result = await cli(['validate', '--suites', folder]);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain(`${await at(params, 'params.max-completion-tokens]')} check "params.max-completion-tokens" judges a request that sends max_completion_tokens (a number), and case "params.max-completion-tokens" sends no max_completion_tokens (step limited, its request at ${params}:`);
    expect(result.stderr).toContain('add max_completion_tokens: 1 to that request\'s body, or drop the check from this case');
    expect(result.stderr).toContain(`${await at(params, 'params.n]')} check "params.n" judges a request that sends n (a whole number of 2 or more), and case "params.n" sends no n (step main, its request at ${params}:`);
    expect(result.stderr).toContain('add n: 2 to that request\'s body');
    expect(result.stderr).toContain(`${await at(streaming, 'stream.chat-completions')} check "stream.chat-completions" judges a request that sends stream: true, and case "stream.chat" sends stream: false, not true (step main, its request at ${await at(streaming, 'false')})`);
    expect(result.stderr).toContain(`${await at(streaming, 'sdk.openai.chat-stream')} check "sdk.openai.chat-stream" judges a request that sends stream: true`);
    expect(result.stderr).toContain('set stream: true in that request\'s body');
    // params.stop and the untouched cases say nothing.
    expect(result.stderr).not.toContain('check "params.stop"');
  });

  it('run refuses the same suites before sending any case (the preflight look at the endpoint aside)', async () => {
    const folder = await editedSuites('reviewer-run', REVIEWER_EDITS);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const before = requests.length;
    const result = await cli(['run', '--mode', 'live', '--suites', folder, '--endpoint', url, '--surface', 'mantle', '--auth', 'none', '--models', 'xai.grok-4.3', '-t', 'params\\.(stop|n|max)', '--report-dir', join(dir, 'reports'), '--quiet']);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain('check "params.n" judges a request that sends n');
    // The preflight runs while the suites load (run-command.ts); no case request goes out.
    expect(requests.slice(before).filter((r) => r.startsWith('POST '))).toEqual([]);
  });

  it.each([
    ['n: 1, the default', 'params.suite.yaml', 'max_tokens: 8, n: 2 }', 'max_tokens: 8, n: 1 }', 'case "params.n" sends n: 1, not a whole number of 2 or more (step main', 'set n: 2 in'],
    ['logprobs: false', 'params.suite.yaml', 'logprobs: true, top_logprobs: 2', 'logprobs: false, top_logprobs: 2', 'case "params.logprobs" sends logprobs: false, not true', 'set logprobs: true in'],
    ['no stop on the stopped step', 'params.suite.yaml', 'max_tokens: 64, stop: ["7"] }', 'max_tokens: 64 }', 'case "params.stop" sends no stop (step stopped', 'add stop: ["7"] to'],
    ['a limit as text', 'params.suite.yaml', 'max_output_tokens: 16 } }', 'max_output_tokens: "lots" } }', 'case "params.max-output-tokens" sends max_output_tokens: "lots", not a number (step limited', 'set max_output_tokens: 16 in'],
  ])('%s is refused', async (name, file, from, to, says, fix) => {
    const folder = await editedSuites(name.replace(/\W+/g, '-'), { [file]: [[from, to]] });
    const error = (await loadSuites(folder, ALL_CHECKS).catch((e: unknown) => e)) as { code: string; message: string };
    expect(error.code).toBe('HARNESS_SUITE_INVALID');
    expect(error.message).toContain(says);
    expect(error.message).toContain(fix);
  });

  it('a stream check on a case of another suite without stream, and a sampling check without its value, are refused', async () => {
    const folder = join(dir, 'mine');
    await mkdir(folder, { recursive: true });
    await writeFile(
      join(folder, 'mine.suite.yaml'),
      `suite: mine
cases:
  - id: mine.tool-stream
    title: a forced call, not streamed
    api: chat-completions
    request: { body: { messages: [{ role: user, content: Call it. }], max_tokens: 64, tools: [{ type: function, function: { name: f, parameters: { type: object } } }], tool_choice: required } }
    checks: [tools.chat.stream-call]
  - id: mine.temperature
    title: no temperature
    api: responses
    request: { body: { input: Reply with the word OK., max_output_tokens: 16 } }
    checks: [params.temperature]
`,
    );
    const file = join(folder, 'mine.suite.yaml');
    const error = (await loadSuites(folder, ALL_CHECKS).catch((e: unknown) => e)) as { code: string; message: string };
    expect(error.code).toBe('HARNESS_SUITE_INVALID');
    expect(error.message).toContain(`${file}:7:14 check "tools.chat.stream-call" judges a request that sends stream: true, and case "mine.tool-stream" sends no stream (step main, its request at ${file}:6:22); add stream: true to that request's body`);
    expect(error.message).toContain(`${file}:12:14 check "params.temperature" judges a request that sends temperature (a number), and case "mine.temperature" sends no temperature (step main, its request at ${file}:11:22); add temperature: 0.2 to that request's body`);
  });
});

const PATHS = { 'chat-completions': '/v1/chat/completions', responses: '/v1/responses', messages: '/anthropic/v1/messages' } as Record<string, string>;
/** What an endpoint answers a request that asked for no stream: a whole body of the API, one short answer. */
const WHOLE = {
  'chat-completions': { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: '1 2 3 4 5 6 7 8 9 10 11 12 13' }, finish_reason: 'stop' }], usage: { prompt_tokens: 9, completion_tokens: 13, total_tokens: 22 } },
  responses: { id: 'r', object: 'response', created_at: 1, status: 'completed', model: 'm', output: [{ type: 'message', id: 'm', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: '1 2 3 4 5 6 7 8 9 10 11 12 13', annotations: [] }] }], usage: { input_tokens: 9, output_tokens: 40, total_tokens: 49 } },
  messages: { id: 'msg', type: 'message', role: 'assistant', model: 'm', content: [{ type: 'text', text: '1 2 3' }], stop_reason: 'end_turn', usage: { input_tokens: 9, output_tokens: 13 } },
} as Record<string, unknown>;

/** The bundled case's exchanges, each step answered with a whole body, `field` left out of every step's request. */
function exchangesOf(spec: LoadedCase, field: string | undefined): Exchange[] {
  return spec.steps.map((step) => {
    const body: Record<string, unknown> = { model: 'xai.grok-4.3', ...structuredClone(step.request.body ?? {}) };
    if (field) delete body[field];
    if (field === 'stream') delete body.stream_options;
    return {
      step: step.id,
      prefix: spec.api === 'messages' ? '/anthropic/v1' : '/v1',
      request: { method: 'POST', path: PATHS[spec.api]!, headers: {}, body: JSON.stringify(body) },
      response: { status: 200, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: JSON.stringify(WHOLE[spec.api]) }] },
      error: null,
      durationMs: 1,
      attempts: 1,
    } as unknown as Exchange;
  });
}

async function judged(id: string, field: string | undefined) {
  const { suites } = await projectSuites();
  const definition = getCheck(id)!;
  const outcomes: CaseOutcome[] = suites.cases.filter((c) => c.checks.includes(id)).map((spec) => ({ kind: 'completed', caseId: spec.id, api: spec.api, routed: true, exchanges: exchangesOf(spec, field) }));
  // The reference (else the first word) stated as the expectation: any other verdict would be a gating fail.
  const value = (definition.reference?.value ?? definition.vocabulary[0]) as string;
  const input: CheckInput = { model: 'xai.grok-4.3', expectation: { value, source: 'test' }, outcomes };
  return { direct: await definition.run(input), observed: await runOnObserved(definition, input) };
}

describe('a check given a request that did not send what it judges does not fail the endpoint', () => {
  it('the checks that declare what their case sends are exactly the covered ones', () => {
    const declared = Object.fromEntries(ALL_CHECKS.filter((c) => c.sends?.length).map((c) => [c.id, c.sends!.map((s) => s.field).join(',')]));
    expect(declared).toEqual(COVERED);
  });

  it('every bundled case that asks for a stream names only checks that require one', async () => {
    const { suites } = await projectSuites();
    const streamed = suites.cases.filter((c) => c.steps.at(-1)!.request.body?.stream === true);
    expect(streamed.length).toBeGreaterThan(8);
    // A check that also reads a case that does not stream (messages.thinking-default, tools.responses.call-id-scope
    // read an answer whole and streamed) judges either form: it needs no stream.
    const readsWhole = new Set(suites.cases.filter((c) => c.steps.at(-1)!.request.body?.stream !== true).flatMap((c) => c.checks));
    for (const spec of streamed) for (const id of spec.checks) if (!readsWhole.has(id)) expect(getCheck(id)!.sends?.map((s) => s.field), `${spec.id}: ${id}`).toContain('stream');
  });

  it.each(Object.entries(COVERED))('%s without %s: error naming the case, never a verdict', async (id, field) => {
    const { direct, observed } = await judged(id, field);
    for (const result of [direct, observed]) {
      expect(result.status, result.reason).toBe('error');
      expect(result.observed).toBeNull();
      expect(result.reason).toMatch(new RegExp(`^HARNESS_SUITE_INVALID: case \\S+ sends no ${field} \\(step \\S+\\), and ${id.replace(/\./g, '\\.')} judges a request that sends ${field}`));
      expect(result.reason).toContain('no verdict on the endpoint');
      expect(result.reason).not.toMatch(/NaN|undefined/);
      expect(result.evidence.length).toBe(1);
    }
  });

  it.each(Object.keys(COVERED))('%s with the bundled request is judged as before (the rule does not fire)', async (id) => {
    const { direct } = await judged(id, undefined);
    expect(direct.reason).not.toContain('HARNESS_SUITE_INVALID');
  });

  it('the reviewer\'s max_completion_tokens case: no "ignored" with NaN', async () => {
    const { observed } = await judged('params.max-completion-tokens', 'max_completion_tokens');
    expect(observed.reason).toContain('case params.max-completion-tokens sends no max_completion_tokens (step limited)');
    expect(observed.reason).toContain('add max_completion_tokens: 1 to the case\'s request');
  });
});
