/**
 * A reader that closed the pipe early (`run ... 2>&1 | head -1`) ended `run` at its first progress line with exit 0:
 * the gate was never computed, no report was written, and a failing gate read green under `pipefail`. Now a closed
 * pipe only closes the stream: the run writes its reports and ends with its gate's exit code.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageBin } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-'));
  await writeFile(join(dir, 'fail.yaml'), 'expectations: mantle\nmodels:\n  xai.grok-4.3:\n    created-at.chat: { observed: string, reason: forced fail }\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the built CLI with stdout and stderr both closed by their reader after `keep` chunks (0: before any). */
function runClosed(args: string[], keep: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [packageBin(), ...args], { cwd: dir, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = 0;
    const close = () => {
      child.stdout!.destroy();
      child.stderr!.destroy();
    };
    if (keep === 0) close();
    for (const stream of [child.stdout!, child.stderr!]) stream.on('data', () => ++seen >= keep && close());
    child.on('close', resolve);
  });
}

describe('a reader that closes the pipe early', () => {
  it.each([
    ['after the first line (| head -1)', 1, ['xai.grok-4.3', 'openai.gpt-5.6-sol', 'google.gemma-4-31b']],
    ['before anything (| true)', 0, ['xai.grok-4.3']],
  ])('%s: a failing gate still ends run with 1, its four reports written', async (_name, keep, models) => {
    const reports = join(dir, `rep-${keep}`);
    const code = await runClosed(['run', '--mode', 'replay', '--expectations', join(dir, 'fail.yaml'), '--report-dir', reports, ...models], keep);
    expect(code).toBe(1);
    expect((await readdir(reports)).sort()).toEqual(['junit.xml', 'matrix.html', 'matrix.json', 'matrix.md']);
  });

  it('checks | head -1 still ends 0', async () => {
    expect(await runClosed(['checks'], 1)).toBe(0);
  });
});
