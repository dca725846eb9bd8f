/**
 * Where a record run writes when no --fixtures is given (hostile review of the README as a new user, finding 1): from
 * a project folder with no ./fixtures the recordings went into the package's own bundled fixtures (below
 * node_modules, lost at the next `npm ci`) and no line said where. Record writes ./fixtures, made when missing, and
 * says so once; replay still falls back to the bundled recordings.
 */
import { mkdir, mkdtemp, readdir, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { ROOT, catalogEmulator, cli } from './helpers/harness.ts';

const TARGET = 'record-root';
let dir: string;
let server: RunningEmulator;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'record-root-'));
  server = await catalogEmulator();
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
  // Without the fix the recordings land in the checkout's bundled fixtures: never left there.
  await rm(join(ROOT, 'fixtures', TARGET), { recursive: true, force: true });
});

const exists = (path: string) => stat(path).then(() => true, () => false);
const record = (cwd: string, extra: string[] = []) =>
  cli(['run', '--mode', 'record', '--endpoint', server.url, '--target-name', TARGET, '--auth', 'none', '--models', 'xai.grok-4.3', '--checks', 'api.chat-completions', '--report-dir', join(cwd, 'rep'), '--plain', ...extra], {}, cwd);

describe('a record run without --fixtures', () => {
  it('writes ./fixtures (made when missing), never the bundled fixtures, and says where once', async () => {
    const project = join(dir, 'project');
    await mkdir(project);
    const run = await record(project);
    expect(run.code, run.stderr).toBe(0);
    expect(await readdir(join(project, 'fixtures', TARGET, 'xai.grok-4.3'))).not.toEqual([]);
    expect(await exists(join(ROOT, 'fixtures', TARGET))).toBe(false);
    const said = `${run.stdout}${run.stderr}`.split('\n').filter((line) => line.startsWith('recordings: '));
    // Absolute: `npm run conformance` runs at the package root, so a relative path would read as the user's folder.
    expect(said).toEqual([`recordings: ${join(await realpath(project), 'fixtures', TARGET)}/`]);
  });

  it('--fixtures still names the root, and the line names it', async () => {
    const elsewhere = join(dir, 'elsewhere');
    const run = await record(dir, ['--fixtures', elsewhere]);
    expect(run.code, run.stderr).toBe(0);
    expect(await readdir(join(elsewhere, TARGET, 'xai.grok-4.3'))).not.toEqual([]);
    expect(run.stderr).toContain(`recordings: ${join(await realpath(dir), 'elsewhere', TARGET)}/`);
    expect(await exists(join(dir, 'fixtures'))).toBe(false);
  });

  it('a replay from a folder with no ./fixtures still reads the bundled recordings, and names no recordings', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    const run = await cli(['run', 'xai.grok-4.3', '--checks', 'api.chat-completions', '--report-dir', join(empty, 'rep'), '--plain'], {}, empty);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('recordings: ');
    expect(await exists(join(empty, 'fixtures'))).toBe(false);
  });
});
