/**
 * A `--models` id that is a catalog id with other letter case or separators (`xai.grok-4-3` for `xai.grok-4.3`) ran
 * with no expectations, so a run against an endpoint that fails the catalog model read "gate: pass" (review of
 * 2026-12-06). It is refused before anything is sent, in live and replay alike; an id an endpoint lists, one named
 * as other servers name models (`Org/model`), one a letter apart, and one a catalog of one's own holds still run.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { refuseRespeltModels } from '../src/cli/respelt-models.ts';
import { cli, ROOT } from './helpers/harness.ts';

const CATALOG = join(ROOT, 'suites/models.yaml');
let dir: string;
let url: string;
let requests = 0;
/** Lists `xai.grok-4-3` and answers every chat completion: what an endpoint that spells the model so would do. */
const server = createServer((req, res) => {
  requests += 1;
  if (req.url?.endsWith('/models')) return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'xai.grok-4-3', object: 'model' }] }));
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model: 'xai.grok-4-3', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'respelt-ids-'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.close();
  await rm(dir, { recursive: true, force: true });
});

const FIX = 'give --models xai.grok-4.3; to probe an id the catalog does not have that only resembles one, add it to a catalog of your own (--catalog)';

describe('a --models id that respells a catalog id', () => {
  it('live: exit 2 naming the flag, the id, the catalog id and the fix, and nothing is sent', async () => {
    const before = requests;
    const reports = join(dir, 'live');
    const run = await cli(['run', '--mode', 'live', '--endpoint', url, '--auth', 'none', '--models', 'xai.grok-4-3', '--report-dir', reports, '--plain'], { GITHUB_STEP_SUMMARY: join(dir, 'summary.md') });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('HARNESS_USAGE: --models: "xai.grok-4-3" is not in the catalog; it is the catalog\'s "xai.grok-4.3" with other letter case or separators');
    expect(run.stderr).toContain(FIX);
    expect(requests - before).toBe(0);
    expect(run.stdout).not.toContain('gate: pass');
    await expect(readdir(reports)).rejects.toThrow();
    await expect(readFile(join(dir, 'summary.md'), 'utf8')).rejects.toThrow();
  });

  it('replay: the same rule, for case too, and with listed beside it', async () => {
    for (const models of ['XAI.GROK-4.3', 'listed,xai.grok-4-3', 'openai.gpt-oss-20b,xai_grok_4_3']) {
      const run = await cli(['run', '--models', models, '--report-dir', join(dir, 'replay'), '--quiet']);
      expect(run.code, `${models}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toMatch(/^HARNESS_USAGE: --models: "(XAI\.GROK-4\.3|xai\.grok-4-3|xai_grok_4_3)" is not in the catalog; it is the catalog's "xai\.grok-4\.3"/);
      expect(run.stderr).toContain(FIX);
    }
  });

  it('an id the endpoint lists is its own spelling: --models listed runs it', async () => {
    const run = await cli(['run', '--mode', 'live', '--endpoint', url, '--auth', 'none', '--models', 'listed', '--checks', 'api.chat-completions', '--report-dir', join(dir, 'listed'), '--plain']);
    expect(run.code, run.stderr).toBe(0);
    const matrix = JSON.parse(await readFile(join(dir, 'listed', 'matrix.json'), 'utf8')) as { models: { id: string }[] };
    expect(matrix.models.map((m) => m.id)).toEqual(['xai.grok-4-3']);
  });

  it('namespaced ids (other servers\' names), ids a letter or digit apart, and catalog ids are not refused', async () => {
    await expect(refuseRespeltModels(['Qwen/Qwen3-32B', 'openai/gpt-oss-20b', 'openai.gpt-oss-20x', 'xai.grok-4.33', 'xai.grok-4.3', 'acme.new-model'], CATALOG)).resolves.toBeUndefined();
    await expect(refuseRespeltModels(['deepseek-v3.1'], CATALOG)).rejects.toMatchObject({ code: 'HARNESS_USAGE', message: expect.stringContaining('"deepseek.v3.1"') });
  });

  it('a catalog of one\'s own that holds the id takes it (the fix the message gives)', async () => {
    const catalog = parse(await readFile(CATALOG, 'utf8')) as { models: { id: string }[] };
    const own = join(dir, 'own.yaml');
    await writeFile(own, stringify({ ...catalog, models: [...catalog.models, { ...catalog.models.find((m) => m.id === 'xai.grok-4.3')!, id: 'xai.grok-4-3' }] }));
    await expect(refuseRespeltModels(['xai.grok-4-3'], own)).resolves.toBeUndefined();
  });
});
