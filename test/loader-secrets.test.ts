/**
 * A suite, catalog or expectations file named by mistake (a `.env`, `~/.aws/credentials`) was quoted back whole in
 * its error: "(top level): must be an object (got string "AWS_BEARER_TOKEN_BEDROCK=ABSK...")", the run's own key
 * in a CI log. A top level that is no mapping is said as what it is, and a quoted value that looks like a key, or
 * holds the value of a variable the run reads a key from, is said by its length.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayBeSecret } from '../src/key-shapes.ts';
import { cli, ROOT } from './helpers/harness.ts';

const ABSK = 'ABSKQmVkcm9ja0FQSUtleS1zZWNyZXRzZWNyZXQxMjM0NTY3ODkw';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
/** A key of no known shape: only knowing it is the run's own keeps it out. */
const PLAIN_KEY = 'zzQ9x7Lp0Qm2Vt8Rw4Ys6Nb1Kc3Jd5Hf';
let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-'));
  await writeFile(file('dot.env'), `AWS_BEARER_TOKEN_BEDROCK=${ABSK}\n`);
  await writeFile(file('credentials'), `aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${AWS_SECRET}\n`);
  await writeFile(file('list.yaml'), '- a\n- b\n- c\n');
  await writeFile(file('nested.yaml'), `catalog: mantle\nmodels: ${ABSK}\n`);
  await writeFile(file('plain-key.yaml'), `catalog: mantle\nmodels: ${PLAIN_KEY}\n`);
  await writeFile(file('words.yaml'), 'catalog: mantle\nmodels: just-words\n');
  await mkdir(file('suites'));
  await writeFile(file('suites/x.suite.yaml'), `OPENAI_API_KEY=sk-proj-${'a1B2'.repeat(12)}\n`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const leaks = (text: string) => [ABSK, AWS_SECRET, PLAIN_KEY, 'AKIAIOSFODNN7EXAMPLE', 'sk-proj-'].filter((secret) => text.includes(secret));

describe('a file that is no mapping at its top level is not quoted', () => {
  it.each([
    ['validate --catalog', (f: string) => ['validate', '--catalog', f], 'HARNESS_CATALOG_INVALID'],
    ['validate --expectations', (f: string) => ['validate', '--expectations', f], 'HARNESS_EXPECTATIONS_INVALID'],
  ])('%s of a .env and of AWS credentials: what it is, and the question, never its text', async (_name, args, code) => {
    for (const name of ['dot.env', 'credentials']) {
      const { code: exit, stderr } = await cli(args(file(name)), { AWS_BEARER_TOKEN_BEDROCK: ABSK });
      expect(exit).toBe(2);
      expect(stderr).toContain(code);
      expect(stderr).toMatch(/\(top level\): the file is a plain text of \d+ characters, not a mapping of fields; is this the right file\?/);
      expect(leaks(stderr)).toEqual([]);
    }
  });

  it('run --mode live --catalog .env: the run\'s own key stays out, and nothing is sent', async () => {
    const { code, stderr } = await cli(['run', '--mode', 'live', '--endpoint', 'http://127.0.0.1:43199', '--surface', 'mantle', '--catalog', file('dot.env'), '--report-dir', file('r')], { AWS_BEARER_TOKEN_BEDROCK: ABSK });
    expect(code).toBe(2);
    expect(stderr).toContain('the file is a plain text of');
    expect(leaks(stderr)).toEqual([]);
  });

  it('emulator --catalog .env', async () => {
    const { code, stderr } = await cli(['emulator', '--port', '0', '--catalog', file('dot.env')], { AWS_BEARER_TOKEN_BEDROCK: ABSK });
    expect(code).toBe(2);
    expect(leaks(stderr)).toEqual([]);
  });

  it('a suite file that is a .env line', async () => {
    const { code, stderr } = await cli(['validate', '--suites', file('suites')]);
    expect(code).toBe(2);
    expect(stderr).toContain('x.suite.yaml:1:1 (top level): the file is a plain text of');
    expect(leaks(stderr)).toEqual([]);
  });

  it('a list says so, with its length', async () => {
    const { stderr } = await cli(['validate', '--catalog', file('list.yaml')]);
    expect(stderr).toContain('(top level): the file is a list of 3 entries, not a mapping of fields; is this the right file?');
  });
});

describe('a quoted value that may be a secret is said by its length', () => {
  it('a key nested in a mapping value', async () => {
    const { code, stderr } = await cli(['validate', '--catalog', file('nested.yaml')]);
    expect(code).toBe(2);
    expect(stderr).toContain(`models: must be an array (got a string of ${ABSK.length} characters (not shown: it may be a secret))`);
    expect(leaks(stderr)).toEqual([]);
  });

  it('a value of no key shape is withheld when it is the run\'s own key (AWS_BEARER_TOKEN_BEDROCK, or the variable --api-key-env names)', async () => {
    const own = await cli(['validate', '--catalog', file('plain-key.yaml')], { AWS_BEARER_TOKEN_BEDROCK: PLAIN_KEY });
    expect(own.stderr).toContain(`got a string of ${PLAIN_KEY.length} characters (not shown`);
    expect(leaks(own.stderr)).toEqual([]);
    const named = await cli(['run', '--mode', 'live', '--endpoint', 'http://127.0.0.1:43199', '--surface', 'mantle', '--api-key-env', 'FXE1_GATEWAY_KEY', '--catalog', file('plain-key.yaml'), '--report-dir', file('r2')], { FXE1_GATEWAY_KEY: PLAIN_KEY, AWS_BEARER_TOKEN_BEDROCK: '' });
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('models: must be an array (got a string of');
    expect(leaks(named.stderr)).toEqual([]);
  });

  it('a message past the schema (an unknown source) withholds it too', async () => {
    const catalog = (await readFile(join(ROOT, 'suites/models.yaml'), 'utf8')).replace('source: seeds/portkey }', `source: ${ABSK} }`);
    await writeFile(file('source.yaml'), catalog);
    const { code, stderr } = await cli(['validate', '--catalog', file('source.yaml')]);
    expect(code).toBe(2);
    expect(stderr).toContain(`unknown source a string of ${ABSK.length} characters (not shown: it may be a secret); add it under sources:`);
    expect(leaks(stderr)).toEqual([]);
  });

  it('any other value is quoted as before', async () => {
    const { stderr } = await cli(['validate', '--catalog', file('words.yaml')], { AWS_BEARER_TOKEN_BEDROCK: ABSK });
    expect(stderr).toContain('models: must be an array (got string "just-words")');
    const plain = await cli(['validate', '--catalog', file('plain-key.yaml')], { AWS_BEARER_TOKEN_BEDROCK: '' });
    expect(plain.stderr).toContain(`(got string "${PLAIN_KEY}")`);
  });

  it('the rule: a known key start or a hex run anywhere in a word, or the run\'s own value', () => {
    expect(mayBeSecret(`KEY=${ABSK}`, {})).toBe(true);
    expect(mayBeSecret('id = AKIAIOSFODNN7EXAMPLE', {})).toBe(true);
    expect(mayBeSecret('0123456789abcdef0123', {})).toBe(true);
    expect(mayBeSecret(`x ${PLAIN_KEY} y`, { AWS_BEARER_TOKEN_BEDROCK: PLAIN_KEY })).toBe(true);
    expect(mayBeSecret(`x ${PLAIN_KEY} y`, {})).toBe(false);
    expect(mayBeSecret('anthropic.claude-opus-4-7', {})).toBe(false);
    expect(mayBeSecret('AWS_BEARER_TOKEN_BEDROCK', {})).toBe(false);
  });
});
