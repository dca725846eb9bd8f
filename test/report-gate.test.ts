/**
 * Green means observed, end to end: a typo'd model id in replay observes nothing, so the run fails with a message
 * naming the model and the closest catalog id, in the console and in every report.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gate-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a typo in --models', () => {
  it('fails the run, naming the model and the catalog id it probably meant', async () => {
    const reports = join(dir, 'typo');
    const summary = join(dir, 'summary.md');
    const result = await cli(['run', '--models', 'xai.grok-4.33', '--report-dir', reports, '--plain'], { GITHUB_STEP_SUMMARY: summary });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/xai\.grok-4\.33 \(emulator\): nothing observed, (\d+) of \1 cells are errors/);
    expect(result.stdout).toContain('did you mean "xai.grok-4.3"?');
    expect(result.stdout).toMatch(/^gate: fail \(exit 1\): 1 model\(s\) with nothing observed \(on 2 targets\)$/m);
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    expect(matrix.models[0]).toMatchObject({ id: 'xai.grok-4.33', inCatalog: false, suggestion: 'xai.grok-4.3' });
    expect(matrix.gate.problems.map((p) => p.kind)).toEqual(['unobserved-model', 'unobserved-model']);
    expect(await readFile(join(reports, 'matrix.md'), 'utf8')).toContain('did you mean "xai.grok-4.3"?');
    expect(await readFile(join(reports, 'junit.xml'), 'utf8')).toContain('<testcase classname="gate" name="unobserved-model: xai.grok-4.33"');
    // The step summary names the model once per target, not again as one error row per cell.
    const text = await readFile(summary, 'utf8');
    expect(text).toContain('did you mean "xai.grok-4.3"?');
    expect(text).not.toContain('| `xai.grok-4.33` |');
    expect(text).toMatch(/\d+ error cell\(s\) of the models with nothing observed \(above\) are not listed one by one\./);
  });

  it('live, against a gateway that refuses an id it does not know in words the harness does not know: nothing observed, not a pass', async () => {
    // Every request refused with a 400 whose words name no unknown model; the model list names one real model.
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.method === 'GET' && req.url?.endsWith('/models')) {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[{"id":"real.model","object":"model","created":1,"owned_by":"x"}]}');
          return;
        }
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"no route to a deployment for this request","type":"invalid_request_error","code":"no_deployment"}}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const run = (models: string) => cli(['run', '--mode', 'live', '--endpoint', url, '--auth', 'none', '--models', models, '--checks', 'api.*,path-prefix,params.temperature', '--retries', '0', '--report-dir', join(dir, `refused-${models}`), '--plain']);
      const typo = await run('xai.grok-4-3');
      expect(typo.code, typo.stderr).toBe(1);
      expect(typo.stdout).toMatch(/xai\.grok-4-3 \(127\.0\.0\.1_\d+\): nothing observed, no request for it was answered with a 2xx \(every answer 400\): is the id right\?; "xai\.grok-4-3" is not in the catalog: did you mean "xai\.grok-4\.3"\?/);
      expect(typo.stdout).toMatch(/^gate: fail \(exit 1\): .*1 model\(s\) with nothing observed/m);
      // The coverage line agrees: what the cells read is not the model's.
      expect(typo.stdout).toMatch(/^coverage: 0 of (\d+) cells observed \(0\.0%\); not observed: \1 of model\(s\) with nothing observed$/m);
      // A catalog model refused the same way was observed: its routes answered (a 400 is an answer about the request).
      const known = await run('xai.grok-4.3');
      expect(known.stdout).not.toContain('nothing observed');
    } finally {
      server.close();
    }
  });
});

describe('cells from a matrix.json made elsewhere', () => {
  it('stay apart when a target id holds a slash: a model with nothing observed is never hidden by another cell', async () => {
    const { resultsByCell } = await import('../src/report/matrix.ts');
    const cell = (target: string, model: string, status: Matrix['results'][number]['status']) => ({ target, model, check: 'c', status }) as Matrix['results'][number];
    // `a` + `b/c` and `a/b` + `c` read alike as target/model.
    const grouped = resultsByCell([cell('a', 'b/c', 'error'), cell('a/b', 'c', 'pass')]);
    expect([...grouped.values()].map((rs) => rs.map((r) => `${r.target} ${r.model}`))).toEqual([['a b/c'], ['a/b c']]);
  });
});
