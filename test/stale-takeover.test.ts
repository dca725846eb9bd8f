/**
 * A record run that would replace a recording of another --suites folder that is there now reads that folder's
 * suites: a case it no longer has is its stale recording, taken over with a one-line note; a case both have is
 * refused as "both have"; a folder whose suites do not load stays refused, without claiming it has the case.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEmulator, cli, ROOT } from './helpers/harness.ts';
import { tinySuiteText } from './helpers/tiny-suite.ts';

const KEY = { AWS_BEARER_TOKEN_BEDROCK: 'px-g9-takeover-0123456789' };
const MODEL = 'qwen.qwen3-32b';
let dir: string;
let fx: string;
let emulator: Awaited<ReturnType<typeof catalogEmulator>>;

async function suitesWith(name: string, ids: string[]): Promise<string> {
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'cases.suite.yaml'), tinySuiteText(name, ids));
  return folder;
}
const record = (suites: string) =>
  cli(['run', '--mode', 'record', '--endpoint', emulator.url, '--target-name', 'local', '--models', MODEL, '--catalog', join(ROOT, 'suites', 'models.yaml'), '--suites', suites, '--fixtures', fx, '--report-dir', join(dir, 'reports'), '--quiet'], KEY, dir);
const labelOf = async (id: string) => (JSON.parse(await readFile(join(fx, 'local', MODEL, `${id}.json`), 'utf8')) as { provenance: { suites: string } }).provenance.suites;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'takeover-'));
  fx = join(dir, 'fx');
  emulator = await catalogEmulator({}, { apiKey: KEY.AWS_BEARER_TOKEN_BEDROCK });
}, 30_000);
afterAll(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a record run over another existing folder\'s recording', () => {
  it('takes over a case that folder dropped (one note), refuses one both have, and does not say "both have" when that folder does not load', async () => {
    const a = await suitesWith('suites-a', ['x.keep', 'x.drop']);
    expect((await record(a)).code).toBe(0);
    expect(await labelOf('x.drop')).toBe('../suites-a');
    await suitesWith('suites-a', ['x.keep']);

    const c = await record(await suitesWith('suites-c', ['x.drop']));
    expect(c.code, c.stderr).toBe(0);
    const notes = c.stderr.split('\n').filter((l) => l.includes('taken over'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('no longer has their cases');
    expect(notes[0]).toContain('x.drop.json');
    expect(c.stderr).not.toContain('both have');
    expect(await labelOf('x.drop')).toBe('../suites-c');

    const d = await record(await suitesWith('suites-d', ['x.keep']));
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('both have their case ids');
    expect(await labelOf('x.keep')).toBe('../suites-a');

    await writeFile(join(a, 'cases.suite.yaml'), 'suite: [broken\n');
    const e = await record(await suitesWith('suites-e', ['x.keep']));
    expect(e.code).toBe(2);
    expect(e.stderr).not.toContain('both have');
    expect(e.stderr).toContain("that folder's suites do not load");
    expect(await labelOf('x.keep')).toBe('../suites-a');
  }, 90_000);
});
