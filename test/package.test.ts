/**
 * The published package runs compiled JavaScript: the build (tsc, then the precompiled schema validators) laid
 * out as npm installs it, whose CLI needs no TypeScript and replays to the same matrix as the source. (CI also
 * packs, installs and runs the real tarball: .ci/run.)
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { ROOT, cli, type CliResult } from './helpers/harness.ts';

const MODELS = 'xai.grok-4.3,anthropic.claude-opus-4-7,qwen.qwen3-32b,openai.gpt-5.4';

function node(args: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const { GITHUB_STEP_SUMMARY: _summary, ...env } = process.env;
    execFile(process.execPath, args, { cwd, env, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

let dir: string;
let pkg: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'package-'));
  pkg = join(dir, 'node_modules', 'mantle-conformance');
  await mkdir(pkg, { recursive: true });
  await writeFile(join(pkg, 'package.json'), await readFile(join(ROOT, 'package.json')));
  for (const name of ['suites', 'fixtures']) await symlink(join(ROOT, name), join(pkg, name));
  // The package's own dependencies resolve from its node_modules, as after `npm install`.
  await symlink(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const built = await node([tsc, '-p', 'tsconfig.build.json', '--noCheck', '--outDir', join(pkg, 'dist')], ROOT);
  expect(built.code, built.stdout + built.stderr).toBe(0);
  const precompiled = await node([join(ROOT, 'scripts/precompile-validators.mjs'), join(pkg, 'dist')], ROOT);
  expect(precompiled.code, precompiled.stderr).toBe(0);
  expect(existsSync(join(pkg, 'dist/checks/precompiled-validators.cjs'))).toBe(true);
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the package', () => {
  it('declares a compiled bin, ships what runs, and needs tsx only to develop', async () => {
    const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[]; dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(manifest.bin['mantle-conformance']).toBe('dist/cli/bin.js');
    expect(manifest.files).toEqual(expect.arrayContaining(['dist/', 'suites/', 'fixtures/', 'README.md']));
    expect(manifest.files.some((f) => f.startsWith('test') || f.startsWith('src'))).toBe(false);
    expect(manifest.dependencies.tsx).toBeUndefined();
    expect(manifest.devDependencies.tsx).toBeDefined();
  });

  it('answers --help from compiled JavaScript', async () => {
    const help = await node([join(pkg, 'dist/cli/bin.js'), '--help'], dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: mantle-conformance');
    expect((await readFile(join(pkg, 'dist/cli/bin.js'), 'utf8')).split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('replays, from an empty folder, to the matrix the source gives (precompiled validators included)', async () => {
    const work = join(dir, 'work');
    await mkdir(work);
    const compiled = await node([join(pkg, 'dist/cli/bin.js'), 'run', '--models', MODELS, '--quiet'], work);
    expect(compiled.code, compiled.stderr).toBe(0);
    const source = await cli(['run', '--models', MODELS, '--quiet', '--report-dir', join(dir, 'source')]);
    expect(source.code, source.stderr).toBe(0);
    const strip = (m: Matrix) => ({ ...m, run: { ...m.run, id: '', startedAt: '', finishedAt: '', durationMs: 0, suites: '', catalog: '' }, totals: { ...m.totals, wallMs: 0 } });
    const fromPackage = JSON.parse(await readFile(join(work, 'reports', 'matrix.json'), 'utf8')) as Matrix;
    const fromSource = JSON.parse(await readFile(join(dir, 'source', 'matrix.json'), 'utf8')) as Matrix;
    expect(fromPackage.results.filter((r) => r.check.startsWith('schema.') && !r.notRun).length).toBe(4 * 7);
    expect(strip(fromPackage)).toEqual(strip(fromSource));
  });
});
