/**
 * @module test/vitest-unobserved-model
 * The vitest view answers the cells of a model the gate found nothing of observed as the matrix has them: a gateway
 * that rewrites xai.grok-4.3 to openai.gpt-oss-20b makes every grok cell read gpt-oss-20b's answers, so none of them
 * is grok's pass or failure, and vitest's failed count is junit.xml's.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { catalogEmulator, cliProcess } from './helpers/harness.ts';

type VitestJson = {
  numFailedTests: number;
  testResults: { assertionResults: { ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }[] }[];
};

/** A gateway's fallback: every request for xai.grok-4.3 is sent on as one for openai.gpt-oss-20b. */
async function rewritingGateway(upstream: string): Promise<{ url: string; close(): Promise<void> }> {
  const up = new URL(upstream);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString().replaceAll('"xai.grok-4.3"', '"openai.gpt-oss-20b"');
      const headers = { ...req.headers, 'content-length': String(Buffer.byteLength(body)) };
      const forward = request({ host: '127.0.0.1', port: Number(up.port), path: (req.url ?? '/').replace('xai.grok-4.3', 'openai.gpt-oss-20b'), method: req.method, headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

it("a model rewritten to another by a gateway gets no pass and no failure of its own in vitest, and vitest fails what junit.xml fails", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mantle-'));
  const emulator = await catalogEmulator();
  const gateway = await rewritingGateway(emulator.url);
  try {
    const report = join(dir, 'vitest.json');
    const result = await cliProcess(
      ['run', '--mode', 'live', '--endpoint', gateway.url, '--surface', 'mantle', '--auth', 'none', '--models', 'xai.grok-4.3', '--quiet', '--report-dir', join(dir, 'reports'), '--', '--reporter=json', `--outputFile=${report}`],
      { TMPDIR: dir },
    );
    expect(result.code, result.stderr).toBe(1);
    const vitest = JSON.parse(await readFile(report, 'utf8')) as VitestJson;
    const tests = vitest.testResults.flatMap((f) => f.assertionResults);
    const junit = await readFile(join(dir, 'reports', 'junit.xml'), 'utf8');
    const failures = Number(/<testsuites[^>]*\bfailures="(\d+)"/.exec(junit)?.[1]);
    expect(failures).toBe(1);
    // The only failure is the gate's unobserved-model problem, in both.
    expect(vitest.numFailedTests).toBe(failures);
    expect(tests.filter((t) => t.status === 'failed').map((t) => t.ancestorTitles[0])).toEqual(['gate']);
    const grok = tests.filter((t) => t.ancestorTitles[0] !== 'gate');
    expect(grok.length).toBeGreaterThan(50);
    expect(grok.filter((t) => t.status === 'passed').map((t) => t.title)).toEqual([]);
    const matrix = JSON.parse(await readFile(join(dir, 'reports', 'matrix.json'), 'utf8')) as { results: { check: string; status: string; gating: boolean }[] };
    expect(matrix.results.filter((r) => r.gating)).toEqual([]);
    expect(matrix.results.filter((r) => r.status === 'pass').length).toBeGreaterThan(50);
  } finally {
    await gateway.close();
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}, 180_000);
