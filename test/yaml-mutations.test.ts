/**
 * Seeded mutations of the bundled suites, catalog and an expectations file: a few hundred random edits (YAML
 * syntax, anchors and aliases, tags, merge keys, deleted and duplicated lines, truncation). Every edit either
 * loads or is refused with the file's own error code and located lines: never another error (exit 3), never a
 * stack trace, never a hang. The loaders run in-process; the CLI maps exactly these errors to exit 2.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import { HarnessError, type HarnessErrorCode } from '../src/errors.ts';
import { loadCatalog } from '../src/suite/load-catalog.ts';
import { loadExpectations } from '../src/suite/load-expectations.ts';
import { loadSuites } from '../src/suite/load-suites.ts';
import { ROOT } from './helpers/harness.ts';

const SEED = 0x9e3779b9;
const MUTATIONS = { suites: 160, catalog: 90, expectations: 90 };
const PER_LOAD_MS = 5_000;

/** mulberry32: small, seeded, the same edits on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  '*a', '&a ', '*missing', '!!binary ', '!!set ', '!foo ', '!!int ', '<<: ', '<<: *a', '? ', '- ', ': ', '[', ']', '{', '}', '"', "'", '|', '>',
  '#', '\n', '  ', '\t', '%YAML 1.1\n', '---\n', '...\n', '@', '`', '~', 'null', '1e309', '0x1F', '\u0000', '\uFEFF', '\u202E', '__proto__: ', '&a [*a]',
];
const BOMB = 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n';

function mutate(text: string, next: () => number): string {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const at = Math.floor(next() * (text.length + 1));
  const lines = text.split('\n');
  const line = Math.floor(next() * lines.length);
  switch (Math.floor(next() * 8)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 20));
    case 1:
    case 2:
      return text.slice(0, at) + pick(TOKENS) + text.slice(at);
    case 3:
      lines.splice(line, 0, lines[line]!);
      return lines.join('\n');
    case 4: {
      const other = Math.floor(next() * lines.length);
      [lines[line], lines[other]] = [lines[other]!, lines[line]!];
      return lines.join('\n');
    }
    case 5:
      return text.slice(0, at);
    case 6:
      lines[line] = `${' '.repeat(Math.floor(next() * 8))}${lines[line]!.trimStart()}`;
      return lines.join('\n');
    default:
      // An anchor on one value and its alias on another, or a bomb in front of everything.
      return next() < 0.2 ? BOMB + text : text.replace(/: (\S+)/, ': &a $1').replace(/(\n\s*\w[\w.-]*: )\S+/, '$1*a');
  }
}

const EXPECTATIONS = `# yaml-language-server: $schema=./schema/expectations.schema.json
expectations: mantle
models:
  xai.grok-4.3:
    created-at.responses:
      observed: exponent
      reason: Mantle sends created_at as a float in exponent form
      link: https://github.com/openai/openai-dotnet/issues/1006
    defaults.temperature: 0.7
    path-prefix: [/openai/v1, both]
  openai.gpt-oss-20b:
    stream.chat-completions: flaky
`;

interface Outcome {
  loaded: number;
  refused: number;
  problems: string[];
}

async function attempt(load: () => Promise<unknown>, code: HarnessErrorCode, label: string, outcome: Outcome): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), PER_LOAD_MS);
  });
  try {
    const result = await Promise.race([load().then(() => 'loaded' as const), hang]);
    if (result === 'hang') outcome.problems.push(`${label}: no answer within ${PER_LOAD_MS} ms`);
    else outcome.loaded += 1;
  } catch (error) {
    if (!(error instanceof HarnessError)) outcome.problems.push(`${label}: threw ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`);
    else if (error.code !== code) outcome.problems.push(`${label}: ${error.code} instead of ${code}: ${error.message.slice(0, 300)}`);
    else if (/\n\s+at /.test(error.message)) outcome.problems.push(`${label}: a stack trace in the message`);
    else if (!/:\d+:\d+ /.test(error.message)) outcome.problems.push(`${label}: no file:line:col in ${error.message.slice(0, 300)}`);
    else outcome.refused += 1;
  } finally {
    clearTimeout(timer);
  }
}

describe('seeded mutations of the bundled YAML', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yaml-mutations-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('suites: every edit loads or is HARNESS_SUITE_INVALID with file:line:col', async () => {
    const next = random(SEED);
    const files = (await readdir(join(ROOT, 'suites'))).filter((f) => f.endsWith('.suite.yaml')).sort();
    const texts = await Promise.all(files.map((f) => readFile(join(ROOT, 'suites', f), 'utf8')));
    const outcome: Outcome = { loaded: 0, refused: 0, problems: [] };
    for (let i = 0; i < MUTATIONS.suites; i++) {
      const index = Math.floor(next() * texts.length);
      const folder = join(dir, `suite-${i}`);
      await mkdir(folder);
      await writeFile(join(folder, files[index]!), mutate(texts[index]!, next));
      await attempt(() => loadSuites(folder, ALL_CHECKS), 'HARNESS_SUITE_INVALID', `suite mutation ${i} of ${files[index]}`, outcome);
    }
    expect(outcome.problems).toEqual([]);
    // The edits must exercise both ways: a corpus that only loads (or only fails) proves nothing.
    expect(outcome.refused).toBeGreaterThan(MUTATIONS.suites / 4);
    expect(outcome.loaded).toBeGreaterThan(0);
  });

  it('catalog: every edit loads or is HARNESS_CATALOG_INVALID with file:line:col', async () => {
    const next = random(SEED + 1);
    const text = await readFile(join(ROOT, 'suites', 'models.yaml'), 'utf8');
    const outcome: Outcome = { loaded: 0, refused: 0, problems: [] };
    for (let i = 0; i < MUTATIONS.catalog; i++) {
      const file = join(dir, `catalog-${i}.yaml`);
      await writeFile(file, mutate(text, next));
      await attempt(() => loadCatalog(file, ALL_CHECKS), 'HARNESS_CATALOG_INVALID', `catalog mutation ${i}`, outcome);
    }
    expect(outcome.problems).toEqual([]);
    expect(outcome.refused).toBeGreaterThan(MUTATIONS.catalog / 4);
    expect(outcome.loaded).toBeGreaterThan(0);
  });

  it('expectations: every edit loads or is HARNESS_EXPECTATIONS_INVALID with file:line:col', async () => {
    const next = random(SEED + 2);
    const outcome: Outcome = { loaded: 0, refused: 0, problems: [] };
    await attempt(async () => loadExpectations(await writeExpectations(join(dir, 'expectations.yaml'), EXPECTATIONS), ALL_CHECKS), 'HARNESS_EXPECTATIONS_INVALID', 'the unmutated file', outcome);
    expect(outcome).toEqual({ loaded: 1, refused: 0, problems: [] });
    for (let i = 0; i < MUTATIONS.expectations; i++) {
      const file = await writeExpectations(join(dir, `expectations-${i}.yaml`), mutate(EXPECTATIONS, next));
      await attempt(() => loadExpectations(file, ALL_CHECKS), 'HARNESS_EXPECTATIONS_INVALID', `expectations mutation ${i}`, outcome);
    }
    expect(outcome.problems).toEqual([]);
    expect(outcome.refused).toBeGreaterThan(MUTATIONS.expectations / 4);
  });
});

async function writeExpectations(file: string, text: string): Promise<string> {
  await writeFile(file, text);
  return file;
}
