/**
 * Endpoint text forms no CI command in any CI's log: Azure Pipelines acts on `##vso[` and TeamCity on `##teamcity[`
 * anywhere in a line (Azure in any case), as GitHub does on its legacy `##[`. Every inert helper breaks the three as
 * it breaks `::`, and XML, HTML and JSON read the text back whole; a live run against an endpoint whose errors
 * carry them leaves none on the console, in junit.xml, matrix.html or matrix.md, nor does the emulator's request log.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestLine } from '../src/cli/emulator-command.ts';
import { tableCsv } from '../src/report/capability-formats.ts';
import { htmlText, inertLine, markdownText, visibleControls, xmlAttribute, xmlText } from '../src/report/inert-text.ts';
import { cli } from './helpers/harness.ts';

const COMMANDS = '##vso[task.setvariable variable=PATH]/tmp/evil ##VSO[task.prependpath]/tmp/evil ##teamcity[message text=x] ##[error]y';
/** A CI command any of the three CIs would act on, anywhere in a line, in any case. */
const FORMED = /##(?:vso|teamcity)?\[/i;

/** What an XML or HTML reader reads back of the character references these helpers write. */
const unreference = (s: string) =>
  s.replace(/&#(x?)([0-9a-f]+);/gi, (_m, hex: string, n: string) => String.fromCodePoint(parseInt(n, hex ? 16 : 10))).replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

describe('the inert helpers break ##vso[, ##teamcity[ and ##[ wherever they are', () => {
  it('in a console line, Markdown, XML, HTML and JSON or CSV data, and the text reads back whole where the format can', () => {
    const text = `note: ${COMMANDS}`;
    for (const out of [inertLine(text), markdownText(text), xmlText(text), xmlAttribute(text), htmlText(text), visibleControls(JSON.stringify({ text }))]) expect(out).not.toMatch(FORMED);
    expect(inertLine(text).replace(/\u200b/g, '')).toBe(text);
    expect(unreference(xmlText(text))).toBe(text);
    expect(unreference(xmlAttribute(text))).toBe(text);
    expect(unreference(htmlText(text))).toBe(text);
    expect(JSON.parse(visibleControls(JSON.stringify({ text })))).toEqual({ text });
    // Text that holds no command is left as it is (a `#` heading, a `#[` attribute, `##` alone).
    for (const plain of ['# a', 'a #[x]', 'a ## b', '#vso[x]']) expect([inertLine(plain), xmlText(plain), htmlText(plain), visibleControls(plain)]).toEqual([plain, plain, plain, plain]);
  });

  it('in a capability table printed as CSV', () => {
    const csv = tableCsv({ capabilities: ['c'], rows: [{ model: 'm', family: 'f', surface: 'mantle', cells: { c: { value: 'yes', notes: [COMMANDS], provenance: [] } } }], notes: [COMMANDS] } as never);
    expect(csv).not.toMatch(FORMED);
  });

  it("in the emulator's request log, for a client's model id", () => {
    const line = requestLine({ method: 'POST', path: '/v1/chat/completions', model: `a ${COMMANDS}`, status: 404, durationMs: 1 }, new Map());
    expect(line).not.toMatch(FORMED);
  });
});

/** A server that lists one model and answers every other request 400 with `message`. */
function hostileServer(message: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'GET' && /\/models\/?$/.test(req.url ?? '')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'openai.gpt-oss-20b', object: 'model' }] }));
        return;
      }
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message, type: 'invalid_request_error' } }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-ci-commands-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a live run against an endpoint whose errors carry CI commands', () => {
  it('writes none to the console, junit.xml, matrix.html or matrix.md', async () => {
    const { url, server } = await hostileServer(COMMANDS);
    try {
      const reports = join(dir, 'run');
      const run = await cli(['run', '--mode', 'live', '--endpoint', url, '--auth', 'none', '--models', 'openai.gpt-oss-20b', '--checks', 'created-at.chat,content.array.chat', '--retries', '0', '--report-dir', reports, '--plain']);
      expect(run.code).toBe(1);
      // The endpoint's words are there, broken: the gating lines quote them.
      expect(run.stdout).toContain('vso[task.setvariable variable=PATH]');
      expect(run.stdout).not.toMatch(FORMED);
      expect(run.stderr).not.toMatch(FORMED);
      for (const file of ['junit.xml', 'matrix.html', 'matrix.md']) expect(await readFile(join(reports, file), 'utf8'), file).not.toMatch(FORMED);
      expect(unreference(await readFile(join(reports, 'junit.xml'), 'utf8'))).toContain(COMMANDS);
    } finally {
      server.close();
    }
  });
});
