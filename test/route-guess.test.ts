/**
 * A suite with no probe cases sends each case on the catalog's prefix, a guess: a refusal there (the model moved to
 * another prefix) is an error naming the missing probe cases, never `unsupported` ("not served"), and gates.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_PROBE_FILES } from '../src/checks/route-guess.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { catalogEmulator, cli, projectSuites, ROOT } from './helpers/harness.ts';

const MODEL = 'openai.gpt-oss-20b';
const CHAT_CASE = `suite: mine
description: one chat case, no probe
cases:
  - id: content-array.chat
    title: A chat message whose content is an array of one text part
    api: chat-completions
    request:
      body:
        messages:
          - role: user
            content:
              - { type: text, text: Reply with the word OK. }
        max_tokens: 16
    checks: [content.array.chat]
`;

let dir: string;
let emulator: RunningEmulator;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'route-guess-'));
  // The model moved: served on /openai/v1 only, while the catalog documents /v1.
  emulator = await catalogEmulator({ [MODEL]: { prefixes: ['/openai/v1'] } });
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

async function runSuites(suites: string, name: string): Promise<{ code: number; stderr: string; cell: Matrix['results'][number] }> {
  const reports = join(dir, `reports-${name}`);
  const run = await cli(['run', '--suites', suites, '--catalog', `${ROOT}/suites/models.yaml`, '--mode', 'live', '--auth', 'none', '--endpoint', emulator.url, '--models', MODEL, '--checks', 'content.array.chat', '--report-dir', reports, '--quiet']);
  const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
  return { code: run.code, stderr: run.stderr, cell: matrix.results.find((r) => r.model === MODEL && r.check === 'content.array.chat')! };
}

describe('a route no probe found', () => {
  it('a refusal on the catalog\'s guessed prefix is an error naming the probe cases, and the gate fails', async () => {
    const suites = join(dir, 'no-probe');
    await mkdir(suites);
    await writeFile(join(suites, 'mine.suite.yaml'), CHAT_CASE);
    const { code, cell } = await runSuites(suites, 'no-probe');
    expect(cell.status).toBe('error');
    expect(cell.reason).toContain('no probe case for chat-completions');
    expect(cell.reason).toContain('routes.suite.yaml');
    expect(code).toBe(1);
  });

  it('with the probe cases beside it, the case goes to the prefix that serves the model (unchanged)', async () => {
    const suites = join(dir, 'with-probe');
    await mkdir(suites);
    await writeFile(join(suites, 'mine.suite.yaml'), CHAT_CASE);
    await copyFile(join(ROOT, 'suites', 'routes.suite.yaml'), join(suites, 'routes.suite.yaml'));
    const { cell } = await runSuites(suites, 'with-probe');
    expect(cell.status).toBe('pass');
  });

  it('a case of several steps cut short by a refusal on the guessed prefix is an error naming the guess, not skipped', async () => {
    const suites = join(dir, 'steps-no-probe');
    await mkdir(suites);
    await copyFile(join(ROOT, 'suites', 'responses.suite.yaml'), join(suites, 'responses.suite.yaml'));
    const reports = join(dir, 'reports-steps');
    await cli(['run', '--suites', suites, '--catalog', `${ROOT}/suites/models.yaml`, '--mode', 'live', '--auth', 'none', '--endpoint', emulator.url, '--models', MODEL, '--checks', 'responses.store-false,responses.retrieve', '--report-dir', reports, '--quiet']);
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    for (const check of ['responses.store-false', 'responses.retrieve']) {
      const cell = matrix.results.find((r) => r.model === MODEL && r.check === check)!;
      expect(`${check} ${cell.status}`, cell.reason).toBe(`${check} error`);
      expect(cell.reason).toContain('no probe case for responses');
    }
  });

  it('a prefix borrowed from another API\'s probe is a guess too: a refusal there names the missing Responses probe cases', async () => {
    // Chat only: the chat probe finds /v1, Responses has no probe of its own and borrows it, and is refused there.
    const chatOnly = await catalogEmulator({ [MODEL]: { apis: ['chat-completions'] } });
    try {
      const suites = join(dir, 'borrowed');
      await mkdir(suites);
      const { suites: loaded } = await projectSuites();
      const responsesProbes = new Set(loaded.cases.filter((c) => c.probe && c.api === 'responses').map((c) => c.id));
      expect(responsesProbes.size).toBeGreaterThan(0);
      const { parse, stringify } = await import('yaml');
      const routes = parse(await readFile(join(ROOT, 'suites', 'routes.suite.yaml'), 'utf8')) as { cases: { id: string }[] };
      await writeFile(join(suites, 'routes.suite.yaml'), stringify({ ...routes, cases: routes.cases.filter((c) => !responsesProbes.has(c.id)) }));
      await copyFile(join(ROOT, 'suites', 'responses.suite.yaml'), join(suites, 'responses.suite.yaml'));
      const reports = join(dir, 'reports-borrowed');
      await cli(['run', '--suites', suites, '--catalog', `${ROOT}/suites/models.yaml`, '--mode', 'live', '--auth', 'none', '--endpoint', chatOnly.url, '--models', MODEL, '--checks', 'responses.store-false', '--report-dir', reports, '--quiet']);
      const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
      const cell = matrix.results.find((r) => r.model === MODEL && r.check === 'responses.store-false')!;
      expect(cell.status, cell.reason).toBe('error');
      expect(cell.reason).toContain("the chat-completions probe's prefix /v1 was taken");
    } finally {
      await chatOnly.close();
    }
  });

  it('names the bundled file that really holds each API\'s probe cases', async () => {
    const { suites } = await projectSuites();
    for (const [api, file] of Object.entries(BUNDLED_PROBE_FILES)) {
      const probes = suites.cases.filter((c) => c.probe && c.api === api);
      expect(probes.length, api).toBeGreaterThan(0);
      expect(probes.every((c) => c.location.includes(`/${file}:`)), `${api}: ${probes.map((c) => c.location).join(', ')}`).toBe(true);
    }
  });
});
