/**
 * Credentials that are not the run's own but have a shape their vendor fixed are redacted, and the scan before a
 * fixture is written refuses them: a long-term Amazon Bedrock API key (`ABSK` + base64 of `BedrockAPIKey-...`, the
 * tool's default credential), Anthropic keys (`sk-ant-api03-`, `sk-ant-admin01-`) and OpenAI project, service-account
 * and admin keys, as a gateway's error echoes its upstream's key. Model text and ids that only mention the prefixes
 * stay as they are.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../src/transport/redactor.ts';
import { scanForSecrets } from '../src/transport/secret-scan.ts';
import { allText, cli } from './helpers/harness.ts';

// A long-term key is `ABSK` and base64 of `BedrockAPIKey-<id>-at-<account>:<secret>`.
const ABSK = `ABSK${Buffer.from('BedrockAPIKey-up5t-at-123456789012:upstreamsecret9876543210abcdefghij=').toString('base64')}`;
const ANTHROPIC = `sk-ant-api03-${'Up5tr3amK3yV4lu3_x-9'.repeat(4)}AbCdEfGhIjKlMnOp-AA`;
const ANTHROPIC_ADMIN = `sk-ant-admin01-${'Adm1nK3yV4lu3_x-9Zq'.repeat(4)}QrStUvWxYz0123-AA`;
const OPENAI_PROJECT = `sk-proj-${'Pr0jK3yV4lu3_x-9Zq8T'.repeat(3)}T3BlbkFJ${'AbCdEfGhIjKlMnOpQrSt'.repeat(2)}`;
const OPENAI_SERVICE = `sk-svcacct-${'SvcK3yV4lu3_x-9Zq8T3'.repeat(3)}T3BlbkFJ${'AbCdEfGhIjKlMnOpQrSt'.repeat(2)}`;
const OPENAI_LEGACY = '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';

describe('credential shapes their vendors fixed', () => {
  it.each([
    ['a long-term Bedrock API key', ABSK, 'bedrock-api-key', 'a Bedrock API key'],
    ['a long-term Bedrock API key, cut short', ABSK.slice(0, 40), 'bedrock-api-key', 'a Bedrock API key'],
    ['an Anthropic API key', ANTHROPIC, 'anthropic-api-key', 'an Anthropic API key'],
    ['an Anthropic admin key', ANTHROPIC_ADMIN, 'anthropic-api-key', 'an Anthropic API key'],
    ['an OpenAI project key', OPENAI_PROJECT, 'openai-api-key', 'an OpenAI API key'],
    ['an OpenAI service account key', OPENAI_SERVICE, 'openai-api-key', 'an OpenAI API key'],
    ['an older OpenAI key', OPENAI_LEGACY, 'openai-api-key', 'an OpenAI API key'],
  ])('%s that is not the run\'s own: redacted, and refused by the scan', (_name, key, kind, description) => {
    // A gateway's 500 that dumps the headers it sent upstream (JSON inside JSON).
    const text = JSON.stringify({ error: { message: `upstream failed: headers=${JSON.stringify({ Authorization: key, 'x-api-key': key })}` } });
    expect(scanForSecrets(text)).toEqual([description]);
    const { value, count } = new Redactor().text(text);
    expect(count).toBe(2);
    expect(value).not.toContain(key.slice(0, 30).slice(-12));
    expect(value.split(`[REDACTED:${kind}]`)).toHaveLength(3);
    expect(scanForSecrets(value)).toEqual([]);
    expect(new Redactor().text(value).value).toBe(value);
  });

  it.each([
    ['model text naming the prefixes', 'Anthropic keys start with sk-ant-api03- and OpenAI project keys with sk-proj-; Bedrock long-term keys with ABSK.'],
    ['model ids and a task id', '{"data":[{"id":"anthropic.claude-sonnet-4-5"},{"id":"openai.gpt-oss-120b"},{"id":"task-proj-2024-summary-writer-v2"}]}'],
    ['words that start alike', 'ABSKETCHES of a skeleton: ask-proj-alpha-beta-gamma-delta-epsilon, risk-ant-api03-notakey'],
    ['a short placeholder of a key', 'export ANTHROPIC_API_KEY=sk-ant-api03-... and OPENAI_API_KEY=sk-proj-...'],
  ])('leaves %s alone', (_name, text) => {
    expect(new Redactor().text(text)).toEqual({ value: text, count: 0 });
    expect(scanForSecrets(text)).toEqual([]);
  });
});

describe('a record run against a gateway whose error echoes its upstream keys', () => {
  let dir: string;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'credential-shapes-'));
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url?.includes('/models')) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'gw-model', object: 'model' }] }));
        const headers = JSON.stringify({ Authorization: ABSK, 'x-api-key': ANTHROPIC, 'openai-key': OPENAI_PROJECT });
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `upstream call failed: headers=${headers}`, type: 'server_error' } }));
      });
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((closed) => server.close(closed));
    await rm(dir, { recursive: true, force: true });
  });

  it('stores none of them: what fixtures it writes hold placeholders, and reports and console say nothing of them', async () => {
    const fixtures = join(dir, 'fixtures');
    const reports = join(dir, 'reports');
    const result = await cli(['run', '--mode', 'record', '--overwrite-failures', '--retries', '0', '--fixtures', fixtures, '--report-dir', reports, '--endpoint', url, '--surface', 'custom', '--models', 'gw-model', '--checks', 'answer.non-empty', '--plain'], { AWS_BEARER_TOKEN_BEDROCK: 'gw-own-key-0123456789abcdef' });
    expect(result.stderr).not.toContain('HARNESS_SECRET_IN_FIXTURE');
    const written = (await allText(fixtures)) + (await allText(reports));
    expect(await readdir(fixtures, { recursive: true })).not.toEqual([]);
    for (const text of [written, result.stdout + result.stderr]) {
      for (const key of [ABSK, ANTHROPIC, OPENAI_PROJECT]) expect(text).not.toContain(key.slice(0, 40).slice(-16));
      expect(scanForSecrets(text)).toEqual([]);
    }
  }, 60_000);
});
