/**
 * Two surfaces, one engine: targets from --targets and --surface, the surface checks both ways, the emulator's
 * runtime flavour, one run of both surfaces whose migration view finds exactly the differences the flavour is
 * configured with, the bundled two-surface recording, and the capability table's surface column.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTargets } from '../src/cli/target-options.ts';
import { FLAVOURS, RUNTIME_DIFFERENCES } from '../src/emulator/surface.ts';
import { buildCapabilityTable } from '../src/report/capability-table.ts';
import type { Matrix, MatrixResult } from '../src/report/matrix.ts';
import { buildMigration, migrationGroup, migrationMarkdown } from '../src/report/migration.ts';
import { siteOfId, surfaceOfHost } from '../src/surfaces.ts';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import { ROOT, catalogEmulator, checkModel, cli, liveTarget, projectSuites } from './helpers/harness.ts';
import { sharedBundledReplay } from './helpers/bundled-replay.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'surfaces-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('targets', () => {
  it('reads the surface from the host, and names a site\'s targets per surface', async () => {
    expect(surfaceOfHost('bedrock-mantle.us-east-1.api.aws')).toBe('mantle');
    expect(surfaceOfHost('bedrock-runtime.eu-west-1.amazonaws.com')).toBe('runtime');
    expect(surfaceOfHost('gateway.example.com')).toBe('custom');
    const targets = await resolveTargets('live', [], { targets: 'mantle:us-east-1,runtime:us-east-1,runtime:local=http://127.0.0.1:4011' }, dir);
    expect(targets.map((t) => [t.id, t.surface, t.site, t.baseUrl])).toEqual([
      ['us-east-1', 'mantle', 'us-east-1', 'https://bedrock-mantle.us-east-1.api.aws'],
      ['runtime.us-east-1', 'runtime', 'us-east-1', 'https://bedrock-runtime.us-east-1.amazonaws.com'],
      ['runtime.local', 'runtime', 'local', 'http://127.0.0.1:4011/'],
    ]);
    const [byFlag] = await resolveTargets('record', ['us-west-2'], { surface: 'runtime' }, dir);
    expect([byFlag!.id, byFlag!.baseUrl]).toEqual(['runtime.us-west-2', 'https://bedrock-runtime.us-west-2.amazonaws.com']);
    const [byHost] = await resolveTargets('live', [], { endpoint: 'https://bedrock-runtime.us-east-2.amazonaws.com' }, dir);
    expect(byHost!.surface).toBe('runtime');
    expect(siteOfId('runtime.emulator')).toEqual({ surface: 'runtime', site: 'emulator' });
  });

  it('refuses a bad --targets entry before anything is sent, naming the flag', async () => {
    for (const [spec, message] of [
      ['cloud:us-east-1', /"cloud" is not one of mantle, runtime, custom/],
      ['runtime:local', /"local" is not a region; give runtime:local=URL/],
      ['custom:us-east-1', /a custom target needs a base URL/],
      ['mantle:us-east-1,mantle:us-east-1', /given twice/],
      ['mantle:../x=http://127.0.0.1:1', /is not a target name/],
    ] as const) {
      await expect(resolveTargets('live', [], { targets: spec }, dir)).rejects.toThrow(message);
    }
    await expect(resolveTargets('live', ['us-east-1'], { targets: 'mantle:us-east-1', region: 'us-east-1' }, dir)).rejects.toThrow(/--targets: names every target itself; drop --region/);
  });
});

describe('replay keeps the surface a recording was made on', () => {
  const fixtures = join(ROOT, 'fixtures');
  it('refuses a recording played as the other surface, naming the recording and the fix', async () => {
    await expect(resolveTargets('replay', [], { targetName: 'emulator', surface: 'runtime' }, fixtures)).rejects.toThrow(/recordings of target emulator .* were made on mantle, not runtime; replay them as recorded \(drop --surface\)/);
    await expect(resolveTargets('replay', [], { targets: 'mantle:runtime.emulator' }, fixtures)).rejects.toThrow(/were made on runtime, not mantle; replay them as recorded \(--targets runtime:emulator\)/);
    // A target recorded on custom under its own name (--endpoint, --target-name locrec): `custom:locrec` would be
    // custom.locrec, another folder; the fix names the folder it is.
    const custom = await mkdtemp(join(tmpdir(), 'surfaces-custom-'));
    try {
      await mkdir(join(custom, 'locrec', 'xai.grok-4.3'), { recursive: true });
      const fixture = JSON.parse(await readFile(join(fixtures, 'emulator', 'xai.grok-4.3', 'probe.chat.json'), 'utf8')) as { provenance: Record<string, unknown> };
      fixture.provenance = { ...fixture.provenance, target: 'locrec', surface: 'custom', site: 'locrec' };
      await writeFile(join(custom, 'locrec', 'xai.grok-4.3', 'probe.chat.json'), JSON.stringify(fixture));
      await expect(resolveTargets('replay', [], { targets: 'mantle:locrec' }, custom)).rejects.toThrow(/were made on custom, not mantle; replay them as recorded \(--target-name locrec\)/);
    } finally {
      await rm(custom, { recursive: true, force: true });
    }
    const both = await resolveTargets('replay', [], { targets: 'mantle:emulator,runtime:emulator' }, fixtures);
    expect(both.map((t) => [t.id, t.surface])).toEqual([['emulator', 'mantle'], ['runtime.emulator', 'runtime']]);
  });

  it('--surface alone replays the recordings of that surface', async () => {
    const targets = await resolveTargets('replay', [], { surface: 'runtime' }, fixtures);
    expect(targets.map((t) => [t.id, t.surface, t.site])).toEqual([['runtime.emulator', 'runtime', 'emulator']]);
    await expect(resolveTargets('replay', [], { surface: 'custom' }, fixtures)).rejects.toThrow(/no recordings in .* were made on custom/);
  });

  it('compare --by surface of a run with one surface says which targets it saw and how to pair them, and exits 1: nothing was compared', async () => {
    const reports = join(dir, 'runtime-only');
    expect((await cli(['run', '--targets', 'runtime:emulator', '--models', 'qwen.qwen3-32b', '--checks', 'path-prefix', '--report-dir', reports, '--quiet'])).code).toBe(0);
    const compare = await cli(['compare', '--by', 'surface', join(reports, 'matrix.json')]);
    expect(compare.code).toBe(1);
    expect(compare.stdout).toContain('nothing to compare');
    expect(compare.stdout).toContain('Targets: runtime.emulator (runtime, site emulator). A pair is a mantle and a runtime target of one site');
  });
});

describe('surface checks, both ways', () => {
  const checks = ['responses.web-search', 'models.profile-id', 'headers.openai-project', 'responses.background'];

  it('Mantle: web_search runs (a web_search_call), profile ids not found (a 404 the model-not-found logic leaves to the check), an unknown project refused as unknown', async () => {
    const emulator = await catalogEmulator();
    try {
      const results = await checkModel(liveTarget(emulator.url), 'openai.gpt-oss-20b', { checks });
      expect(results.get('responses.web-search')).toMatchObject({ status: 'pass', observed: 'supported' });
      expect(results.get('responses.web-search')!.reason).toMatch(/1 web_search_call item\(s\) \(status "completed"\)/);
      expect(results.get('models.profile-id')).toMatchObject({ status: 'pass', observed: 'not-found' });
      expect(results.get('models.profile-id')!.reason).toContain('does not exist');
      expect(results.get('headers.openai-project')).toMatchObject({ status: 'pass', observed: 'honoured' });
      expect(results.get('responses.background')).toMatchObject({ status: 'pass', observed: 'completed' });
    } finally {
      await emulator.close();
    }
  });

  it('runtime: web_search rejected, profile ids served, the project ignored, background answered at once', async () => {
    const emulator = await catalogEmulator({}, { surface: FLAVOURS.runtime });
    try {
      const results = await checkModel(liveTarget(emulator.url), 'openai.gpt-oss-20b', { checks });
      // The plan here is Mantle's (no surface claims), so runtime's behaviour fails against the reference.
      expect(results.get('responses.web-search')).toMatchObject({ status: 'fail', observed: 'rejected' });
      expect(results.get('models.profile-id')).toMatchObject({ observed: 'served' });
      expect(results.get('headers.openai-project')).toMatchObject({ status: 'fail', observed: 'ignored' });
      expect(results.get('responses.background')).toMatchObject({ status: 'fail', observed: 'returned-completed' });
    } finally {
      await emulator.close();
    }
  });

  it('a surface that refuses the header says rejected, not honoured', async () => {
    const emulator = await catalogEmulator({}, { surface: { ...FLAVOURS.runtime, project: 'rejected' } });
    try {
      const results = await checkModel(liveTarget(emulator.url), 'openai.gpt-5.4', { checks: ['headers.openai-project'] });
      expect(results.get('headers.openai-project')).toMatchObject({ status: 'fail', observed: 'rejected' });
    } finally {
      await emulator.close();
    }
  });

  it('Claude has no OpenAI API to carry the project header: n/a, while its profile id is asked on Messages', async () => {
    const emulator = await catalogEmulator({}, { surface: FLAVOURS.runtime });
    try {
      const results = await checkModel(liveTarget(emulator.url), 'anthropic.claude-opus-4-7', { checks });
      expect(results.get('headers.openai-project')!.status).toBe('unsupported');
      expect(results.get('models.profile-id')).toMatchObject({ observed: 'served' });
    } finally {
      await emulator.close();
    }
  });
});

/**
 * What the runtime flavour should change for a model, from the Mantle side's own observations: the flavour's
 * switches, and the Mantle claims the catalog says state nothing on runtime (`surfaces.runtime.unstated`), which the
 * runtime emulator does not play (the check's reference value instead, e.g. gpt-oss-120b's integer created_at), but
 * for the one it plays anyway (the route prefix, which the runtime flavour replaces).
 */
async function expectedDifferences(matrix: Matrix, mantle: string): Promise<Set<string>> {
  const observed = (model: string, check: string) => matrix.results.find((r) => r.target === mantle && r.model === model && r.check === check)?.observed;
  const expected = new Set<string>();
  const { catalog } = await projectSuites();
  // Pinned here, not read from the emulator's own list: a check wrongly added there must fail this test.
  const played = new Set(['path-prefix']);
  const unstated = (catalog.surfaces.runtime?.unstated ?? []).map((u) => u.check).filter((check) => !played.has(check));
  for (const model of catalog.models) {
    for (const check of unstated) {
      const reference = ALL_CHECKS.find((c) => c.id === check)?.reference?.value;
      const seen = observed(model.id, check);
      if (model.expect.has(check) && seen != null && seen !== reference) expected.add(`${model.id} ${check} ${String(seen)} -> ${String(reference)}`);
    }
  }
  for (const { id: model } of matrix.models) {
    const responses = observed(model, 'api.responses') === 'supported';
    const openai = responses || observed(model, 'api.chat-completions') === 'supported';
    const served = openai || observed(model, 'api.messages') === 'supported';
    for (const [check, d] of Object.entries(RUNTIME_DIFFERENCES)) {
      const applies = { any: served, openai, responses, 'v1-models': openai && observed(model, 'path-prefix') === '/v1' }[d.applies];
      // A cell Mantle observed nothing on (web_search: the emulator's model never searches) is not compared.
      if (applies && observed(model, check) !== null && observed(model, check) !== d.runtime) expected.add(`${model} ${check} ${String(observed(model, check))} -> ${d.runtime}`);
    }
  }
  return expected;
}

const found = (matrix: Matrix) =>
  new Set(buildMigration(matrix).pairs.flatMap((p) => p.models.flatMap((m) => m.differences.map((d) => `${m.model} ${d.check} ${String(d.mantle.observed)} -> ${String(d.runtime.observed)}`))));

describe('one run of both surfaces', () => {
  it('live against the emulator on both surfaces: one matrix, and compare --by surface lists exactly the configured differences', async () => {
    const mantle = await catalogEmulator();
    const runtime = await catalogEmulator({}, { surface: FLAVOURS.runtime });
    try {
      const reports = join(dir, 'two-surfaces');
      const models = 'openai.gpt-oss-20b,openai.gpt-5.4,google.gemma-4-31b,anthropic.claude-opus-4-7,qwen.qwen3-32b';
      const run = await cli(['run', '--mode', 'live', '--auth', 'none', '--targets', `mantle:local=${mantle.url},runtime:local=${runtime.url}`, '--models', models, '--report-dir', reports, '--plain']);
      expect(run.code, run.stderr).toBe(0);
      const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
      expect(matrix.targets.map((t) => [t.id, t.surface, t.site])).toEqual([['local', 'mantle', 'local'], ['runtime.local', 'runtime', 'local']]);
      // runtime's OpenAI routes are /openai/v1 only: the model list and every OpenAI request went there.
      expect(runtime.stats.log.filter((l) => l.path.startsWith('/v1/') && (l.method !== 'GET' || !l.path.endsWith('/models')) && l.path !== '/v1/chat/completions' && l.path !== '/v1/responses')).toEqual([]);
      const expected = await expectedDifferences(matrix, 'local');
      expect(expected.size).toBeGreaterThan(10);
      expect(found(matrix)).toEqual(expected);
      const compare = await cli(['compare', '--by', 'surface', join(reports, 'matrix.json'), '--json']);
      expect(compare.code).toBe(0);
      const view = JSON.parse(compare.stdout) as ReturnType<typeof buildMigration>;
      expect(view.pairs.map((p) => [p.mantle, p.runtime, p.site])).toEqual([['local', 'runtime.local', 'local']]);
      expect(view.pairs[0]!.models.find((m) => m.model === 'openai.gpt-oss-20b')!.differences.map((d) => d.group)).toEqual(['route', 'route', 'parameters honoured', 'features', 'features']);
      const md = await readFile(join(reports, 'matrix.md'), 'utf8');
      expect(md).toContain('## Migration: Mantle to bedrock-runtime');
      expect(md).toMatch(/\| route \| `path-prefix` \| `\/v1` \| `\/openai\/v1` \|/);
      expect(await readFile(join(reports, 'matrix.html'), 'utf8')).toContain('<section id="migration">');
      // The gate: runtime's documented lacks are its expectations, so the differences do not fail it.
      expect(matrix.gate.verdict).toBe('pass');
      expect(matrix.results.find((r) => r.target === 'runtime.local' && r.model === 'openai.gpt-oss-20b' && r.check === 'responses.web-search')!.expectedSource).toMatch(/^catalog: runtime lacks server-side tools/);
    } finally {
      await Promise.all([mantle.close(), runtime.close()]);
    }
  });

  it('the bundled recording replays both surfaces; its migration view holds the configured differences and nothing else', async () => {
    const { reports, matrix, code, stderr } = await sharedBundledReplay();
    expect(code, stderr).toBe(0);
    expect(matrix.targets.map((t) => [t.id, t.surface, t.site])).toEqual([['emulator', 'mantle', 'emulator'], ['runtime.emulator', 'runtime', 'emulator']]);
    expect(found(matrix)).toEqual(await expectedDifferences(matrix, 'emulator'));
    const table = buildCapabilityTable([matrix]);
    expect(table.rows.filter((r) => r.model === 'openai.gpt-oss-20b').map((r) => [r.surface, r.cells['Route prefix']!.notes])).toEqual([['mantle', ['/v1']], ['runtime', ['/openai/v1']]]);
    const csv = await cli(['table', join(reports, 'matrix.json'), '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toMatch(/^model,family,surface,Route prefix,/);
  });

  it('a value that varies on a surface is not a difference; one that is stated once and changes is', () => {
    const cell = (target: string, check: string, observed: string, extra: Partial<MatrixResult> = {}): MatrixResult =>
      ({ target, model: 'm', check, status: 'pass', observed, expected: observed, expectedSource: 'catalog: x', gating: false, reason: '', evidence: [], ...extra }) as MatrixResult;
    const matrix = (results: MatrixResult[]) =>
      ({ run: { id: 'r' }, targets: [{ id: 'east', surface: 'mantle', site: 'east' }, { id: 'runtime.east', surface: 'runtime', site: 'east' }], models: [{ id: 'm' }], results }) as unknown as Matrix;
    const served = ['east', 'runtime.east'].map((t) => cell(t, 'api.chat-completions', 'supported'));
    const trial = (observed: string) => ({ status: 'pass' as const, observed, reason: '', evidence: [] });
    const [pair] = buildMigration(matrix([
      ...served,
      // Stated on both surfaces to alternate (gpt-oss's message.reasoning is sometimes absent): either value is no change.
      cell('east', 'reasoning.chat-field', 'message.reasoning', { expected: ['message.reasoning', 'none'] }),
      cell('runtime.east', 'reasoning.chat-field', 'none', { expected: ['message.reasoning', 'none'] }),
      // Trials saw both values on Mantle, and runtime's one value among them.
      cell('east', 'created-at.chat', 'integer', { status: 'flaky', expected: 'integer', trials: [trial('integer'), trial('integer'), trial('exponent')] }),
      cell('runtime.east', 'created-at.chat', 'exponent', { expected: 'exponent' }),
      // Stated once on each side and different: a change.
      cell('east', 'responses.background', 'completed'),
      cell('runtime.east', 'responses.background', 'returned-completed', { expected: ['returned-completed', 'rejected'] }),
    ])).pairs;
    expect(pair!.models.flatMap((m) => m.differences.map((d) => d.check))).toEqual(['responses.background']);
    expect([pair!.varies, pair!.same]).toEqual([2, 1]);
    expect(migrationMarkdown(buildMigration(matrix(served)))).toContain('0 cell(s) differ in 0 model(s); 1 compared the same; 0 vary on a surface');
  });

  it('groups checks by what an app would notice', () => {
    expect(['path-prefix', 'api.responses', 'params.stop', 'created-at.chat', 'stream.responses', 'tools.chat.forced-call'].map(migrationGroup)).toEqual([
      'route',
      'API availability',
      'parameters honoured',
      'typing',
      'streaming',
      'features',
    ]);
  });
});
