/**
 * What a loader says about a file that may hold keys. A file that is not YAML (an INI file, a `.pypirc`, AWS
 * credentials written with `:`) had every token quoted in its syntax errors, and Bedrock's short-term key
 * (`bedrock-api-key-...`), a PyPI token and an AWS secret access key were no key shape: all three were printed. A
 * warning (`validate`) or a finding (`catalog --check`) skipped the net altogether. The other way round, any word
 * starting `xai-`, `sk-`, `hf_` counted as a key, so an id one slip from this product's own (`xai-grok-4.3`) was
 * hidden and its "did you mean" dropped.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayBeSecret } from '../src/key-shapes.ts';
import { cli, ROOT } from './helpers/harness.ts';

const BEDROCK = 'bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29tLz9BY3Rpb249Q2FsbFdpdGhCZWFyZXJUb2tlbiZYLUFtei1BbGdvcml0aG09QVdTNC1ITUFD';
const PYPI = 'pypi-AgEIcHlwaS5vcmcCJGI4YjZkNmE3LWNkZGQtNGEwYi1iNDE0LWQ4MzUxYmZmNWE1ZgACKlszLCJmMGQ4ZTY1NC1hYjQ0LTQ';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const HEX_ID = 'deadbeefdeadbeef00';
/** A key of no known shape: only knowing it is the run's own keeps it out. */
const OWN = 'abskqmvkcm9ja0fqsuteks1zzwnyzxq';
const SECRETS = [BEDROCK, PYPI, AWS_SECRET, 'AKIAIOSFODNN7EXAMPLE', HEX_ID, OWN];
const leaks = (text: string) => SECRETS.filter((secret) => text.includes(secret) || text.includes(secret.slice(0, 24)));

let dir: string;
const file = (name: string) => join(dir, name);
/** The bundled catalog with the first model of a surface `has:` claim (line 98) replaced by `id`. */
const withClaimModel = async (name: string, id: string) => {
  const text = await readFile(join(ROOT, 'suites/models.yaml'), 'utf8');
  const changed = text.replace('models: [openai.gpt-6-sol, openai.gpt-6-luna]', `models: [${id}, openai.gpt-6-luna]`);
  expect(changed).not.toBe(text);
  await writeFile(file(name), changed);
  return file(name);
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-'));
  await writeFile(file('bk.ini'), `[default]\nregion: us-east-1\nbedrock_key: ${BEDROCK}\n`);
  await writeFile(file('pypirc'), `[distutils]\nindex-servers = pypi\n\n[pypi]\nusername: __token__\npassword: ${PYPI}\n`);
  await writeFile(file('creds'), `[default]\naws_access_key_id: AKIAIOSFODNN7EXAMPLE\naws_secret_access_key: ${AWS_SECRET}\n`);
  await writeFile(file('header.yaml'), `catalog: mantle\nk: |${'sk-proj-'}${'a1B2'.repeat(8)}\n  x\n`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a file that is not YAML quotes none of its keys', () => {
  it.each([
    ['--expectations', 'bk.ini', 'HARNESS_EXPECTATIONS_INVALID'],
    ['--catalog', 'pypirc', 'HARNESS_CATALOG_INVALID'],
    ['--catalog', 'creds', 'HARNESS_CATALOG_INVALID'],
  ])('validate %s %s: the syntax errors say each key by its length', async (flag, name, code) => {
    const { code: exit, stderr } = await cli(['validate', flag, file(name)], { AWS_BEARER_TOKEN_BEDROCK: '' });
    expect(exit).toBe(2);
    expect(stderr).toContain(code);
    expect(stderr).toMatch(/Unexpected scalar token in YAML stream: a string of \d+ characters \(not shown: it may be a secret\)/);
    expect(leaks(stderr)).toEqual([]);
    // What is not a key is quoted as before.
    expect(stderr).toMatch(/Unexpected scalar token in YAML stream: "(?:us-east-1|__token__|aws_secret_access_key)"/);
  });

  it('a token yaml names unquoted is cut off when it may be a key', async () => {
    const { code, stderr } = await cli(['validate', '--catalog', file('header.yaml')]);
    expect(code).toBe(2);
    expect(stderr).toContain('header.yaml:2:5 Block scalar header includes extra characters (the text it names is not shown: it may be a secret)');
    expect(stderr).not.toContain('sk-proj-');
  });
});

describe('warnings and findings pass the same net as problems', () => {
  it('validate: a claim model id that is a hex run, or the run\'s own key, is said by its length', async () => {
    const hex = await cli(['validate', '--catalog', await withClaimModel('hex.yaml', HEX_ID)], { AWS_BEARER_TOKEN_BEDROCK: '' });
    expect(hex.code).toBe(0);
    expect(hex.stderr).toContain(`hex.yaml:98:106 unknown model a string of ${HEX_ID.length} characters (not shown: it may be a secret): not in the catalog's models`);
    const own = await cli(['validate', '--catalog', await withClaimModel('own.yaml', OWN)], { AWS_BEARER_TOKEN_BEDROCK: OWN });
    expect(own.stderr).toContain(`unknown model a string of ${OWN.length} characters (not shown: it may be a secret)`);
    expect(leaks(hex.stderr + own.stderr)).toEqual([]);
  });

  it('catalog --check: the same id is a finding said by its length', async () => {
    const { code, stdout, stderr } = await cli(['catalog', '--check', '--catalog', await withClaimModel('check.yaml', HEX_ID)], { AWS_BEARER_TOKEN_BEDROCK: '' });
    expect(code).toBe(1);
    expect(stdout).toContain(`unknown model a string of ${HEX_ID.length} characters (not shown: it may be a secret)`);
    expect(leaks(stdout + stderr)).toEqual([]);
  });
});

describe('an id that only starts as a key does is quoted, with its "did you mean"', () => {
  it('a claim model xai-grok-4.3 (this product\'s id is xai.grok-4.3)', async () => {
    const { code, stderr } = await cli(['validate', '--catalog', await withClaimModel('xai.yaml', 'xai-grok-4.3')]);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown model "xai-grok-4.3" (did you mean "xai.grok-4.3"?)');
  });

  it('an expectations check sk-stream.chat-completions', async () => {
    await writeFile(file('sk.yaml'), 'expectations: mantle\nmodels:\n  xai.grok-4.3:\n    sk-stream.chat-completions: { observed: string, reason: x }\n');
    const { code, stderr } = await cli(['validate', '--expectations', file('sk.yaml')]);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown check "sk-stream.chat-completions" (did you mean "stream.chat-completions"?)');
  });

  it('the rule: a vendor prefix is a key with 20 key characters after it; Bedrock, PyPI and AWS secret keys are shapes', () => {
    for (const key of [BEDROCK, PYPI, AWS_SECRET, `xai-${'Ab3'.repeat(27)}`, `hf_${'QbZkTrWmXn'.repeat(3)}abcd`, `sk-${'0123456789abcdef'.repeat(2)}`, 'glpat-Xq3vR8mT2pL9wK4nB7cY']) {
      expect([key, mayBeSecret(key, {})]).toEqual([key, true]);
    }
    for (const id of ['xai-grok-4.3', 'xai-grok-4-6', 'sk-stream.chat-completions', 'hf_abcdef', 'sk_live_abc', 'pypi-upload', 'suites/openai/chat-completions.suite.yaml']) {
      expect([id, mayBeSecret(id, {})]).toEqual([id, false]);
    }
  });
});
