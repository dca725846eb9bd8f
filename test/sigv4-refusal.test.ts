/**
 * SigV4 refusals whose AWS words name their cause (hostile review of auth, finding 5): a signature scoped to the
 * wrong region (a --region problem), "Signature expired" / "Signature not yet current" (this machine's clock) and an
 * expired session token (refresh the session) all said "Check the sigv4 credentials", at the credentials check and
 * when the run stopped mid-way. Each now says its own fix; any other refusal keeps the generic one.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sigv4Refusal } from '../src/cli/sigv4-refusal.ts';
import { cli } from './helpers/harness.ts';

/** Fake credentials in the environment: the source the expired-session fix names. */
const ENV = {
  AWS_ACCESS_KEY_ID: 'AKIAFXSIGMSG00000001',
  AWS_SECRET_ACCESS_KEY: 'fxSigmsgFakeSecret/0123456789abcdefghijklmn',
  AWS_SESSION_TOKEN: 'fxSigmsgFakeSessionToken0123456789abcdefghijklmnop',
  AWS_PROFILE: '',
  AWS_CONFIG_FILE: '/nonexistent/mantle-conformance/config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/mantle-conformance/credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_BEARER_TOKEN_BEDROCK: '',
};

const REGION = 'Credential should be scoped to a valid region. ';
const BEHIND = 'Signature expired: 20261206T100000Z is now earlier than 20261206T101500Z (20261206T102000Z - 5 min.)';
const AHEAD = 'Signature not yet current: 20261206T110000Z is still later than 20261206T105500Z (20261206T105000Z + 5 min.)';
const EXPIRED = 'The security token included in the request is expired';
const MISMATCH = 'The request signature we calculated does not match the signature you provided.';

/**
 * A Mantle-like endpoint on 127.0.0.1:0 that answers 403 `{"message": said}` (AWS's shape) to every request after the
 * first `after`; before that, the model list and a chat completion for m1.
 */
async function refusing(said: string, after = 0): Promise<{ url: string; server: Server }> {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (++n > after) {
        res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'ExpiredTokenException' });
        res.end(JSON.stringify({ message: said }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.method === 'GET') res.end(JSON.stringify({ object: 'list', data: [{ id: 'm1', object: 'model', created: 1, owned_by: 'x' }] }));
      else res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model: 'm1', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let dir: string;
let runs = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-sigv4-refusal-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A sigv4 run for us-west-2 against an endpoint refusing with `said` after `after` requests: its exit code and stderr. */
async function run(said: string, after = 0, extra: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  const { url, server } = await refusing(said, after);
  try {
    const result = await cli(['run', '--mode', 'live', '--auth', 'sigv4', '--endpoint', url, '--region', 'us-west-2', '--models', 'm1', '--checks', 'api.*', '--report-dir', join(dir, `r${++runs}`), '--plain', '--quiet'], { ...ENV, ...extra });
    return { code: result.code, stderr: result.stderr };
  } finally {
    // The harness's client keeps its connections open: closed here, or close() waits for them to idle out.
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('at the credentials check', () => {
  it('a signature scoped to the wrong region: says --region and the region signed for, not the credentials', async () => {
    const { code, stderr } = await run(REGION);
    expect(code).toBe(2);
    expect(stderr).toContain('The endpoint is in another region (not the credentials): this run signed for us-west-2; give --region the region the endpoint is in');
    expect(stderr).not.toContain('Check the sigv4 credentials');
  });

  it('"Signature expired": this machine\'s clock, with the skew the answer shows (20 min behind)', async () => {
    const { code, stderr } = await run(BEHIND);
    expect(code).toBe(2);
    expect(stderr).toContain("This machine's clock is about 20 min behind AWS's");
    expect(stderr).not.toContain('Check the sigv4 credentials');
  });

  it('an expired session token: refresh the session credentials, naming where they came from (the environment)', async () => {
    const { code, stderr } = await run(EXPIRED);
    expect(code).toBe(2);
    expect(stderr).toContain('The session credentials from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) expired: refresh them');
    expect(stderr).not.toContain('Check the sigv4 credentials');
  });

  it('any other refusal keeps the generic fix', async () => {
    const { code, stderr } = await run(MISMATCH);
    expect(code).toBe(2);
    expect(stderr).toContain('Check the sigv4 credentials; nothing else was sent.');
  });
});

describe('mid-run', () => {
  it('an expired session token after the run began: the stop says to refresh, not to check the credentials', async () => {
    const { code, stderr } = await run(EXPIRED, 2);
    expect(code).toBe(2);
    expect(stderr).toContain('The run stopped; the session credentials from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) expired: refresh them');
    expect(stderr).not.toContain('check the sigv4 credentials');
  });

  it('a clock refusal after the run began: the stop says the clock', async () => {
    const { code, stderr } = await run(AHEAD, 2);
    expect(code).toBe(2);
    expect(stderr).toContain("The run stopped; this machine's clock is about 10 min ahead of AWS's");
  });
});

describe('sigv4Refusal', () => {
  it('names the profile of an expired session, and reads nothing of another --auth', () => {
    expect(sigv4Refusal({ kind: 'sigv4', profile: 'ci' }, EXPIRED, ['us-west-2'], {})).toContain('the session credentials from profile ci (--profile) expired: refresh them (aws sso login --profile ci');
    expect(sigv4Refusal({ kind: 'sigv4' }, 'ExpiredTokenException', [], { AWS_PROFILE: 'dev' })).toContain('from profile dev (AWS_PROFILE)');
    expect(sigv4Refusal({ kind: 'bearer' }, EXPIRED, [], {})).toBeUndefined();
    expect(sigv4Refusal({ kind: 'sigv4' }, MISMATCH, ['us-west-2'], {})).toBeUndefined();
  });

  it('a clock refusal without the times still says the clock; the fix holds none of the endpoint\'s words', () => {
    const fix = sigv4Refusal({ kind: 'sigv4' }, 'Signature expired <script>', ['us-east-1'], {});
    expect(fix).toContain("this machine's clock is off from AWS's");
    expect(fix).not.toContain('<script>');
  });
});
