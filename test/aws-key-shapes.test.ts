/**
 * AWS credentials the loaders still quoted whole (third review): an AWS secret access key with no `/` or `+` (about
 * one in four: 40 random base64 characters have neither 28% of the time) and an STS session token (hundreds of
 * base64 characters, no hex run) were no key shape, so a `~/.aws/credentials` written with `:` or an expectations
 * value holding one printed it. The other way round, nothing the bundled suites, catalog and expectations hold may
 * become a key shape: their ids, paths and URLs stay quoted.
 */
import { readdir, readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayBeSecret } from '../src/key-shapes.ts';
import { cli, ROOT } from './helpers/harness.ts';

/** A secret access key with neither `/` nor `+`. */
const SECRET = 'U8JZpDE0iGXlD6gNCFbaEPFjbD0kH8Oool8DklZD';
const bytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 73 + seed * 31 + ((i * i) % 7)) % 256));
/** An STS session token's shape: its fixed start, then base64. */
const TOKEN = `IQoJb3JpZ2luX2VjE${bytes(600, 1).toString('base64')}`;
const OLD_TOKEN = `FwoGZXIvYXdzE${bytes(300, 2).toString('base64')}`;
const NO_ENV = { AWS_BEARER_TOKEN_BEDROCK: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '' };
const leaks = (text: string) => [SECRET, TOKEN].filter((secret) => text.includes(secret.slice(0, 24)) || text.includes(secret.slice(-24)));

describe('AWS key shapes', () => {
  it('a secret access key with or without / and +, and session tokens, may be secrets', () => {
    for (const text of [SECRET, `aws_secret_access_key: ${SECRET}`, 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', TOKEN, OLD_TOKEN, `token=${TOKEN}`, TOKEN.slice(0, 40), bytes(75, 3).toString('base64')]) {
      expect(mayBeSecret(text, {}), text.slice(0, 40)).toBe(true);
    }
  });

  it('ids, words, paths and URLs stay shown', () => {
    const shown = [
      'xai.grok-4.3', 'openai.gpt-oss-20b', 'created-at.chat', 'reasoning.chat-field', 'aws_secret_access_key',
      'abcdefghijklmnopqrstuvwxyzabcdefghijklmn', 'ThisIsACamelCaseIdentifierOfFortyLetters', 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn',
      '/home/runner/work/mantle-conformance/suites/reasoning.suite.yaml', 'https://bedrock-mantle.us-east-1.api.aws/v1/chat/completions',
      'What is 17 + 25? Answer with the number only.',
    ];
    for (const text of shown) expect(mayBeSecret(text, {}), text).toBe(false);
  });

  it('no string the bundled suites, catalog and expectations hold is a key shape', async () => {
    const found: string[] = [];
    const walk = (value: unknown): void => {
      if (typeof value === 'string') {
        if (mayBeSecret(value, {})) found.push(value);
      } else if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          if (mayBeSecret(key, {})) found.push(key);
          walk(inner);
        }
      }
    };
    const files = (await readdir(join(ROOT, 'suites'))).filter((name) => name.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(10);
    for (const name of files) for (const doc of parseAllDocuments(await readFile(join(ROOT, 'suites', name), 'utf8'))) walk(doc.toJS());
    expect(found).toEqual([]);
  });
});

describe('validate quotes no AWS credential', () => {
  let dir: string;
  const file = (name: string) => join(dir, name);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-'));
    await writeFile(file('creds-colon'), `[default]\naws_access_key_id: ASIAQ3EGZ7VXEXAMPLE1\naws_secret_access_key: ${SECRET}\naws_session_token: ${TOKEN}\n`);
    await writeFile(file('value.yaml'), `expectations: mantle\nmodels:\n  xai.grok-4.3:\n    created-at.chat: { observed: ${TOKEN} }\n    created-at.responses: { observed: ${SECRET} }\n  openai.gpt-oss-20b:\n    created-at.chat: { observed: integr }\n`);
    await writeFile(file('catalog.yaml'), `expectations: ${TOKEN}\nmodels: {}\n`);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('credentials written with `:`: each key said by its length, the names quoted', async () => {
    const { code, stdout, stderr } = await cli(['validate', '--expectations', file('creds-colon')], NO_ENV);
    expect(code).toBe(2);
    expect(stderr).toContain(`creds-colon:3:24 Unexpected scalar token in YAML stream: a string of ${SECRET.length} characters (not shown: it may be a secret)`);
    expect(stderr).toContain(`creds-colon:4:20 Unexpected scalar token in YAML stream: a string of ${TOKEN.length} characters (not shown: it may be a secret)`);
    expect(stderr).toContain('Unexpected scalar token in YAML stream: "aws_session_token"');
    expect(leaks(stdout + stderr)).toEqual([]);
  });

  it('an expectations value or catalog name holding one: said by its length; an ordinary value still quoted', async () => {
    const value = await cli(['validate', '--expectations', file('value.yaml')], NO_ENV);
    expect(value.code).toBe(2);
    expect(value.stderr).toContain(`value.yaml:4:5 created-at.chat: a string of ${TOKEN.length} characters (not shown: it may be a secret)`);
    expect(value.stderr).toContain(`value.yaml:5:5 created-at.responses: a string of ${SECRET.length} characters (not shown: it may be a secret)`);
    expect(value.stderr).toContain('value.yaml:7:5 created-at.chat: "integr" is not one of');
    const catalog = await cli(['validate', '--expectations', file('catalog.yaml')], NO_ENV);
    expect(catalog.code).toBe(2);
    expect(catalog.stderr).toContain(`expectations: this file is for catalog a string of ${TOKEN.length} characters (not shown: it may be a secret)`);
    expect(leaks(value.stdout + value.stderr + catalog.stdout + catalog.stderr)).toEqual([]);
  });
});
