/**
 * Files that must stay true to the code: the shipped JSON Schemas, the catalog against MANTLE.md, and the layer
 * rules of src/ (suite -> plan -> transport -> checks -> report; a layer never reaches back).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILES, schemaText } from '../src/suite/schema-files.ts';
import { REFERENCE, ROOT, projectSuites } from './helpers/harness.ts';

describe('shipped JSON Schemas', () => {
  it.each(SCHEMA_FILES)('$path matches the schema the loader uses (regenerate with `mantle-conformance schema`)', async ({ path, schema }) => {
    expect(await readFile(join(ROOT, path), 'utf8')).toBe(schemaText(schema));
  });

  it('every suite file names its schema for editors', async () => {
    const { suites } = await projectSuites();
    for (const file of suites.files) expect((await readFile(file, 'utf8')).split('\n')[0]).toBe('# yaml-language-server: $schema=./schema/suite.schema.json');
  });
});

describe('the catalog', () => {
  const mantleMd = join(REFERENCE, 'MANTLE.md');
  it.skipIf(!existsSync(mantleMd))('holds every model id MANTLE.md lists', async () => {
    const text = await readFile(mantleMd, 'utf8');
    const listed = text.slice(text.indexOf('Model ids listed by'), text.indexOf('(llamastack/llama-stack recordings)'));
    const ids = [...listed.matchAll(/([a-z]+\.[a-z0-9.-]+[a-z0-9])/g)].map((m) => m[1]!).filter((id) => !id.startsWith('us-east'));
    const named = ['xai.grok-4.3', 'openai.gpt-5.4', 'openai.gpt-5.5', 'google.gemma-4-31b', 'anthropic.claude-opus-4-7', 'anthropic.claude-opus-4-8', 'openai.gpt-5.6-terra'];
    expect(ids.length).toBeGreaterThan(30);
    const { catalog } = await projectSuites();
    for (const id of [...ids, ...named]) expect(catalog.byId.has(id), id).toBe(true);
    expect(catalog.models.length).toBeGreaterThanOrEqual(45);
  });

  it('gives every model a family, a source, and the documented route and APIs', async () => {
    const { catalog } = await projectSuites();
    for (const model of catalog.models) {
      expect(catalog.sources[model.source], model.id).toBeDefined();
      for (const check of ['path-prefix', 'api.chat-completions', 'api.responses', 'api.messages', 'api.count-tokens']) {
        const claim = model.expect.get(check);
        expect(claim, `${model.id} ${check}`).toBeDefined();
        expect(catalog.sources[claim!.source], `${model.id} ${check} source`).toBeDefined();
      }
    }
  });

  it('states Grok 4.3 documented defaults', async () => {
    const grok = (await projectSuites()).catalog.byId.get('xai.grok-4.3')!;
    expect(grok.expect.get('defaults.temperature')?.value).toBe(0.7);
    expect(grok.expect.get('defaults.top-p')?.value).toBe(0.95);
    expect(grok.expect.get('path-prefix')?.value).toBe('/openai/v1');
  });
});

/** Which src/ folders each folder may import from. */
const ALLOWED: Record<string, string[]> = {
  suite: ['suite', 'errors', 'names', 'package-root', 'atomic-write', 'surfaces'],
  plan: ['plan', 'suite', 'errors', 'names', 'package-root', 'atomic-write', 'surfaces'],
  transport: ['transport', 'errors', 'names', 'package-root', 'atomic-write', 'surfaces'],
  checks: ['checks', 'transport', 'suite', 'errors', 'names', 'package-root', 'atomic-write', 'surfaces'],
  report: ['report', 'checks', 'suite', 'errors', 'names', 'package-root', 'atomic-write', 'surfaces'],
  run: ['run', 'plan', 'suite', 'transport', 'checks', 'report', 'errors', 'names', 'package-root', 'atomic-write', 'surfaces'],
  emulator: ['emulator', 'suite', 'checks', 'errors', 'names', 'package-root', 'atomic-write', 'surfaces'],
  cli: ['cli', 'run', 'plan', 'suite', 'transport', 'checks', 'report', 'emulator', 'errors', 'names', 'package-root', 'atomic-write', 'surfaces'],
};

describe('layers', () => {
  it('no module imports from a layer it may not reach', async () => {
    const problems: string[] = [];
    const src = join(ROOT, 'src');
    for (const layer of await readdir(src, { withFileTypes: true })) {
      if (!layer.isDirectory()) continue;
      for (const file of await filesIn(join(src, layer.name))) {
        const text = await readFile(file, 'utf8');
        for (const match of text.matchAll(/from '(\.[^']+)'/g)) {
          const target = relative(src, join(file, '..', match[1]!)).split('/')[0]!.replace(/\.ts$/, '');
          if (!(ALLOWED[layer.name] ?? []).includes(target)) problems.push(`${relative(ROOT, file)} imports ${match[1]}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps files small', async () => {
    const big: string[] = [];
    for (const file of await filesIn(join(ROOT, 'src'))) {
      const lines = (await readFile(file, 'utf8')).split('\n').length;
      if (lines > 330) big.push(`${relative(ROOT, file)}: ${lines} lines`);
    }
    expect(big).toEqual([]);
  });
});

async function filesIn(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesIn(path)));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

describe('the README', () => {
  it('lists every check id with its vocabulary, and the two commands', async () => {
    const { ALL_CHECKS } = await import('../src/checks/registry.ts');
    const { describeVocabulary } = await import('../src/suite/check-signature.ts');
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    for (const check of ALL_CHECKS) {
      const line = readme.split('\n').find((l) => l.startsWith(`| \`${check.id}\` |`));
      expect(line, check.id).toBeDefined();
      expect(line).toContain(describeVocabulary(check).replace(/"/g, '`'));
      expect(line, `${check.id}: whose behaviour it observes`).toMatch(check.dependsOnModel ? /\| model \|$/ : /\| endpoint \|$/);
    }
    expect(readme).toContain('npm run conformance');
    expect(readme).toContain('npm test');
  });
});

describe('error codes', () => {
  it('are all documented in the README error table', async () => {
    const { ERROR_CODES } = await import('../src/errors.ts');
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    for (const code of Object.keys(ERROR_CODES)) expect(readme, code).toContain(`| \`${code}\` |`);
  });
});
