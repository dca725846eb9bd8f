/**
 * messages.thinking-default on a model that thinks adaptively (Claude Sonnet 5: the catalog allows `thinks` and
 * `no-thinking`, as the model may skip thinking on a trivial prompt): what was seen is reported as it is, a pass
 * either way, and over `--repeat` trials that disagree are a flaky that does not gate. A value the expectations file
 * states alone is held to: `thinks` fails on answers without thinking (the leniency is the catalog's list, not the
 * check's). In memory, and end to end through the CLI against two emulators (one thinking by default, one not)
 * behind a proxy that sends each request's repeats to the one that does not think.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCheck } from '../src/checks/registry.ts';
import { combineTrials } from '../src/checks/trials.ts';
import type { CaseOutcome, CheckResult, Expectation } from '../src/checks/types.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';
import { answeredWith, caseStep } from './helpers/suite-answers.ts';
import { message, streamOf, TEXT, THINKING } from './helpers/thinking-messages.ts';

const CHECK = 'messages.thinking-default';
const SONNET_5 = 'anthropic.claude-sonnet-5';
const THINKS: Expectation = { value: 'thinks', source: 'catalog: aws-ug/doc-history-2026-08-24' };
const REFERENCE: Expectation = { value: 'no-thinking', source: 'anthropic-reference: extended thinking is off unless the request sets thinking' };
const EITHER: Expectation = { value: ['no-thinking', 'thinks'], source: 'catalog: vercel-ai/amazon-bedrock-5.0.99' };

let whole: Awaited<ReturnType<typeof caseStep>>;
let streamed: Awaited<ReturnType<typeof caseStep>>;
beforeAll(async () => {
  whole = await caseStep('answer.messages');
  streamed = await caseStep('stream.messages');
});

const completed = (caseId: string, exchange: Exchange): CaseOutcome => ({ kind: 'completed', caseId, api: 'messages', exchanges: [exchange] });
/** One trial: the whole answer's blocks and the streamed answer's. */
const trial = (plain: unknown[], stream: readonly ('thinking' | 'text')[]): CaseOutcome[] => [
  completed('answer.messages', answeredWith(whole, { json: message(plain) })),
  completed('stream.messages', answeredWith(streamed, { sse: streamOf(stream.map((type) => ({ type }))) })),
];
const judge = (outcomes: CaseOutcome[], expectation: Expectation | null): CheckResult => getCheck(CHECK)!.run({ model: SONNET_5, expectation, outcomes }) as CheckResult;

describe('messages.thinking-default where the model thinks adaptively', () => {
  it('with the catalog\'s list, an answer without a thinking block is no-thinking, a pass; one with a block is thinks', () => {
    expect(judge(trial([TEXT], ['text']), EITHER)).toMatchObject({ status: 'pass', observed: 'no-thinking' });
    expect(judge(trial([TEXT], ['thinking', 'text']), EITHER)).toMatchObject({ status: 'pass', observed: 'thinks' });
  });

  it('over trials that disagree, a flaky cell the list allows', () => {
    const trials = [trial([THINKING, TEXT], ['thinking', 'text']), trial([TEXT], ['text']), trial([TEXT], ['text'])].map((outcomes) => judge(outcomes, EITHER));
    const cell = combineTrials(trials);
    expect(cell.status, cell.reason).toBe('flaky');
  });

  it('a value stated alone is held to: thinks fails on answers without thinking, whatever model', () => {
    expect(judge(trial([TEXT], ['text']), THINKS)).toMatchObject({ status: 'fail', observed: 'no-thinking' });
    expect(judge(trial([TEXT], ['thinking', 'text']), THINKS)).toMatchObject({ status: 'pass', observed: 'thinks' });
  });

  it('against the reference, no block is no-thinking and a block is thinks, the deviation', () => {
    expect(judge(trial([TEXT], ['text']), REFERENCE)).toMatchObject({ status: 'pass', observed: 'no-thinking' });
    expect(judge(trial([THINKING, TEXT], ['text']), REFERENCE)).toMatchObject({ status: 'fail', observed: 'thinks' });
    expect(judge(trial([TEXT], ['text']), null)).toMatchObject({ observed: 'no-thinking' });
  });
});

/**
 * A proxy on 127.0.0.1 port 0 that sends a request to `first` the first time its exact body is seen and to `again`
 * after: with --repeat, trial 1 goes to the model that thinks, the repeats to the one that does not.
 */
async function repeatsElsewhere(first: string, again: string): Promise<{ url: string; server: Server }> {
  const seen = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const key = `${req.method} ${req.url} ${body.toString('utf8')}`;
      const upstream = new URL(seen.has(key) ? again : first);
      seen.add(key);
      const up = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (got) => {
        res.writeHead(got.statusCode ?? 502, got.headers);
        got.pipe(res);
      });
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('messages.thinking-default over --repeat, through the CLI', () => {
  let thinking: RunningEmulator;
  let plain: RunningEmulator;
  let proxy: { url: string; server: Server };
  let dir: string;
  beforeAll(async () => {
    thinking = await catalogEmulator();
    plain = await catalogEmulator({ [SONNET_5]: { behaviors: { thinksByDefault: false } } });
    proxy = await repeatsElsewhere(thinking.url, plain.url);
    dir = await mkdtemp(join(tmpdir(), 'mantle-thinking-trials-'));
  });
  afterAll(async () => {
    await new Promise((resolve) => proxy.server.close(resolve));
    await thinking.close();
    await plain.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a Sonnet 5 that thinks in one trial of three: a flaky cell that does not gate, exit 0', async () => {
    const args = ['run', '--mode', 'live', '--endpoint', proxy.url, '--surface', 'mantle', '--auth', 'none', '--models', SONNET_5, '--checks', CHECK, '--repeat', '3', '--model-concurrency', '1', '--concurrency', '1', '--report-dir', dir, '--plain'];
    const run = await cli(args);
    const matrix = JSON.parse(await readFile(join(dir, 'matrix.json'), 'utf8')) as { results: { check: string; status: string; gating: boolean; reason: string }[] };
    const cell = matrix.results.find((r) => r.check === CHECK)!;
    expect([cell.status, cell.gating], cell.reason).toEqual(['flaky', false]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
  }, 60_000);
});
