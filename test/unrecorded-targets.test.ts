/**
 * A replay target with no recordings is refused before anything runs (exit 2 naming the flag, the closest recorded
 * target, and live mode when the flags describe a live endpoint), not thousands of per-case errors with exit 1.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unrecorded-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const run = (args: string[]) => cli(['run', ...args, '--report-dir', join(dir, 'reports'), '--quiet']);

describe('replay of a target nothing was recorded for', () => {
  it.each([
    // --targets suggests an entry it takes (surface:site), not the folder's id.
    [['--targets', 'runtime:emulatr'], '--targets: no recordings of target runtime.emulatr', 'did you mean runtime:emulator?'],
    [['--targets', 'mantle:emulatr'], '--targets: no recordings of target emulatr', 'did you mean mantle:emulator?'],
    [['--target-name', 'emulatr'], '--target-name: no recordings of target emulatr', 'did you mean emulator?'],
    [['--region', 'us-east-1'], '--region: no recordings of target us-east-1', 'recorded: emulator, runtime.emulator'],
  ])('%j is exit 2 naming the flag', async (args, message, hint) => {
    const result = await run(args);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`HARNESS_USAGE: ${message}`);
    expect(result.stderr).toContain(hint);
    expect(result.stderr).not.toContain('mode live');
  });

  it('--endpoint without --mode live asks whether live mode was meant', async () => {
    const result = await run(['--endpoint', 'http://127.0.0.1:48150', '--auth', 'none', '--models', 'xai.grok-4.3']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('--endpoint: no recordings of target 127.0.0.1_48150');
    expect(result.stderr).toContain('did you mean --mode live?');
  });

  it('a recorded target still replays', async () => {
    const result = await run(['--target-name', 'emulator', '--models', 'xai.grok-4.3']);
    expect(result.code, result.stderr).toBe(0);
  });

  it('a target --endpoint recorded (custom, no surface in its id) is suggested as --target-name, which no --targets entry names', async () => {
    const source = JSON.parse(await readFile(join(import.meta.dirname, '..', 'fixtures', 'emulator', 'xai.grok-4.3', 'probe.chat.json'), 'utf8'));
    source.provenance = { ...source.provenance, target: '127.0.0.1_4010', surface: 'custom', site: '127.0.0.1_4010' };
    const fixtures = join(dir, 'custom-fixtures');
    await mkdir(join(fixtures, '127.0.0.1_5F4010', 'xai.grok-4.3'), { recursive: true });
    await writeFile(join(fixtures, '127.0.0.1_5F4010', 'xai.grok-4.3', 'probe.chat.json'), JSON.stringify(source, undefined, 2));
    const typo = await run(['--fixtures', fixtures, '--targets', 'custom:127.0.0.1_4010', '--models', 'xai.grok-4.3']);
    expect(typo.code, typo.stderr).toBe(2);
    expect(typo.stderr).toContain('did you mean --target-name 127.0.0.1_4010?');
    const named = await run(['--fixtures', fixtures, '--target-name', '127.0.0.1_4010', '--models', 'xai.grok-4.3', '--checks', 'api.chat-completions']);
    expect(named.stderr).not.toContain('HARNESS_USAGE');
  });
});
