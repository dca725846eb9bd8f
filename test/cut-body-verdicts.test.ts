/**
 * A 2xx labelled JSON whose body does not parse because it is malformed partway (damaged, its framing whole) is read
 * per check family: a check that reads only the status still judges it (content.array.chat: `accepted`), but one
 * where a rejection can hide inside the 200 (a Responses object with `status: "failed"`) cannot say `accepted` from a
 * body it cannot read: `error`, never a verdict. A body cut short (a strict prefix of JSON) never reaches the checks:
 * the transport says HARNESS_STREAM_CUT (f1-cut-json.test.ts).
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { startEmulatorProxy, type EmulatorProxy } from './helpers/emulator-proxy.ts';
import { ROOT, catalogEmulator, checkModel, cli, liveTarget } from './helpers/harness.ts';

const DAMAGED = '{"id":"resp_1","object":"response","status":"completed",,"output":[{"type":"message","content":[{"type":"output_text","text":"Hello"}]}]}';

let emulator: RunningEmulator;
let proxy: EmulatorProxy;
let url: string;

/** Passes every request to the emulator, but answers the cases under test with a 200 whose JSON is damaged. */
beforeAll(async () => {
  emulator = await catalogEmulator();
  proxy = await startEmulatorProxy(emulator.url, {
    intercept: (request, res) => {
      const body = request.body.toString('utf8');
      // The cases under test: array-form content, and a temperature other than the default.
      if (!/"type":"(input_)?text"|"temperature":/.test(body) || body.includes('"stream":true')) return false;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(DAMAGED);
      return true;
    },
  });
  url = proxy.url;
}, 60_000);
afterAll(async () => {
  await proxy.close();
  await emulator.close();
});

describe('a 200 whose JSON body is malformed partway', () => {
  it('is error for checks that read a rejection inside the 200, and still judged by its status where that is all a check reads', async () => {
    const results = await checkModel(liveTarget(url), 'openai.gpt-5.4', { checks: ['content.array.responses', 'params.temperature'] });
    const responses = results.get('content.array.responses')!;
    expect(responses.status, responses.reason).toBe('error');
    expect(responses.reason).toMatch(/could not observe: HTTP 200 with a body that is not a JSON object/);
    const temperature = results.get('params.temperature')!;
    expect(temperature.reason).toMatch(/responses: error: could not observe: HTTP 200 with a body that is not a JSON object, so a refusal inside it cannot be ruled out/);
    expect(temperature.observed).toBeNull();
    // gpt-5.4 serves no chat here: gpt-oss-20b does.
    const chat = (await checkModel(liveTarget(url), 'openai.gpt-oss-20b', { checks: ['content.array.chat'] })).get('content.array.chat')!;
    expect(chat.observed, chat.reason).toBe('accepted');
  }, 60_000);
});

describe('a streamed 200', () => {
  it('has no body object, and is still accepted: its events are the stream checks\' to read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cut-body-stream-'));
    try {
      for (const file of ['routes.suite.yaml', 'models.yaml']) await copyFile(join(ROOT, 'suites', file), join(dir, file));
      const streamed = 'suite: streamed\ncases:\n  - id: streamed.effort-low\n    title: effort low, streamed\n    api: responses\n    request: { body: { input: Reply with the word OK., max_output_tokens: 64, reasoning: { effort: low }, stream: true } }\n    checks: [reasoning.effort.low]\n';
      await writeFile(join(dir, 'streamed.suite.yaml'), streamed);
      const reports = join(dir, 'reports');
      const run = await cli(['run', '--mode', 'live', '--endpoint', emulator.url, '--auth', 'none', '--suites', dir, '--models', 'openai.gpt-oss-120b', '--checks', 'reasoning.effort.low', '--report-dir', reports, '--plain']);
      const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
      const cell = matrix.results.find((r) => r.check === 'reasoning.effort.low')!;
      expect([cell.status, cell.observed], `${cell.reason} ${run.stderr}`).toEqual(['pass', 'accepted']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
