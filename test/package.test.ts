/**
 * The published package runs the bundle: the build `npm test` made once (test/helpers/build-package.ts, laid out as
 * npm installs it). It carries its dependencies (only a run on vitest imports vitest), answers --help, replays to
 * the matrix the source gives (precompiled validators included), and runs live with a bearer key and with SigV4
 * (the bundled HTTP client and AWS credential chain). CI also packs, installs and runs the real tarball (.ci/run).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { textKey } from '../src/suite/bundled-yaml.ts';
import { ROOT, catalogEmulator, cli, packageBin, type CliResult } from './helpers/harness.ts';

const MODELS = 'xai.grok-4.3,anthropic.claude-opus-4-7,qwen.qwen3-32b,openai.gpt-5.4';

function node(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const { GITHUB_STEP_SUMMARY: _summary, ...inherited } = process.env;
    execFile(process.execPath, args, { cwd, env: { ...inherited, ...env }, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

let dir: string;
let pkg: string;
let bin: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'package-'));
  pkg = inject('packageRoot');
  bin = packageBin();
  await mkdir(join(dir, 'work'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the package', () => {
  it('declares the bundle as its bin, ships what runs, and depends on vitest alone', async () => {
    const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[]; dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(manifest.bin['mantle-conformance']).toBe('dist/cli/bin.js');
    expect(manifest.files).toEqual(expect.arrayContaining(['dist/', 'suites/', 'fixtures/', 'README.md']));
    expect(manifest.files.some((f) => f.startsWith('test') || f.startsWith('src'))).toBe(false);
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['@vitest/ui', 'vitest']);
    expect(manifest.devDependencies.tsx).toBeDefined();
    expect(await readFile(join(pkg, 'dist/THIRD-PARTY-LICENSES.txt'), 'utf8')).toContain('openai@');
    expect(existsSync(join(pkg, 'dist/suite/precompiled-validators.cjs'))).toBe(true);
    expect(existsSync(join(pkg, 'dist/checks/schemas/openai.schema.json'))).toBe(true);
    // Every bundled YAML file comes parsed, by the hash of its text: a run with them parses none.
    const parses = createRequire(import.meta.url)(join(pkg, 'dist/suite/parsed-yaml.cjs')) as Record<string, string>;
    const yamlFiles = (await readdir(join(ROOT, 'suites'))).filter((f) => f.endsWith('.yaml'));
    expect(Object.keys(parses).sort()).toEqual((await Promise.all(yamlFiles.map(async (f) => textKey(await readFile(join(ROOT, 'suites', f), 'utf8'))))).sort());
  });

  it('imports no package but vitest (everything else is in the bundle)', async () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    // The AWS signer tries two optional packages inside try blocks (neither is installed anywhere); ajv's code
    // generator holds require("ajv/dist/runtime/...") as text for standalone code, never executed by the bundle.
    const optional = new Set(['@aws-sdk/signature-v4-crt', '@aws-sdk/signature-v4a']);
    const imported = new Set<string>();
    for (const file of (await readdir(join(pkg, 'dist'), { recursive: true })).filter((f) => /\.c?js$/.test(f))) {
      const text = await readFile(join(pkg, 'dist', file), 'utf8');
      for (const m of text.matchAll(/(?:^import [^'"\n]*?from ["']|^import ["']|\bimport\(["']|\brequire\(["'])([^"'./][^"']*)["']/gm)) imported.add(m[1]!);
    }
    const outside = [...imported].filter((name) => !builtins.has(name) && !name.startsWith('node:') && !optional.has(name) && !name.startsWith('ajv/dist/runtime/') && !/^vitest(\/|$)/.test(name));
    expect(outside).toEqual([]);
    expect(imported.has('vitest')).toBe(true);
  });

  it('answers --help from compiled JavaScript', async () => {
    const help = await node([bin, '--help'], dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: mantle-conformance');
    expect((await readFile(bin, 'utf8')).split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('replays, from an empty folder, to the matrix the source gives (the schema documents read from the package)', async () => {
    const work = join(dir, 'work');
    const compiled = await node([bin, 'run', '--models', MODELS, '--quiet'], work);
    expect(compiled.code, compiled.stderr).toBe(0);
    const source = await cli(['run', '--models', MODELS, '--quiet', '--report-dir', join(dir, 'source')]);
    expect(source.code, source.stderr).toBe(0);
    const strip = (m: Matrix) => ({ ...m, run: { ...m.run, id: '', startedAt: '', finishedAt: '', durationMs: 0, suites: '', catalog: '' }, totals: { ...m.totals, wallMs: 0 } });
    const fromPackage = JSON.parse(await readFile(join(work, 'reports', 'matrix.json'), 'utf8')) as Matrix;
    const fromSource = JSON.parse(await readFile(join(dir, 'source', 'matrix.json'), 'utf8')) as Matrix;
    expect(fromPackage.results.filter((r) => r.check.startsWith('schema.') && !r.notRun).length).toBe(fromPackage.targets.length * 4 * 7);
    expect(strip(fromPackage)).toEqual(strip(fromSource));
  });

  it.each([
    ['a bearer key', ['--api-key-env', 'PACKAGE_KEY'], { PACKAGE_KEY: 'package-key-0123456789' }],
    ['SigV4', ['--auth', 'sigv4', '--region', 'us-east-1'], { AWS_ACCESS_KEY_ID: 'AKIAPACKAGETEST00001', AWS_SECRET_ACCESS_KEY: 'package-secret-0123456789', AWS_PROFILE: '' }],
  ])('runs live with %s', async (_name, args, env) => {
    const server = await catalogEmulator();
    try {
      const run = await node([bin, 'run', '--mode', 'live', '--endpoint', server.url, '--models', 'zai.glm-5', '--report-dir', join(dir, `live-${_name}`), '--quiet', ...args], join(dir, 'work'), env);
      expect(run.code, run.stderr).toBe(0);
      expect(server.stats.requests).toBeGreaterThan(10);
      const sent = server.stats.log.at(-1)!.headers;
      expect(String(sent.authorization)).toMatch(args.includes('sigv4') ? /^AWS4-HMAC-SHA256 Credential=AKIAPACKAGETEST00001\// : /^Bearer package-key-/);
    } finally {
      await server.close();
    }
  });

  it('reports a bad suite or catalog word for word as the source does (precompiled file validators included)', async () => {
    for (const args of [['--suites', 'test/bad-input/suites'], ['--catalog', 'test/bad-input/catalogs/bad-vocabulary.yaml'], ['--catalog', 'test/bad-input/catalogs/unknown-family.yaml']]) {
      const fromPackage = await node([bin, 'validate', ...args], ROOT);
      const fromSource = await cli(['validate', ...args]);
      expect(fromPackage.code, args.join(' ')).toBe(2);
      expect(fromPackage.stderr, args.join(' ')).toBe(fromSource.stderr);
    }
  });

  it('judges a fixture that is not one word for word as the source does (the precompiled fixture validator)', async () => {
    const { cp, writeFile } = await import('node:fs/promises');
    const model = 'xai.grok-4.3';
    const fixtures = join(dir, 'bad-fixtures');
    await cp(join(ROOT, 'fixtures', 'emulator', model), join(fixtures, 'emulator', model), { recursive: true });
    // Valid JSON, not a fixture: an exchange whose status is a string.
    const file = join(fixtures, 'emulator', model, 'probe.chat.json');
    const fixture = JSON.parse(await readFile(file, 'utf8')) as { exchanges: { response: { status: unknown } }[] };
    fixture.exchanges[0]!.response.status = 'two hundred';
    await writeFile(file, JSON.stringify(fixture));
    const args = ['run', '--models', model, '--targets', 'mantle:emulator', '--fixtures', fixtures, '--quiet'];
    const fromPackage = await node([bin, ...args, '--report-dir', join(dir, 'bad-fixture-package')], ROOT);
    const fromSource = await cli([...args, '--report-dir', join(dir, 'bad-fixture-source')]);
    const reasons = async (folder: string) =>
      (JSON.parse(await readFile(join(dir, folder, 'matrix.json'), 'utf8')) as Matrix).results.filter((r) => !r.notRun).map((r) => r.reason);
    const packaged = await reasons('bad-fixture-package');
    expect(packaged).toContain(`HARNESS_RECORDING_INVALID: ${file} is not a fixture: exchanges[0].response.status: must be integer; delete it and record it again with --mode record`);
    expect(packaged).toEqual(await reasons('bad-fixture-source'));
    expect([fromPackage.code, fromSource.code]).toEqual([1, 1]);
  });
});
