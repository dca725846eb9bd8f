/**
 * A fixture says which model and case it records; replay read it by its path only (hostile review of recording,
 * 2026-12-05): a file copied from another model's folder was judged as this model's, and one naming a case such as
 * `../../../etc/passwd` was used. A recording of another model or case is refused, naming both.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { ROOT, cli } from './helpers/harness.ts';

const MODEL = 'openai.gpt-oss-20b';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fixture-identity-'));
  await cp(join(ROOT, 'fixtures', 'emulator', MODEL), join(dir, 'fixtures', 'emulator', MODEL), { recursive: true });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function edit(field: 'model' | 'case', value: string): Promise<Matrix['results'][number]> {
  const file = join(dir, 'fixtures', 'emulator', MODEL, 'probe.chat.json');
  const original = await readFile(join(ROOT, 'fixtures', 'emulator', MODEL, 'probe.chat.json'), 'utf8');
  await writeFile(file, original.replace(new RegExp(`"${field}": "[^"]*"`), `"${field}": ${JSON.stringify(value)}`));
  const run = await cli(['run', MODEL, '--fixtures', join(dir, 'fixtures'), '--targets', 'mantle:emulator', '--checks', 'api.chat-completions', '--report-dir', join(dir, `r-${field}`), '--quiet']);
  const matrix = JSON.parse(await readFile(join(dir, `r-${field}`, 'matrix.json'), 'utf8')) as Matrix;
  expect(run.code).not.toBe(0);
  return matrix.results.find((r) => r.check === 'api.chat-completions' && r.model === MODEL)!;
}

describe('a fixture of another model or case', () => {
  it('is refused, naming what it records and what its path names', async () => {
    const model = await edit('model', 'openai.gpt-oss-120b');
    expect(model.status, model.reason).toBe("error");
    expect(model.reason).toContain('records model "openai.gpt-oss-120b", not the model openai.gpt-oss-20b its path names');
    const caseId = await edit('case', '../../../etc/passwd');
    expect(caseId.status).toBe('error');
    expect(caseId.reason).toContain('records case "../../../etc/passwd", not the case probe.chat its path names');
  });
});
