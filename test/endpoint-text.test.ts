/**
 * Endpoint text is data, and reports are bounded by cells: against a local server whose every answer is an error
 * message holding `::error::` commands, ANSI/OSC escapes, newlines, `|` and U+FFFF, a live run leaves no forged
 * line on stdout, in the step summary or in matrix.html and writes a junit.xml an XML parser accepts; with an error message larger
 * than that bound on every answer (2.5 MiB), matrix.json stays under 2 MiB for the bundled suite.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';

const FORGED = '::error title=Forged::gate: pass (exit 0)\n::add-mask::x\n##[error]legacy\n\u001b[2J\u001b]0;pwned\u0007\u001b[31mred\n| a | b |\ngate: pass (exit 0)\uffff\ufffe';

/** A server that answers GET /v1/models (the preflight) and every other request with a 400 carrying `message`. */
function hostileServer(message: string): Promise<{ url: string; server: Server }> {
  const body = JSON.stringify({ error: { message, type: 'invalid_request_error', code: 'bad' } });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[]}');
        return;
      }
      res.writeHead(400, { 'content-type': 'application/json', 'x-request-id': 'req::error::x' }).end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'endpoint-text-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const run = (url: string, reports: string, summary: string, extra: string[] = []) =>
  cli(['run', '--mode', 'live', '--endpoint', url, '--auth', 'none', '--models', 'xai.grok-4.3', '--retries', '0', '--report-dir', reports, '--plain', ...extra], { GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: 'true' });

/**
 * Every check family but schema.*: validating 6 MB error bodies against the schemas runs a worker out of memory
 * (a checks issue, reported), which says nothing about the reports' bounds.
 */
const BIG_BODY_CHECKS = ['--checks', 'path-prefix,api.*,created-at.*,content.*,defaults.*,errors.*,params.*,sdk.*'];

/**
 * The big error message: larger than the whole matrix.json may be (2 MiB), so one copy kept anywhere in it fails the
 * bound, and far below --max-body-bytes (8 MiB), so every answer reaches the checks whole. 6 MB proved no more at
 * 2.4 times the bytes to send, read, redact and cut on every answer (about 1.5 s of CPU).
 */
const BIG_MESSAGE_BYTES = 2.5 * 1024 * 1024;

describe('endpoint text reaching the console, the step summary and junit.xml', () => {
  it('forges no line, no annotation, no terminal escape; junit.xml parses', async () => {
    const { url, server } = await hostileServer(FORGED);
    const reports = join(dir, 'hostile');
    const summary = join(dir, 'summary.md');
    try {
      const result = await run(url, reports, summary);
      expect(result.code, result.stderr).toBe(1);
      for (const line of `${result.stdout}\n${result.stderr}`.split('\n')) {
        expect(line).not.toMatch(/^\s*::/);
        expect(line).not.toMatch(/^\s*##\[/);
        expect(line).not.toMatch(/[\u001b\u009b\u0007]/);
      }
      expect(result.stdout.split('\n').filter((l) => l.startsWith('gate: '))).toEqual([expect.stringMatching(/^gate: fail \(exit 1\)/)]);
      expect(result.stdout).toContain('gating: xai.grok-4.3');
      const text = await readFile(summary, 'utf8');
      expect(text).toContain('Forged');
      for (const line of text.split('\n')) {
        expect(line).not.toMatch(/^\s*::|^gate: pass|[\u001b\u0007\uffff\ufffe]/);
        // A table row stays one row: it starts and ends as a row, whatever the reason held.
        if (line.startsWith('| ')) expect(line.endsWith(' |')).toBe(true);
      }
      const junit = await readFile(join(reports, 'junit.xml'), 'utf8');
      expect(XMLValidator.validate(junit)).toBe(true);
      expect(junit).not.toMatch(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u);
      // junit.xml is printed into CI logs too (`cat`, a JUnit action echoing a failure's body): no workflow command
      // anywhere, no C1 control; the parser reads the text back whole.
      expect(junit).not.toMatch(/::|##\[|[\u0080-\u009f\u202e]/);
      expect(junit).toContain('Forged');
      expect(await readFile(join(reports, 'matrix.md'), 'utf8')).not.toMatch(/^gate: pass|^\s*::/m);
      // A page shown in a CI log (`cat matrix.html`) too: no escape sequence, no line a workflow command starts.
      const html = await readFile(join(reports, 'matrix.html'), 'utf8');
      expect(html).toContain('Forged');
      expect(html).not.toMatch(/[\u001b\u009b\u0007]|^\s*::|##\[/m);
    } finally {
      server.close();
    }
  }, 120_000);

  it('an error message larger than matrix.json may be, on every answer, keeps matrix.json under 2 MiB, a few KiB per cell', async () => {
    const { url, server } = await hostileServer(`${'E'.repeat(BIG_MESSAGE_BYTES)}${FORGED}`);
    const reports = join(dir, 'big');
    try {
      const result = await run(url, reports, join(dir, 'big-summary.md'), BIG_BODY_CHECKS);
      expect(result.code, result.stderr).toBe(1);
      const size = (await stat(join(reports, 'matrix.json'))).size;
      const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
      expect(matrix.results).toHaveLength(matrix.checks.length);
      expect(matrix.results.some((r) => /bytes more\)/.test(r.reason) || r.evidence.some((e) => /bytes more\)/.test(e.excerpt ?? '')))).toBe(true);
      expect(BIG_MESSAGE_BYTES).toBeGreaterThan(2 * 1024 * 1024);
      expect(size).toBeLessThan(2 * 1024 * 1024);
      // Per cell, well inside the stated worst case (about 23 KiB without trials).
      expect(size / matrix.results.length).toBeLessThan(23 * 1024);
      for (const file of ['junit.xml', 'matrix.html', 'matrix.md']) expect((await stat(join(reports, file))).size, file).toBeLessThan(2 * 1024 * 1024);
    } finally {
      server.close();
    }
  }, 120_000);
});

/** A server that rejects the key with `message` on every request, or (`midRun`) lists models and rejects the rest. */
function rejectingServer(message: string, midRun: boolean): Promise<{ url: string; server: Server }> {
  const body = JSON.stringify({ error: { message, type: 'authentication_error' } });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (midRun && req.method === 'GET' && req.url === '/v1/models') res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[]}');
      else res.writeHead(401, { 'content-type': 'application/json' }).end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

describe('a rejected key\'s message on the console (HARNESS_AUTH_REJECTED)', () => {
  it.each([
    { when: 'at the credentials check', midRun: false },
    { when: 'mid-run', midRun: true },
  ])('$when: one inert line, bounded, the cut marked', async ({ midRun }) => {
    const { url, server } = await rejectingServer(`bad key${FORGED}\r\n##[set-output name=x]y${'B'.repeat(5_000_000)}`, midRun);
    try {
      const result = await cli(['run', '--mode', 'live', '--endpoint', url, '--models', 'xai.grok-4.3', '--checks', 'api.chat-completions', '--retries', '0', '--report-dir', join(dir, `rejected-${midRun}`), '--plain'], { AWS_BEARER_TOKEN_BEDROCK: 'some-key-0123456789', GITHUB_ACTIONS: 'true' });
      expect(result.code).toBe(2);
      const lines = result.stderr.split('\n').filter((l) => l.includes('HARNESS_AUTH_REJECTED'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(midRun ? /answered 401: bad key/ : /GET \/v1\/models answered 401 bad key/);
      expect(lines[0]).toMatch(/bytes more\)\. (The run stopped|Check the key)/);
      expect(result.stderr.length).toBeLessThan(4_000);
      for (const line of `${result.stdout}\n${result.stderr}`.split('\n')) {
        expect(line).not.toMatch(/^\s*::|^\s*##\[|^gate: pass/);
        expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      }
    } finally {
      server.close();
    }
  }, 120_000);
});

