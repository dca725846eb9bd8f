/**
 * A catalog surface claim's `models:` id the catalog does not list still loads (a trimmed copy of the catalog must),
 * but is never silent: `catalog --check` makes each one a finding (exit 1) with file:line:col and the closest listed
 * id, and `validate` warns with the same line and stays exit 0. Typos no slip rule catches (a region prefix, two
 * letters off) are the case: the claim they were written for would cover no model. Hermetic: a copy of the shipped
 * suites in a temporary folder, the CLI run in this process.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from './helpers/harness.ts';

let dir: string;
let suites: string;
let catalog: string;
const SHIPPED = 'models: [openai.gpt-6-sol, openai.gpt-6-luna]';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-unlisted-'));
  suites = join(dir, 'suites');
  await cp(join(ROOT, 'suites'), suites, { recursive: true });
  catalog = join(suites, 'models.yaml');
  const text = await readFile(catalog, 'utf8');
  expect(text).toContain(SHIPPED);
  await writeFile(catalog, text.replace(SHIPPED, 'models: [us.openai.gpt-6-sol, openai.gpt-6-lunna-v2]'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const line = (text: string, id: string) => text.split('\n').find((l) => l.includes(`"${id}"`)) ?? '';

describe('a surface claim naming model ids the catalog does not list', () => {
  it('catalog --check: a finding for each, with file:line:col and the closest id, exit 1', async () => {
    const result = await cli(['catalog', '--check', '--catalog', catalog]);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const sol = line(result.stdout, 'us.openai.gpt-6-sol');
    expect(sol).toMatch(new RegExp(`^${catalog.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ unknown model "us\\.openai\\.gpt-6-sol" \\(did you mean "openai\\.gpt-6-sol"\\?\\)`));
    expect(sol).toContain('covers no model');
    expect(line(result.stdout, 'openai.gpt-6-lunna-v2')).toMatch(/:\d+:\d+ unknown model "openai\.gpt-6-lunna-v2" \(did you mean "openai\.gpt-6-luna"\?\)/);
    expect(result.stdout).toContain('2 findings');
  });

  it('validate: warns the same, and still loads (exit 0)', async () => {
    const result = await cli(['validate', '--suites', suites]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ok: /);
    expect(result.stderr).toMatch(/warning: .*models\.yaml:\d+:\d+ unknown model "us\.openai\.gpt-6-sol" \(did you mean "openai\.gpt-6-sol"\?\)/);
    expect(result.stderr).toMatch(/warning: .*models\.yaml:\d+:\d+ unknown model "openai\.gpt-6-lunna-v2"/);
  });

  it('the shipped catalog has no such finding', async () => {
    const result = await cli(['catalog', '--check']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const valid = await cli(['validate']);
    expect(valid.stderr).not.toContain('unknown model');
  });
});
