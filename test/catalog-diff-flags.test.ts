/**
 * `catalog diff`'s flags as the README states them: `--catalog` given on `catalog` and again on `diff` with the same
 * value is one (refused as "given twice" before the diff's own rule could see it), two values are refused, and one
 * command given it twice still is; a bad `--target` name is refused naming `--target`, the flag typed, not the
 * `--targets` it is passed on as.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from './helpers/harness.ts';

const CATALOG = join(ROOT, 'suites/models.yaml');
const REPLAY = ['--mode', 'replay', '--target', 'runtime:emulator'];

describe('catalog --catalog F diff --catalog F', () => {
  it('the same file before and after diff is one --catalog', async () => {
    const result = await cli(['catalog', '--catalog', CATALOG, 'diff', '--catalog', CATALOG, ...REPLAY]);
    expect(result.stderr).not.toContain('given twice');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^runtime\.emulator \(runtime\): \d+ listed/);
  });

  it('two files are refused, naming both; one command given it twice still is', async () => {
    const other = join(ROOT, 'suites', 'other.yaml');
    const two = await cli(['catalog', '--catalog', CATALOG, 'diff', '--catalog', other, ...REPLAY]);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain(`HARNESS_USAGE: catalog --catalog ${CATALOG} diff --catalog ${other}: two values; give --catalog once, after diff`);
    for (const args of [['catalog', '--catalog', CATALOG, '--catalog', CATALOG, 'diff', ...REPLAY], ['catalog', 'diff', '--catalog', CATALOG, '--catalog', CATALOG, ...REPLAY]]) {
      const twice = await cli(args);
      expect(twice.code, args.join(' ')).toBe(2);
      expect(twice.stderr).toContain('HARNESS_USAGE: --catalog: given twice; give it once');
    }
  });
});

describe('catalog diff --target with a bad target name', () => {
  it('names --target, the flag typed', async () => {
    const result = await cli(['catalog', 'diff', '--target', 'custom:a|b<i>x=http://127.0.0.1:9', '--auth', 'none']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^HARNESS_USAGE: --target "custom:a\|b<i>x=http:\/\/127\.0\.0\.1:9": "a\|b<i>x" is not a target name/);
    expect(result.stderr).not.toContain('--targets');
  });

  it('given with --targets too, the message keeps --targets (both flags were typed; refused before anything is sent)', async () => {
    const result = await cli(['catalog', 'diff', '--targets', 'custom:ok=http://127.0.0.1:9', '--target', 'custom:a|b=http://127.0.0.1:9', '--auth', 'none']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^HARNESS_USAGE: --targets "custom:a\|b=/);
  });
});
