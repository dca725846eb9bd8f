/**
 * A `--ui` session does only what it is asked: a UI re-run of some model files in a record run sends its requests but
 * records nothing (the fixtures stay the answers the reports judged, and the note says so), and a file changing
 * under vitest's watch mode re-runs nothing (no request sent again, the reports kept).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { catalogEmulator } from './helpers/harness.ts';
import { freePort, uiRerun, uiSession } from './helpers/vitest-ui.ts';

const MODELS = ['openai.gpt-oss-20b', 'xai.grok-4.3'];

/** Every file below `dir` with the hash of its bytes. */
async function hashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out[join(entry.parentPath, entry.name)] = createHash('sha256').update(await readFile(join(entry.parentPath, entry.name))).digest('hex');
  }
  return out;
}

/** The session's generated model file for `model` under `dir` (its TMPDIR). */
async function specFile(dir: string, model: string): Promise<string> {
  const specs = (await readdir(dir)).find((name) => name.startsWith('mantle-conformance-specs-'))!;
  const target = (await readdir(join(dir, specs), { withFileTypes: true })).find((e) => e.isDirectory())!.name;
  return join(dir, specs, target, `${model}.spec.ts`);
}

it('a UI re-run of some model files in a record run sends, records nothing, and says so', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mantle-ui-record-'));
  let sent = 0;
  const emulator = await catalogEmulator({}, { onRequest: () => void (sent += 1) });
  const port = await freePort();
  const [fixtures, reports] = [join(dir, 'fixtures'), join(dir, 'reports')];
  const args = ['--ui', '--mode', 'record', '--endpoint', emulator.url, '--surface', 'mantle', '--auth', 'none', '--models', MODELS.join(','), '--checks', 'created-at.*', '--fixtures', fixtures, '--plain', '--report-dir', reports];
  const s = uiSession([...args, '--', `--api.port=${port}`], { TMPDIR: dir });
  try {
    await s.said(/the UI stays open/);
    const [recorded, whole, before] = [await hashes(fixtures), await readFile(join(reports, 'matrix.json'), 'utf8'), sent];
    expect(Object.keys(recorded).length).toBeGreaterThan(0);
    await uiRerun(port, [await specFile(dir, MODELS[0]!)]);
    await s.said(/note: vitest re-ran 1 of 2 model file\(s\)/);
    expect(sent).toBeGreaterThan(before);
    expect(await hashes(fixtures)).toEqual(recorded);
    expect(s.output()).toContain('note: vitest re-ran 1 of 2 model file(s): shown in the UI only (sent, not recorded: the fixtures stay the ones the reports judged); the reports, the history and the gate keep the last whole run');
    expect(await readFile(join(reports, 'matrix.json'), 'utf8')).toBe(whole);
    s.child.kill('SIGINT');
    expect(await s.exited, s.output()).toBe(0);
  } finally {
    s.child.kill('SIGKILL');
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}, 150_000);

it('a model file changing while the UI session is open re-runs nothing: no request sent again, the reports kept', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mantle-ui-watch-'));
  let sent = 0;
  const emulator = await catalogEmulator({}, { onRequest: () => void (sent += 1) });
  const port = await freePort();
  const reports = join(dir, 'reports');
  const args = ['--ui', '--mode', 'live', '--endpoint', emulator.url, '--surface', 'mantle', '--auth', 'none', '--models', MODELS[1]!, '--checks', 'created-at.*', '--plain', '--report-dir', reports];
  const s = uiSession([...args, '--', `--api.port=${port}`], { TMPDIR: dir });
  try {
    await s.said(/the UI stays open/);
    const [whole, before] = [await readFile(join(reports, 'matrix.json'), 'utf8'), sent];
    const now = new Date();
    await utimes(await specFile(dir, MODELS[1]!), now, now);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(s.output().match(/^done:/gm)?.length, s.output()).toBe(1);
    expect(sent).toBe(before);
    expect(await readFile(join(reports, 'matrix.json'), 'utf8')).toBe(whole);
    s.child.kill('SIGINT');
    expect(await s.exited, s.output()).toBe(0);
  } finally {
    s.child.kill('SIGKILL');
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}, 150_000);
