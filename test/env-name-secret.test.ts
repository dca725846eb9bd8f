/**
 * A flag that takes the NAME of a variable holding a key, given the key itself (`--api-key-env "$KEY"`, `--header-env
 * X-Api-Key=$KEY`), is refused without quoting what was given: the message says it is no variable name, that it is
 * not shown, and gives the fix. For --header-env only a header name the user typed is quoted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorFromFlags } from '../src/cli/emulator-command.ts';
import { HarnessError } from '../src/errors.ts';
import { cli, ROOT } from './helpers/harness.ts';

const KEY = 'sk-proj-Zq8T3xWv9LmN2bQ7yRk4HsPd6FgJc1Aa';
// A long-term Bedrock key is base64: its padding `=` makes it look like HEADER=VAR to --header-env.
const ABSK = 'ABSKQmVkcm9ja0FQSUtleS1mM3Rlc3Q6ZjN0ZXN0c2VjcmV0OTg3NjU0MzIxMA==';
/** Pieces of either key a log must not hold (12 characters of a secret in a row are enough to matter). */
const pieces = (text: string) => [KEY.slice(8, 24), ABSK.slice(4, 20), ABSK.slice(30, 46)].filter((piece) => text.includes(piece));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'env-name-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Port 9 on loopback: nothing is sent, since the flags are refused first.
const live = ['--mode', 'live', '--endpoint', 'http://127.0.0.1:9', '--surface', 'custom', '--models', 'gw-model'];

describe('a key given where a variable name belongs', () => {
  it('--api-key-env "$KEY" is refused without the key, with the fix', async () => {
    for (const key of [KEY, ABSK]) {
      const run = await cli(['run', ...live, '--api-key-env', key, '--report-dir', join(dir, 'a')]);
      expect(run.code).toBe(2);
      expect(pieces(run.stdout + run.stderr)).toEqual([]);
      expect(run.stderr).toContain('HARNESS_USAGE: --api-key-env: the value given is not an environment variable name');
      expect(run.stderr).toContain('not shown: it may be the key itself');
      expect(run.stderr).toContain('e.g. --api-key-env MY_KEY_VAR');
    }
  });

  it('--header-env X-Api-Key=$KEY quotes the header name only', async () => {
    const run = await cli(['run', ...live, '--auth', 'none', '--header-env', `X-Api-Key=${KEY}`, '--report-dir', join(dir, 'h')]);
    expect(run.code).toBe(2);
    expect(pieces(run.stdout + run.stderr)).toEqual([]);
    expect(run.stderr).toContain('HARNESS_USAGE: --header-env: X-Api-Key=...: what follows "=" is not an environment variable name');
    expect(run.stderr).toContain('e.g. --header-env X-Api-Key=MY_KEY_VAR');
  });

  it('--header-env "$KEY" (no header, or a base64 key whose padding reads as =) shows nothing of it', async () => {
    for (const spec of [KEY, ABSK, ABSK.slice(0, -1), `Bearer ${KEY}`, `${KEY}=`]) {
      const run = await cli(['run', ...live, '--auth', 'none', '--header-env', spec, '--report-dir', join(dir, 'k')]);
      expect(run.code).toBe(2);
      expect(pieces(run.stdout + run.stderr), spec).toEqual([]);
      expect(run.stderr).toContain('HARNESS_USAGE: --header-env: the value given is not HEADER=ENV_VAR (not shown: it may be a secret)');
    }
  });

  it('catalog diff --api-key-env "$KEY" says the same', async () => {
    const run = await cli(['catalog', 'diff', '--mode', 'live', '--target', 'custom:gw=http://127.0.0.1:9', '--api-key-env', KEY]);
    expect(run.code).toBe(2);
    expect(pieces(run.stdout + run.stderr)).toEqual([]);
    expect(run.stderr).toContain('--api-key-env: the value given is not an environment variable name');
  });

  it("the emulator's --api-key-env \"$KEY\" says the same, and starts nothing", async () => {
    const started = startEmulatorFromFlags({ catalog: join(ROOT, 'suites', 'models.yaml'), port: '0', apiKeyEnv: KEY });
    const error = await started.then(async (emulator) => {
      await emulator.close();
      return undefined;
    }, (e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    const message = (error as HarnessError).message;
    expect(pieces(message)).toEqual([]);
    expect(message).toContain('--api-key-env: the value given is not an environment variable name');
  });

  it('a valid name still works as before: a missing variable is named', async () => {
    const run = await cli(['run', ...live, '--api-key-env', 'F3_UNSET_KEY_VAR', '--report-dir', join(dir, 'v')], { F3_UNSET_KEY_VAR: undefined });
    expect(run.stderr).toContain('F3_UNSET_KEY_VAR');
    expect(run.stderr).not.toContain('is not an environment variable name');
  });
});
