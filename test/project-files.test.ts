/**
 * Files that must stay true to the code: the shipped JSON Schemas, the catalog against MANTLE.md, and the layer
 * rules of src/ (suite -> plan -> transport -> checks -> report -> history; a layer never reaches back).
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

  it('passes its own review: every claim sourced, every source cited and located, every region listed (catalog --check)', async () => {
    const { reviewCatalog } = await import('../src/suite/check-catalog.ts');
    const { ALL_CHECKS } = await import('../src/checks/registry.ts');
    const review = await reviewCatalog(join(ROOT, 'suites/models.yaml'), ALL_CHECKS);
    expect(review.findings).toEqual([]);
    expect(review.models).toBeGreaterThanOrEqual(65);
  });

  it.skipIf(!existsSync(mantleMd))('holds the new ids of MANTLE.md "Autumn 2026", each one named there', async () => {
    const text = await readFile(mantleMd, 'utf8');
    const autumn = text.slice(text.indexOf('## Autumn 2026'));
    const { catalog } = await projectSuites();
    const ids = {
      'openai.gpt-6-sol': 'openai.gpt-6-sol',
      'openai.gpt-6-luna': 'openai.gpt-6-luna',
      'openai.gpt-6-astra': 'openai.gpt-6-astra',
      'openai.gpt-6.1-sol': 'openai.gpt-6.1-sol',
      'xai.grok-4.6': 'xai.grok-4.6',
      'anthropic.claude-sonnet-5-5': 'anthropic.claude-sonnet-5-5',
      'anthropic.claude-sonnet-5': 'anthropic.claude-sonnet-5',
      'anthropic.claude-opus-5': '-opus-5',
      'anthropic.claude-opus-5-5': '-opus-5-5',
      'anthropic.claude-mythos-5': '-mythos-5',
      'anthropic.claude-fable-5': '-fable-5',
      'anthropic.claude-haiku-4-5': '-haiku-4-5',
      'anthropic.claude-opus-4-6': '-opus-4-6',
      'anthropic.claude-mythos-preview': '-mythos-preview',
      'openai.gpt-5.4-2026-03-05': 'openai.gpt-5.4-2026-03-05',
      'openai.gpt-5.5-2026-04-23': 'openai.gpt-5.5-2026-04-23',
    };
    for (const [id, spelt] of Object.entries(ids)) {
      expect(autumn, id).toContain(spelt);
      expect(catalog.byId.has(id), id).toBe(true);
    }
  });

  it('holds the corrections of "Autumn 2026": the exponent on gpt-oss-120b, GPT-5.6 chat, gemma-4 and OpenAI refusals, wider regions', async () => {
    const { catalog } = await projectSuites();
    const model = (id: string) => catalog.byId.get(id)!;
    const claim = (id: string, check: string) => model(id).expect.get(check);
    // openai-dotnet #1006 names gpt-oss-120b; nothing names Grok.
    expect(claim('openai.gpt-oss-120b', 'created-at.responses')).toMatchObject({ value: 'exponent', source: 'openai-dotnet-1006' });
    expect(claim('xai.grok-4.3', 'created-at.responses')).toBeUndefined();
    for (const id of ['openai.gpt-5.6-terra', 'openai.gpt-5.6-luna', 'openai.gpt-5.6-sol']) {
      expect(claim(id, 'api.chat-completions')?.value, id).toBe('supported');
      expect(claim(id, 'path-prefix')?.value, id).toBe('/openai/v1');
      expect(model(id).wrongRoute?.answer, id).toBe('api-400');
    }
    for (const id of ['openai.gpt-5.4', 'openai.gpt-5.5']) expect(claim(id, 'api.chat-completions')?.value, id).toBe('unsupported');
    for (const check of ['params.max-tokens', 'params.max-completion-tokens', 'params.stop', 'params.logprobs', 'tools.chat.forced-call']) {
      expect(claim('google.gemma-4-31b', check)?.value, check).toBe('rejected');
    }
    expect(model('google.gemma-4-e2b').parameters?.['chat-completions']).toMatchObject({ defaultOnly: ['temperature'], rejected: expect.arrayContaining(['top_p', 'presence_penalty', 'frequency_penalty', 'top_logprobs']) });
    for (const id of ['openai.gpt-oss-20b', 'openai.gpt-5.6-sol', 'openai.gpt-6-sol']) expect(claim(id, 'params.max-tokens')?.value, id).toBe('rejected');
    for (const id of ['openai.gpt-5.4', 'openai.gpt-5.6-sol', 'openai.gpt-6-astra']) expect(model(id).parameters?.responses?.defaultOnly, id).toEqual(['temperature']);
    expect(model('xai.grok-4.3').regions).toEqual(expect.arrayContaining(['us-west-2', 'us-east-1', 'us-east-2']));
    expect(model('google.gemma-4-31b').regions).toEqual(expect.arrayContaining(['us-east-1', 'us-west-2', 'us-east-2', 'eu-central-1']));
    expect(model('xai.grok-4.3').regionSources.get('us-east-1')).toBe('hermes-agent-52316');
  });

  it('states Grok 4.3 documented defaults', async () => {
    const grok = (await projectSuites()).catalog.byId.get('xai.grok-4.3')!;
    expect(grok.expect.get('defaults.temperature')?.value).toBe(0.7);
    expect(grok.expect.get('defaults.top-p')?.value).toBe(0.95);
    expect(grok.expect.get('path-prefix')?.value).toBe('/openai/v1');
  });
});

/** The top-level modules of src/ that every layer may use: errors, names, surfaces and AWS partitions, files, small JSON helpers, format versions, the rules of a run's selection, what looks like a key, the headers that frame a request, the words of a kept recording, the signals that stop a command, reading a file that must be a regular one, which process made something on disk. */
const SHARED = ['errors', 'names', 'package-root', 'atomic-write', 'surfaces', 'aws-partitions', 'json-path', 'json-walk', 'map-values', 'shard-spec', 'cell-selection', 'same-night', 'shown-path', 'format-version', 'key-shapes', 'framing-headers', 'kept-whys', 'signals', 'regular-file', 'pid-mark'];

/** Which src/ folders each folder may import from, besides the shared modules. */
const ALLOWED: Record<string, string[]> = Object.fromEntries(
  Object.entries({
    suite: ['suite'],
    plan: ['plan', 'suite'],
    transport: ['transport'],
    checks: ['checks', 'transport', 'suite'],
    report: ['report', 'checks', 'suite'],
    run: ['run', 'plan', 'suite', 'transport', 'checks', 'report'],
    emulator: ['emulator', 'suite', 'checks'],
    // Runs over time: reads what runs wrote (their matrices, history files), never how they were made.
    history: ['history', 'report', 'checks', 'suite'],
    cli: ['cli', 'run', 'plan', 'suite', 'transport', 'checks', 'report', 'history', 'emulator'],
  }).map(([layer, reaches]) => [layer, [...reaches, ...SHARED]]),
);

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

describe('check groups', () => {
  it('every check belongs to a named group of the reports (none falls into "Other")', async () => {
    const { ALL_CHECKS } = await import('../src/checks/registry.ts');
    const { groupOf } = await import('../src/report/build-matrix.ts');
    expect(ALL_CHECKS.filter((c) => groupOf(c.id) === 'Other').map((c) => c.id)).toEqual([]);
  });
});

describe('defaults stated twice', () => {
  it('the run config restates the transport\'s limits exactly (it may not import them: --help would load undici)', async () => {
    const { DEFAULTS } = await import('../src/run/run-config.ts');
    const transport = await import('../src/transport/http-exchange.ts');
    expect([DEFAULTS.timeoutMs, DEFAULTS.idleTimeoutMs, DEFAULTS.maxBodyBytes]).toEqual([transport.DEFAULT_TIMEOUT_MS, transport.DEFAULT_IDLE_TIMEOUT_MS, transport.DEFAULT_MAX_BODY_BYTES]);
  });
});
