/**
 * Replay's model list is the newest `models.list` recording of the target: it was the alphabetically first model's,
 * so a record run of a few models (whose lists are newer) was never read (hostile review of model lists, 2026-12-05).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, cli } from './helpers/harness.ts';

const [OLDER, NEWER] = ['anthropic.claude-haiku-4-5', 'zai.glm-5'];
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recorded-list-'));
  for (const model of [OLDER, NEWER]) await cp(join(ROOT, 'fixtures', 'emulator', model), join(dir, 'fixtures', 'emulator', model), { recursive: true });
  const file = join(dir, 'fixtures', 'emulator', NEWER, 'models.list.json');
  const fixture = JSON.parse(await readFile(file, 'utf8')) as { provenance: { recordedAt: string }; exchanges: { response: { json?: { data?: unknown[] } } }[] };
  fixture.provenance.recordedAt = '2099-01-01T00:00:00.000Z';
  for (const ex of fixture.exchanges) ex.response.json?.data?.push({ id: 'new.latest-model', object: 'model' });
  await writeFile(file, `${JSON.stringify(fixture, null, 2)}\n`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the recorded model list', () => {
  it('is the newest recording of the target, whichever model folder holds it', async () => {
    const diff = await cli(['catalog', 'diff', '--mode', 'replay', '--fixtures', join(dir, 'fixtures'), '--targets', 'mantle:emulator']);
    expect(diff.stdout).toContain('the recorded models.list (2099-01-01)');
    expect(diff.stdout).toMatch(/new \(listed, not in the catalog\): new\.latest-model/);
  });
});
