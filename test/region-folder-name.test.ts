/**
 * `--region` in replay given the folder name `ls fixtures` shows for an --endpoint recording (hostile review rvE,
 * finding 9): `127.0.0.1_5F41701` (folderName of target 127.0.0.1_41701) got only "not an AWS region name", while
 * the target id got the flag that replays it. Both get that hint now, naming the target by its id.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../src/cli/run-options.ts';
import { folderName } from '../src/names.ts';
import { ROOT, cli } from './helpers/harness.ts';

const ID = '127.0.0.1_41701';
let dir: string;
let fixtures: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'region-folder-'));
  fixtures = join(dir, 'fixtures');
  // What an --endpoint record run leaves: the target's folder by folderName, its provenance naming the surface.
  const model = join(fixtures, folderName(ID), 'openai.gpt-oss-20b');
  await mkdir(model, { recursive: true });
  await writeFile(join(model, 'api.chat-completions.json'), JSON.stringify({ provenance: { surface: 'custom', site: ID } }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const replay = (region: string) => cli(['run', '--fixtures', fixtures, '--region', region, '--report-dir', join(dir, 'never'), '--quiet'], {}, dir);

describe('--region in replay naming a recorded target', () => {
  it('by its folder name gets the hint the target id gets, with the id', async () => {
    expect(folderName(ID)).toBe('127.0.0.1_5F41701');
    const byFolder = await replay(folderName(ID));
    expect(byFolder.code, byFolder.stderr).toBe(2);
    expect(byFolder.stderr.trim()).toBe(
      `HARNESS_USAGE: --region: "${folderName(ID)}" is not an AWS region name like us-east-1; in replay --region picks recorded region folders only, and ${folderName(ID)} is the folder of recorded target ${ID}: replay it with --target-name ${ID}`,
    );
    const byId = await replay(ID);
    expect(byId.code).toBe(2);
    expect(byId.stderr).toContain(`and ${ID} is a recorded target: replay it with --target-name ${ID}`);
  });

  it('the hinted flag names the recorded target', async () => {
    const config = await resolveRunConfig({ fixtures, targetName: ID }, ROOT, '0.0.0');
    expect(config.targets.map((t) => [t.id, t.surface])).toEqual([[ID, 'custom']]);
  });

  it('a name neither a region, a target nor its folder keeps the plain refusal', async () => {
    const run = await replay('127.0.0.1_5F9');
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('HARNESS_USAGE: --region: "127.0.0.1_5F9" is not an AWS region name like us-east-1');
  });
});
