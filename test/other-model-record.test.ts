/**
 * A record run through a gateway that answers a catalog id with another catalog model (it rewrites the model id, or
 * falls back) keeps the earlier recordings of the requested model and says so in the gate; bless skips the cells such
 * a run answered in another catalog model's name, naming them. And a record run keeps a file at a case's path that is
 * not a fixture (someone's notes), as `fixtures prune` does, writes nothing for that case and makes that its error.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { rewritingGateway } from './helpers/rewriting-gateway.ts';
import { catalogEmulator, cli, ROOT } from './helpers/harness.ts';

const ASKED = 'openai.gpt-oss-20b';
const ANSWERING = 'openai.gpt-oss-120b';
/** Cases that read the model's answers (created-at.responses differs between the two models on the emulator). */
const CHECKS = 'created-at.*';


async function contents(folder: string): Promise<Map<string, string>> {
  const files = (await readdir(folder)).sort();
  return new Map(await Promise.all(files.map(async (f) => [f, await readFile(join(folder, f), 'utf8')] as [string, string])));
}

let dir: string;
let emulator: RunningEmulator;
let gateway: Awaited<ReturnType<typeof rewritingGateway>>;
let good: string;
const modelFolder = (fixtures: string) => join(fixtures, 'rec', ASKED);
const record = (endpoint: string, fixtures: string, reports: string, extra: string[] = []) =>
  cli(['run', '--mode', 'record', '--auth', 'none', '--surface', 'mantle', '--endpoint', endpoint, '--target-name', 'rec', '--models', ASKED, '--checks', CHECKS, '--fixtures', fixtures, '--report-dir', join(dir, reports), '--plain', ...extra]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-other-model-'));
  emulator = await catalogEmulator();
  gateway = await rewritingGateway(emulator.url, ASKED, ANSWERING);
  good = join(dir, 'good');
  const made = await record(emulator.url, good, 'r-good');
  expect(made.code, made.stdout + made.stderr).toBe(0);
});
afterAll(async () => {
  await gateway?.close();
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a record run answered by another catalog model', () => {
  it('keeps every recording of the requested model, and its gate says why', async () => {
    const fixtures = join(dir, 'sub');
    await cp(good, fixtures, { recursive: true });
    const before = await contents(modelFolder(fixtures));
    const run = await record(gateway.url, fixtures, 'r-sub');
    expect(run.code).toBe(1);
    expect(await contents(modelFolder(fixtures))).toEqual(before);
    const matrix = JSON.parse(await readFile(join(dir, 'r-sub', 'matrix.json'), 'utf8')) as { results: { check: string; status: string; reason: string }[]; gate: { problems: { kind: string; message: string }[] } };
    const cell = matrix.results.find((r) => r.check === 'created-at.responses')!;
    expect(cell.status).toBe('error');
    expect(cell.reason).toMatch(/^HARNESS_RECORDING_KEPT: .*another model answered: POST \/v1\/responses was answered HTTP 200 in the name of "openai\.gpt-oss-120b", another model of the catalog than "openai\.gpt-oss-20b"/);
    const kept = matrix.gate.problems.filter((p) => p.kind === 'recording-kept');
    expect(kept).toHaveLength(1);
    expect(kept[0]!.message).toMatch(/^\d+ error cell\(s\) \(HARNESS_RECORDING_KEPT\) kept their cases' previous recordings because another model of the catalog answered in the model's place/);
  });

  it('is blessed for none of its cells answered in another catalog model\'s name, and bless names them', async () => {
    const live = await cli(['run', '--mode', 'live', '--auth', 'none', '--surface', 'mantle', '--endpoint', gateway.url, '--target-name', 'rec', '--models', ASKED, '--checks', CHECKS, '--report-dir', join(dir, 'r-live'), '--plain']);
    // The other model's created_at is an exponent: the stated integer fails (what bless would have written over).
    expect(live.code).toBe(1);
    const file = join(dir, 'ex.yaml');
    await cp(join(ROOT, 'suites', 'expectations.yaml'), file);
    const text = await readFile(file, 'utf8');
    const bless = await cli(['bless', join(dir, 'r-live', 'matrix.json'), '--expectations', file]);
    expect(bless.code, bless.stderr).toBe(0);
    expect(bless.stdout).not.toContain('blessed 1');
    expect(bless.stdout).toMatch(/not blessed: \d+ cell\(s\) answered in the name of another model of the catalog or the run .*openai\.gpt-oss-20b created-at\.responses \(rec; answered as "openai\.gpt-oss-120b"\)/);
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});

describe('a record run over a file at a case\'s path that is not a fixture', () => {
  it('keeps the file, writes nothing for that case, and makes that the case\'s error naming it (the gate fails)', async () => {
    const fixtures = join(dir, 'own');
    await cp(good, fixtures, { recursive: true });
    const notes = join(modelFolder(fixtures), 'probe.responses.json');
    const mine = '{"my":"hand-written notes, not a fixture"}\n';
    await writeFile(notes, mine);
    const run = await record(emulator.url, fixtures, 'r-own');
    expect(await readFile(notes, 'utf8')).toBe(mine);
    expect(run.code).toBe(1);
    const matrix = JSON.parse(await readFile(join(dir, 'r-own', 'matrix.json'), 'utf8')) as { results: { reason: string }[] };
    expect(matrix.results.some((r) => r.reason.includes(`not a fixture this version can read: ${notes}`) && r.reason.includes('recorded nothing for case probe.responses'))).toBe(true);
  });
});
