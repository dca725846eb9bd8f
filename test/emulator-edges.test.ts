/**
 * The emulator command at its edges (a hostile review): a body too large is a 413 with an OpenAI error and its log
 * line, not a reset; a client that gives up mid-body is logged; a JSON array body is "must be a JSON object"; on
 * runtime a profile id's log line names the quirks its model was served with; an empty --api-key-env variable says
 * empty; list quirks take real anthropic-version dates and dotted strict fields, and still refuse anything else.
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startEmulatorFromFlags } from '../src/cli/emulator-command.ts';
import { profilesFromCatalog } from '../src/emulator/profile-from-catalog.ts';
import { parseQuirks } from '../src/emulator/quirks.ts';
import { ROOT, cli, projectSuites } from './helpers/harness.ts';
import { usageError } from './helpers/usage-error.ts';

const CATALOG = `${ROOT}/suites/models.yaml`;
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

async function withEmulator(flags: { quirk?: string[]; surface?: 'mantle' | 'runtime' }, use: (url: string) => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const emulator = await startEmulatorFromFlags({ catalog: CATALOG, port: '0', ...flags }, (line) => lines.push(line));
  try {
    await use(emulator.url);
    await settle();
  } finally {
    await emulator.close();
  }
  return lines;
}

describe('request bodies', () => {
  it('a body over 10 MiB is a 413 with an OpenAI error body, and logged', async () => {
    let status = 0;
    let body: unknown;
    const lines = await withEmulator({}, async (url) => {
      const res = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'a'.repeat(11 * 1024 * 1024) });
      status = res.status;
      body = await res.json();
    });
    expect(status).toBe(413);
    expect(body).toEqual({ error: { code: 'request_too_large', message: 'Request body is larger than 10 MiB', param: null, type: 'invalid_request_error' } });
    expect(lines).toEqual([expect.stringMatching(/ POST \/v1\/chat\/completions - -> 413 \(\d+ ms\)$/)]);
  });

  it('a body that goes on past twice the limit is cut off: nobody is kept reading a body without end', async () => {
    let sent = 0;
    const lines = await withEmulator({}, async (url) => {
      await new Promise<void>((done) => {
        const req = request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } });
        req.on('error', () => done());
        req.on('response', (res) => (res.resume(), done()));
        const chunk = Buffer.alloc(1024 * 1024, 0x61);
        const pump = () => {
          // 64 MiB at most: a server that reads without end would take all of it.
          while (sent < 64 * 1024 * 1024 && !req.destroyed) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          req.end();
        };
        pump();
      });
    });
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    // Cut off while it sends: the 413 may or may not reach it first; the line is there either way.
    expect(lines).toEqual([expect.stringMatching(/ POST \/v1\/chat\/completions - -> (413|closed before an answer) \(\d+ ms\)$/)]);
  });

  it('a client that gives up mid-body is logged as closed before an answer', async () => {
    const lines = await withEmulator({}, async (url) => {
      const req = request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '1000' } });
      req.on('error', () => undefined);
      req.write('{"model":"xai.grok-4.3",');
      await settle();
      req.destroy();
    });
    expect(lines).toEqual([expect.stringMatching(/ POST \/v1\/chat\/completions - -> closed before an answer \(\d+ ms\)$/)]);
  });

  it('valid JSON that is not an object is "must be a JSON object"; broken JSON stays "not valid JSON"', async () => {
    const answers: unknown[] = [];
    await withEmulator({}, async (url) => {
      for (const text of ['[{"model":"xai.grok-4.3"}]', '"hi"', '{"model":']) {
        const res = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
        answers.push([res.status, ((await res.json()) as { error: { message: string } }).error.message]);
      }
    });
    expect(answers).toEqual([
      [400, 'Request body must be a JSON object'],
      [400, 'Request body must be a JSON object'],
      [400, 'Request body is not valid JSON'],
    ]);
  });

  // Hostile review of the emulator, 2026-12-05: these were 500 emulator_error "TypeError: Cannot read properties of
  // null (reading 'type')". A content part that is no object is Anthropic's 400 naming it, as Mantle answers
  // (body-types.ts), in the Messages envelope; the emulator's own 500 is left for its bugs.
  it('a content part of the wrong type is a 400 naming it, streamed or not', async () => {
    const answers: [number, string, string][] = [];
    await withEmulator({}, async (url) => {
      for (const stream of [false, true]) {
        const body = { model: 'anthropic.claude-opus-4-7', max_tokens: 16, stream, messages: [{ role: 'user', content: [null] }] };
        const res = await fetch(`${url}/anthropic/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify(body) });
        const error = ((await res.json()) as { error: { message: string; type: string } }).error;
        answers.push([res.status, error.type, error.message]);
      }
    });
    for (const answer of answers) expect(answer).toEqual([400, 'invalid_request_error', 'messages.0.content.0: Input should be a valid dictionary']);
  });
});

describe('the log line', () => {
  it('on --surface runtime, a profile id (us.xai.grok-4.3) is logged with the quirks its model was served with', async () => {
    let created = '';
    const lines = await withEmulator({ surface: 'runtime', quirk: ['xai.grok-4.3:createdAt.chat=exponent'] }, async (url) => {
      const res = await fetch(`${url}/openai/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'us.xai.grok-4.3', messages: [{ role: 'user', content: 'hi' }] }) });
      created = /"created":([^,]+)/.exec(await res.text())?.[1] ?? '';
    });
    expect(created).toMatch(/e\+09$/);
    expect(lines).toEqual([expect.stringMatching(/ us\.xai\.grok-4\.3 -> 200 \(\d+ ms\) quirks: createdAt\.chat=exponent$/)]);
  });
});

describe('--api-key-env', () => {
  it('a variable that is set but empty says so, not "not set"', async () => {
    const empty = await cli(['emulator', '--port', '0', '--api-key-env', 'FIXEMU_EMPTY_KEY'], { FIXEMU_EMPTY_KEY: '' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('HARNESS_USAGE: --api-key-env: FIXEMU_EMPTY_KEY is set but empty');
    const unset = await cli(['emulator', '--port', '0', '--api-key-env', 'FIXEMU_UNSET_KEY']);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('FIXEMU_UNSET_KEY is not set');
  });
});

describe('list quirks take their own kind of item', () => {



  it('behaviors.anthropicVersions takes dates, as a list or JSON; strictFields takes dotted fields', async () => {
    const known = profilesFromCatalog((await projectSuites()).catalog);
    const parsed = parseQuirks(
      ['anthropic.claude-sonnet-5-5:behaviors.anthropicVersions=2023-06-01,2023-01-01', 'openai.gpt-oss-20b:behaviors.strictFields.responses=text.verbosity,metadata'],
      known,
    );
    expect(parsed.overrides['anthropic.claude-sonnet-5-5']).toEqual({ behaviors: { anthropicVersions: ['2023-06-01', '2023-01-01'] } });
    expect(parsed.overrides['openai.gpt-oss-20b']).toEqual({ behaviors: { strictFields: { responses: ['text.verbosity', 'metadata'] } } });
    const json = parseQuirks(['anthropic.claude-sonnet-5-5:behaviors.anthropicVersions=["2023-06-01"]'], known);
    expect(json.overrides['anthropic.claude-sonnet-5-5']).toEqual({ behaviors: { anthropicVersions: ['2023-06-01'] } });
  });

  it('anything else is still refused, saying what an item must be', async () => {
    const known = profilesFromCatalog((await projectSuites()).catalog);
    for (const version of ['top_p', '2023-6-1', '2023-06-01\u001b[31m', '2023-06-01; rm -rf /', '../2023-06-01']) {
      expect(usageError(() => parseQuirks([`anthropic.claude-sonnet-5-5:behaviors.anthropicVersions=${version}`], known)), version).toContain('is not an anthropic-version date (e.g. 2023-06-01)');
    }
    for (const field of ['text..verbosity', '.text', 'text.', 'Text.verbosity', 'text.__proto__', 'a.b.c.d.e.f.g.h.i', 'text verbosity']) {
      expect(usageError(() => parseQuirks([`openai.gpt-oss-20b:behaviors.strictFields.responses=${field}`], known)), field).toContain('is not a request field, dotted when nested (e.g. text.verbosity)');
    }
    expect(usageError(() => parseQuirks(['openai.gpt-oss-20b:behaviors.rejectedParams=text.verbosity'], known))).toContain('is not a request parameter name (e.g. top_p)');
  });
});
