/**
 * The emulator under requests built to break it (rve review, findings 2, 4, 5, 6): `n` and `top_logprobs` beyond
 * OpenAI's bounds, and fields of a wrong type, are 400s naming the field (never a 500, never an answer built without
 * end); a schema of nested arrays makes a small example, not one that doubles at every level; `--host ""` is refused
 * and an every-interface banner says what that exposes; one quirk switch given twice is refused; a key no client can
 * send is refused the way `run` refuses it, without showing it.
 */
import { describe, expect, it } from 'vitest';
import { emulatorBanner, startEmulatorFromFlags } from '../src/cli/emulator-command.ts';
import { profilesFromCatalog } from '../src/emulator/profile-from-catalog.ts';
import { parseQuirks } from '../src/emulator/quirks.ts';
import { cli, projectSuites, ROOT, scratchReportDir } from './helpers/harness.ts';
import { usageError } from './helpers/usage-error.ts';

const CATALOG = `${ROOT}/suites/models.yaml`;

async function withEmulator(use: (post: (path: string, body: unknown) => Promise<{ status: number; text: string }>) => Promise<void>): Promise<void> {
  const emulator = await startEmulatorFromFlags({ catalog: CATALOG, port: '0' });
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${emulator.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify(body) });
    return { status: res.status, text: await res.text() };
  };
  try {
    await use(post);
  } finally {
    await emulator.close();
  }
}

const errorOf = (text: string) => (JSON.parse(text) as { error: { code?: string; message: string; param?: string | null; type: string } }).error;
const chat = (more: Record<string, unknown>) => ({ model: 'openai.gpt-5.6-sol', messages: [{ role: 'user', content: 'hi' }], ...more });

describe('counts the answer is built from stay within OpenAI\'s bounds', () => {
  it('n above 128, below 1 or not an integer is a 400 naming n, at once (3000000 used to exhaust the heap)', async () => {
    await withEmulator(async (post) => {
      // Small values first: without the bound, the test fails on them rather than exhausting its own heap.
      for (const n of [129, 0, -1, 1.5, '2', 1e308]) {
        const answer = await post('/openai/v1/chat/completions', chat({ n }));
        expect([answer.status, errorOf(answer.text).param], String(n)).toEqual([400, 'n']);
      }
      const started = performance.now();
      const huge = await post('/openai/v1/chat/completions', chat({ n: 3_000_000 }));
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(huge.status).toBe(400);
      expect(errorOf(huge.text)).toEqual({ code: 'integer_above_max_value', message: "Invalid 'n': integer above maximum value. Expected a value <= 128, but got 3000000 instead.", param: 'n', type: 'invalid_request_error' });
      const top = await post('/openai/v1/chat/completions', chat({ logprobs: true, top_logprobs: 1_000_000 }));
      expect([top.status, errorOf(top.text).param, errorOf(top.text).code]).toEqual([400, 'top_logprobs', 'integer_above_max_value']);
    });
  });

  it('n and top_logprobs within the bounds are still served (conforming requests answer as before)', async () => {
    await withEmulator(async (post) => {
      const answer = await post('/openai/v1/chat/completions', { ...chat({ n: 128 }), model: 'xai.grok-4.3' });
      expect(answer.status).toBe(200);
      expect((JSON.parse(answer.text) as { choices: unknown[] }).choices).toHaveLength(128);
      const top = await post('/openai/v1/chat/completions', { ...chat({ logprobs: true, top_logprobs: 20 }), model: 'xai.grok-4.3' });
      expect(top.status).toBe(200);
    });
  });

  it('a schema of arrays nested 40 deep makes a small example, not 2^40 values', async () => {
    await withEmulator(async (post) => {
      // 14 levels first: without the bound, 2^14 values fail the test before 40 levels exhaust its heap.
      for (const depth of [14, 40]) {
        let schema: unknown = { type: 'string' };
        for (let i = 0; i < depth; i++) schema = { type: 'array', items: schema };
        const format = { type: 'json_schema', json_schema: { name: 'deep', schema: { type: 'object', properties: { a: schema } } } };
        const answer = await post('/openai/v1/chat/completions', { ...chat({ response_format: format }), model: 'xai.grok-4.3' });
        expect(answer.status).toBe(200);
        expect(answer.text.length, `${depth} levels`).toBeLessThan(100_000);
      }
      // Shallow arrays keep their two items: what the bundled recordings were made with.
      const shallow = await post('/openai/v1/chat/completions', { ...chat({ response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object', properties: { cities: { type: 'array', items: { type: 'string' } } } } } } }), model: 'xai.grok-4.3' });
      expect(JSON.parse((JSON.parse(shallow.text) as { choices: { message: { content: string } }[] }).choices[0]!.message.content)).toEqual({ cities: ['example cities', 'example cities'] });
    });
  });
});

describe('a field of the wrong type is a 400 naming it, never a 500', () => {
  it('on Chat Completions, Responses and Messages', async () => {
    await withEmulator(async (post) => {
      const cases: [string, unknown, string][] = [
        ['/openai/v1/responses', { model: 'openai.gpt-5.6-sol', input: 'hi', tools: [null] }, 'tools[0]'],
        ['/openai/v1/responses', { model: 'openai.gpt-5.6-sol', input: 'hi', previous_response_id: 1 }, 'previous_response_id'],
        ['/openai/v1/responses', { model: 'openai.gpt-5.6-sol', input: 'hi', tool_choice: null }, 'tool_choice'],
        ['/openai/v1/responses', { model: 'openai.gpt-5.6-sol', input: [{ role: 'user', content: [1] }] }, 'input[0].content[0]'],
        ['/openai/v1/chat/completions', chat({ tool_choice: null }), 'tool_choice'],
        ['/openai/v1/chat/completions', chat({ tools: [{ type: 'function', function: 'f' }] }), 'tools[0].function'],
        ['/openai/v1/chat/completions', chat({ stop: [1] }), 'stop[0]'],
        ['/openai/v1/chat/completions', chat({ messages: [null] }), 'messages[0]'],
      ];
      for (const [path, body, param] of cases) {
        const answer = await post(path, body);
        expect([answer.status, errorOf(answer.text).param, errorOf(answer.text).code], param).toEqual([400, param, 'invalid_type']);
      }
      const typed = await post('/openai/v1/responses', { model: 'openai.gpt-5.6-sol', input: 'hi', previous_response_id: 1 });
      expect(errorOf(typed.text).message).toBe("Invalid type for 'previous_response_id': expected a string, but got an integer instead.");
      const messages = await post('/anthropic/v1/messages', { model: 'anthropic.claude-opus-4-7', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }], system: 5 });
      expect([messages.status, errorOf(messages.text).message]).toEqual([400, 'system: Input should be a valid string or a valid list']);
      const count = await post('/anthropic/v1/messages/count_tokens', { model: 'anthropic.claude-opus-4-7', messages: [{ role: 'user', content: [7] }] });
      expect([count.status, errorOf(count.text).message]).toEqual([400, 'messages.0.content.0: Input should be a valid dictionary']);
    });
  });

  it('null stays "left out" where OpenAI takes it, and right types are served', async () => {
    await withEmulator(async (post) => {
      expect((await post('/openai/v1/chat/completions', chat({ stop: null, max_completion_tokens: null, stream_options: null }))).status).toBe(200);
      expect((await post('/openai/v1/responses', { model: 'openai.gpt-5.6-sol', input: 'hi', instructions: null, metadata: null })).status).toBe(200);
    });
  });
});

describe('emulator flags', () => {
  it('--host "" or blank is refused, exit 2: Node would listen on every interface', async () => {
    for (const host of ['', '  ']) {
      const result = await cli(['emulator', '--port', '0', '--host', host]);
      expect(result.code, JSON.stringify(host)).toBe(2);
      expect(result.stderr).toContain('HARNESS_USAGE: --host: an empty host would listen on every interface; give the address to listen on, e.g. 127.0.0.1 (is the variable it came from set?)');
    }
  });

  it('a banner on every interface says the emulator is reachable from other machines, and accepts any key without --api-key-env', () => {
    for (const [url, address, family] of [['http://0.0.0.0:43201', '0.0.0.0', 'IPv4'], ['http://[::]:43201', '::', 'IPv6']]) {
      const listening = { url: url!, address: { address: address!, family: family!, port: 43201 } };
      expect(emulatorBanner(listening, {})).toContain('\nListening on every interface: reachable from other machines, and accepting any key (give --api-key-env NAME to require one).\nCtrl-C to stop.\n');
      expect(emulatorBanner(listening, { apiKeyEnv: 'EMU_KEY' })).toContain('\nListening on every interface: reachable from other machines.\nCtrl-C to stop.\n');
    }
    expect(emulatorBanner({ url: 'http://127.0.0.1:43201', address: { address: '127.0.0.1', family: 'IPv4', port: 43201 } }, {})).not.toContain('every interface');
  });

  it('one --quirk switch given twice is refused naming both, with a different value or the same', async () => {
    const known = profilesFromCatalog((await projectSuites()).catalog);
    const different = usageError(() => parseQuirks(['xai.grok-4.3:createdAt.chat=exponent', 'xai.grok-4.3:createdAt.chat=string'], known));
    expect(different).toBe('--quirk "xai.grok-4.3:createdAt.chat=string": xai.grok-4.3:createdAt.chat is given twice (also --quirk "xai.grok-4.3:createdAt.chat=exponent"); a switch takes one value: give it once');
    expect(usageError(() => parseQuirks(['xai.grok-4.3:createdAt.chat=string', 'xai.grok-4.3:createdAt.chat=string'], known))).toContain('is given twice');
    // Other switches, and the same switch of another model, are still taken together.
    const parsed = parseQuirks(['xai.grok-4.3:createdAt.chat=exponent', 'xai.grok-4.3:createdAt.responses=string', 'xai.grok-4.6:createdAt.chat=string'], known);
    expect(parsed.applied.get('xai.grok-4.3')).toEqual(['createdAt.chat=exponent', 'createdAt.responses=string']);
    const run = await cli(['emulator', '--port', '0', '--quirk', 'xai.grok-4.3:createdAt.chat=exponent', '--quirk', 'xai.grok-4.3:createdAt.chat=string']);
    expect(run.code).toBe(2);
  });

  it('--api-key-env holding a key no client can send is refused as run refuses it, without showing it', async () => {
    const cases: [string, string][] = [
      ['abc123xyz-key ', 'begins or ends with a blank, which HTTP drops, so no client can send it'],
      ['\tabc123xyz-key', 'begins or ends with a blank, which HTTP drops, so no client can send it'],
      ['abc123xyz-key\n', 'holds a line break'],
      ['abc123\nxyz-key', 'holds a line break'],
      ['abc123\u0007xyz-key', 'holds a control character'],
      ['kéy€-abc123xyz', 'holds a character a header cannot carry (only Latin-1 is allowed)'],
    ];
    for (const [value, problem] of cases) {
      const result = await cli(['emulator', '--port', '0', '--api-key-env', 'FXE2_EMU_KEY'], { FXE2_EMU_KEY: value });
      expect(result.code, JSON.stringify(value)).toBe(2);
      expect(result.stderr).toContain(`HARNESS_USAGE: --api-key-env FXE2_EMU_KEY: the value of FXE2_EMU_KEY ${problem} (not shown: it is a secret); set it to the API key alone. The emulator was not started.`);
      expect(result.stderr + result.stdout).not.toContain('abc123');
    }
    // run's own refusal of the same value, word for word up to what happened.
    const run = await cli(['run', '--mode', 'live', '--endpoint', 'http://127.0.0.1:43202', '--surface', 'mantle', '--api-key-env', 'FXE2_EMU_KEY', '--checks', 'api.chat-completions', '--report-dir', await scratchReportDir(), 'xai.grok-4.3'], { FXE2_EMU_KEY: 'abc123\nxyz-key' });
    expect(run.stderr).toContain('--api-key-env FXE2_EMU_KEY: the value of FXE2_EMU_KEY holds a line break (not shown: it is a secret); set it to the API key alone. Nothing was sent.');
  });

  it('a key clients can send still starts the emulator, and requests carrying it are served', async () => {
    process.env.FXE2_EMU_GOOD_KEY = 'abc123xyz-good-key';
    try {
      const emulator = await startEmulatorFromFlags({ catalog: CATALOG, port: '0', apiKeyEnv: 'FXE2_EMU_GOOD_KEY' });
      try {
        const res = await fetch(`${emulator.url}/openai/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer abc123xyz-good-key' }, body: JSON.stringify({ ...chat({}), model: 'xai.grok-4.3' }) });
        expect(res.status).toBe(200);
      } finally {
        await emulator.close();
      }
    } finally {
      delete process.env.FXE2_EMU_GOOD_KEY;
    }
  });
});
