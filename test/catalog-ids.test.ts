/**
 * `catalog` prints the catalog's model ids and families as they are: the schema holds them to a safe alphabet
 * (src/names.ts: no control, space, `#` or `[`; an id starts with a letter, a digit or `/`), so a row cannot start a
 * workflow command, and the `::` inside an ARN id is the id. Made inert, it got a zero-width space: a copied id was
 * refused by `run --models`, and the columns after it shifted (review r2c, finding 3). Free text stays inert
 * (catalog-inert.test.ts).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from './helpers/harness.ts';

const ARN = 'arn:aws:bedrock:us-east-1::foundation-model/openai.gpt-oss-20b';
const HAS = 'models: [openai.gpt-6-sol, openai.gpt-6-luna]';

describe('catalog with an ARN model id', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-catalog-arn-'));
    const base = await readFile(join(ROOT, 'suites/models.yaml'), 'utf8');
    expect(base).toContain(HAS);
    const arnModel = `  - id: ${ARN}\n    family: openai-gpt-oss\n    source: llama-stack/models-us-east-2\n    regions: [us-east-2]\n`;
    file = join(dir, 'arn.yaml');
    await writeFile(file, `${base.replace(HAS, `models: [openai.gpt-6-sol, openai.gpt-6-luna, "${ARN}"]`).trimEnd()}\n${arnModel}`);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints the id unchanged, in line with the other rows, and names it unchanged in a surface claim', async () => {
    const result = await cli(['catalog', '--catalog', file]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    const row = lines.find((line) => line.startsWith('arn:'));
    expect(row).toBeDefined();
    // The first word is the id a user copies (`awk '{print $1}'`), byte for byte.
    expect(row!.split(/\s+/)[0]).toBe(ARN);
    expect(row).not.toContain('\u200b');
    // Its family starts in the same column as every other row's: the padding counts what is written.
    const familyAt = (line: string) => line.search(/ {2}\S/) + 2;
    const first = lines[0]!;
    expect(first).toMatch(/^anthropic\.claude-opus-4-7 /);
    expect(familyAt(row!)).toBe(familyAt(first));
    expect(row!.slice(familyAt(row!))).toMatch(/^openai-gpt-oss /);
    // The surface line names the catalog's models as they are.
    expect(result.stdout).toContain(`for openai.gpt-6-sol, openai.gpt-6-luna, ${ARN})`);
    // The id the table printed is one `run --models` takes (it refused the id with a zero-width space, exit 2).
    const run = await cli(['run', '--catalog', file, '--models', row!.split(/\s+/)[0]!, '--checks', 'models.listed', '--report-dir', join(dir, 'run')]);
    expect(run.stderr).not.toContain('--models:');
    expect(run.code).not.toBe(2);
  });
});
