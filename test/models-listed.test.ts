/**
 * Models discovered, not only catalogued: `--models catalog+listed` tests every id a target's model list returns;
 * an id the catalog lacks is tested with no stated expectations (its cells never gate) and marked new in every
 * report; catalogued ids not listed and ids the harness refuses are reported per target; `catalog diff` prints the
 * difference alone.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { profilesFromCatalog } from '../src/emulator/profile-from-catalog.ts';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { NEW_MODEL_NOTE } from '../src/report/model-lists.ts';
import { cli, projectSuites, ROOT } from './helpers/harness.ts';

const KEPT = ['openai.gpt-oss-20b', 'qwen.qwen3-32b'];
const NEW = 'acme.new-model-1';

let dir: string;
let catalogFile: string;
let emulator: RunningEmulator;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'listed-'));
  // A small catalog (two of the project's models) keeps the run short; the endpoint serves those and one more.
  const full = parse(await readFile(join(ROOT, 'suites/models.yaml'), 'utf8')) as { models: { id: string }[] };
  catalogFile = join(dir, 'models.yaml');
  await writeFile(catalogFile, stringify({ ...full, models: full.models.filter((m) => KEPT.includes(m.id)) }));
  const { catalog } = await projectSuites();
  const profiles = new Map([...profilesFromCatalog(catalog, { 'qwen.qwen3-32b': { behaviors: { listed: false } } })].filter(([id]) => KEPT.includes(id)));
  emulator = await startEmulator({ profiles });
  // A new model that deviates from the reference (an exponent created), and an id no folder may be named after.
  emulator.override(NEW, { createdAt: { chat: 'exponent' } });
  emulator.override('../../etc/passwd', {});
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('--models catalog+listed', () => {
  it('tests the listed id the catalog lacks with no stated expectations, marks it new in every report, and the gate does not fail on it', async () => {
    const reports = join(dir, 'reports');
    const run = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', emulator.url, '--catalog', catalogFile, '--models', 'catalog+listed', '--report-dir', reports, '--plain'], { GITHUB_STEP_SUMMARY: '' });
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    // The one cell that gates is the catalogued model the list left out (the reference says listed); none of the new model's.
    expect(matrix.gate.gating.map((g) => `${g.model} ${g.check}`)).toEqual(['qwen.qwen3-32b models.listed']);
    expect(run.code).toBe(1);
    expect(matrix.models.map((m) => [m.id, m.inCatalog, m.discovered ?? false])).toEqual([
      ['openai.gpt-oss-20b', true, false],
      ['qwen.qwen3-32b', true, false],
      [NEW, false, true],
    ]);
    const fresh = matrix.results.filter((r) => r.model === NEW);
    expect(fresh.length).toBeGreaterThan(50);
    expect(fresh.every((r) => r.expectedSource === null && !r.gating)).toBe(true);
    expect(fresh.find((r) => r.check === 'created-at.chat')).toMatchObject({ status: 'fail', observed: 'exponent', gating: false });
    const [target] = matrix.targets;
    expect(target!.modelList).toMatchObject({ listed: 2, new: [NEW], notListed: ['qwen.qwen3-32b'] });
    expect(target!.modelList!.refused).toEqual([{ id: '../../etc/passwd', problem: expect.stringContaining('is not a model id') }]);
    expect(matrix.results.some((r) => r.model.includes('passwd'))).toBe(false);
    // The catalogued model the list left out is still tested (catalog+listed), and said to be unlisted.
    expect(matrix.results.some((r) => r.model === 'qwen.qwen3-32b' && r.status === 'pass')).toBe(true);
    const md = await readFile(join(reports, 'matrix.md'), 'utf8');
    expect(md).toContain(`\`${NEW}\` (new model)`);
    expect(md).toContain(NEW_MODEL_NOTE);
    expect(md).toMatch(/in the catalog but not listed: qwen\.qwen3-32b/);
    expect(await readFile(join(reports, 'matrix.html'), 'utf8')).toContain(`${NEW} (new)`);
    expect(await readFile(join(reports, 'junit.xml'), 'utf8')).toContain(`<property name="note" value="${NEW_MODEL_NOTE}"/>`);
  });

  it('--models listed runs only what the list holds', async () => {
    const reports = join(dir, 'listed-only');
    const run = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', emulator.url, '--catalog', catalogFile, '--models', 'listed', '--report-dir', reports, '--quiet']);
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    expect(matrix.models.map((m) => m.id)).toEqual(['openai.gpt-oss-20b', NEW]);
    // The listed id no folder may be named after was not tested: the gate says so, and fails on it alone.
    expect(matrix.gate.problems.map((p) => p.kind)).toEqual(['unusable-listed-ids']);
    expect(run.code, run.stderr).toBe(1);
  });

  it('a target whose list names no usable model is exit 2 naming it, before anything else is sent', async () => {
    // An endpoint that lists nothing (or only ids the harness refuses) and answers nothing else.
    const lists = ['{"object":"list","data":[]}', '{"object":"list","data":[{"id":"../x"},{"id":7}]}'];
    const asked: string[] = [];
    const server = createServer((req, res) => {
      asked.push(`${req.method} ${req.url}`);
      const list = lists[Number(new URL(req.url ?? '/', 'http://x').pathname.startsWith('/refused'))]!;
      if (req.url?.endsWith('/models')) res.writeHead(200, { 'content-type': 'application/json' }).end(list);
      else res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"message":"down"}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const empty = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', url, '--catalog', catalogFile, '--models', 'listed', '--report-dir', join(dir, 'empty'), '--quiet']);
      expect(empty.code).toBe(2);
      expect(empty.stderr).toMatch(/--models listed: target 127\.0\.0\.1_\d+'s model list is empty \(GET \/v1\/models, GET \/openai\/v1\/models: no id listed\); name the models with --models <ids>, or drop listed/);
      const refused = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', `${url}/refused`, '--catalog', catalogFile, '--models', 'listed', '--report-dir', join(dir, 'refused'), '--quiet']);
      expect(refused.stderr).toContain("model list is empty (GET /v1/models, GET /openai/v1/models: 2 id(s) listed, none usable: ../x (");
      // One target of two listing nothing stops the run too: it would have no cell, and the gate nothing to say of it.
      const two = await cli(['run', '--mode', 'live', '--auth', 'none', '--targets', `custom:good=${emulator.url},custom:down=${url}`, '--catalog', catalogFile, '--models', 'listed', '--report-dir', join(dir, 'two'), '--quiet']);
      expect(two.code).toBe(2);
      expect(two.stderr).toContain("target custom.down's model list is empty");
      expect(asked.every((a) => a.endsWith('/models'))).toBe(true);
      // listed with ids named, or catalog+listed, still has models to run: an empty list only adds none.
      for (const models of ['listed,openai.gpt-oss-20b', 'catalog+listed']) {
        const named = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', url, '--catalog', catalogFile, '--models', models, '--checks', 'api.chat-completions', '--retries', '0', '--report-dir', join(dir, `named-${models.length}`), '--quiet']);
        expect(named.code, `${models}: ${named.stderr}`).not.toBe(2);
        expect(named.stderr).not.toContain('model list is empty');
      }
    } finally {
      server.close();
    }
  });

  it('refuses listed mixed with catalog+listed, before anything is sent', async () => {
    const run = await cli(['run', '--models', 'listed,catalog+listed', '--report-dir', join(tmpdir(), 'models-listed-mixed')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--models: give listed or catalog+listed, once');
  });
});

describe('catalog diff', () => {
  it('prints the listed-vs-catalogued difference alone and exits 1 when something new is listed', async () => {
    const before = emulator.stats.requests;
    const diff = await cli(['catalog', 'diff', '--endpoint', emulator.url, '--auth', 'none', '--catalog', catalogFile, '--json']);
    expect(diff.code, diff.stderr).toBe(1);
    const out = JSON.parse(diff.stdout) as { targets: { target: string; surface: string; new: string[]; notListed: string[] }[] };
    expect(out.targets).toEqual([expect.objectContaining({ surface: 'custom', new: [NEW], notListed: ['qwen.qwen3-32b'] })]);
    // Only the model lists were asked for: one GET per prefix, no inference.
    expect(emulator.stats.log.slice(before).map((l) => `${l.method} ${l.path}`)).toEqual(expect.arrayContaining(['GET /v1/models', 'GET /openai/v1/models']));
    expect(emulator.stats.requests - before).toBe(2);
    // The parent's --catalog (before diff) is the diff's, never dropped for the default one; --check is not the diff's.
    const parent = await cli(['catalog', '--catalog', catalogFile, 'diff', '--endpoint', emulator.url, '--auth', 'none', '--json']);
    expect(parent.code, parent.stderr).toBe(1);
    expect((JSON.parse(parent.stdout) as typeof out).targets[0]!.notListed).toEqual(['qwen.qwen3-32b']);
    const check = await cli(['catalog', '--check', 'diff', '--mode', 'replay']);
    expect([check.code, check.stderr]).toEqual([2, expect.stringContaining('run `catalog --check` and `catalog diff` one after the other')]);
    const text = await cli(['catalog', 'diff', '--mode', 'replay', '--target', 'runtime:emulator']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^runtime\.emulator \(runtime\): \d+ listed/);
  });

  it('a list it cannot read, or an empty one, is exit 2 in its own words: it has no --models to suggest', async () => {
    const server = createServer((req, res) => {
      if (req.url?.startsWith('/empty')) res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[]}');
      else res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"boom"}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const failing = await cli(['catalog', 'diff', '--endpoint', url, '--auth', 'none', '--catalog', catalogFile]);
      expect(failing.code).toBe(2);
      expect(failing.stderr).toMatch(/HARNESS_USAGE: catalog diff: target 127\.0\.0\.1_\d+ has no model list to read \(\/v1\/models: HTTP 500, \/openai\/v1\/models: HTTP 500\); check --endpoint \/ --region \/ --target, --auth and the credentials; an HTTP 5xx is the endpoint failing/);
      const empty = await cli(['catalog', 'diff', '--endpoint', `${url}/empty`, '--auth', 'none', '--catalog', catalogFile]);
      expect(empty.code).toBe(2);
      expect(empty.stderr).toMatch(/HARNESS_USAGE: catalog diff: target 127\.0\.0\.1_\d+'s model list is empty \(.*no id listed\); nothing to compare the catalog with; check --endpoint/);
      const unrecorded = await cli(['catalog', 'diff', '--mode', 'replay', '--fixtures', dir, '--target', 'runtime:emulator', '--catalog', catalogFile]);
      // A target with no recordings at all is refused before any list is looked for (cli/unrecorded-targets.ts).
      expect([unrecorded.code, unrecorded.stderr]).toEqual([2, expect.stringContaining('no recordings of target runtime.emulator')]);
      // It names the flag that was typed: --target, not the --targets it is passed on as.
      expect(unrecorded.stderr).toMatch(/^HARNESS_USAGE: --target: no recordings/m);
      for (const said of [failing, empty, unrecorded]) expect(said.stderr).not.toMatch(/--models|drop listed/);
    } finally {
      server.close();
    }
  });
});
