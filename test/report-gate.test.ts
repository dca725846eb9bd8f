/**
 * Green means observed, end to end: a typo'd model id in replay observes nothing, so the run fails with a message
 * naming the model and the closest catalog id, in the console and in every report.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { renderStepSummary } from '../src/report/step-summary.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gate-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A gateway on 127.0.0.1 whose model list names `listed` only, and that gives every other request `answer`. */
async function gateway(listed: string, answer: (path: string) => { status: number; body: string }): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'GET' && req.url?.endsWith('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: listed, object: 'model', created: 1, owned_by: 'x' }] }));
        return;
      }
      const { status, body } = answer(req.url ?? '');
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

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
    const md = await readFile(join(reports, 'matrix.md'), 'utf8');
    expect(md).toContain('did you mean "xai.grok-4.3"?');
    // Its cells to look at are not the model's either.
    expect(md).toMatch(/^\| `emulator\/xai\.grok-4\.33` \(nothing observed, see the gate\) \| 0 \| 0 \| \d+ \|/m);
    expect(await readFile(join(reports, 'junit.xml'), 'utf8')).toContain('<testcase classname="gate" name="unobserved-model: xai.grok-4.33 (emulator)"');
    // The step summary names the model once per target, not again as one error row per cell.
    const text = await readFile(summary, 'utf8');
    expect(text).toContain('did you mean "xai.grok-4.3"?');
    expect(text).not.toContain('| `xai.grok-4.33` |');
    expect(text).toMatch(/\d+ error cell\(s\) of the models with nothing observed \(the gate's list, above, and matrix\.md\) are not listed one by one\./);
  });

  it('live, against a gateway that refuses an id it does not know in words the harness does not know: nothing observed, not a pass', async () => {
    // Every request refused with a 400 whose words name no unknown model; the model list names one real model.
    const { url, server } = await gateway('real.model', () => ({ status: 400, body: '{"error":{"message":"no route to a deployment for this request","type":"invalid_request_error","code":"no_deployment"}}' }));
    try {
      const run = (models: string) => cli(['run', '--mode', 'live', '--endpoint', url, '--auth', 'none', '--models', models, '--checks', 'api.*,path-prefix,params.temperature', '--retries', '0', '--report-dir', join(dir, `refused-${models}`), '--plain']);
      const typo = await run('xai.grok-4.33');
      expect(typo.code, typo.stderr).toBe(1);
      expect(typo.stdout).toMatch(/xai\.grok-4\.33 \(127\.0\.0\.1_\d+\): nothing observed, no request for it was answered with a 2xx \(every answer 400\): is the id right\?; "xai\.grok-4\.33" is not in the catalog: did you mean "xai\.grok-4\.3"\?/);
      expect(typo.stdout).toMatch(/^gate: fail \(exit 1\): .*1 model\(s\) with nothing observed/m);
      // The gate says it of the typo already: no note repeats it.
      expect(typo.stdout).not.toContain('note:');
      // The coverage line agrees: what the cells read is not the model's.
      expect(typo.stdout).toMatch(/^coverage: 0 of (\d+) cells observed \(0\.0%\); not observed: \1 cell\(s\) of model\(s\) with nothing observed$/m);
      // A catalog model refused the same way was observed: its routes answered (a 400 is an answer about the request).
      const known = await run('xai.grok-4.3');
      expect(known.stdout).not.toContain('nothing observed');
    } finally {
      server.close();
    }
  });
});

describe('an id answered in another model\'s name', () => {
  /** A 200 answer to each API's request, in the name of `model`. */
  const answer = (path: string, model: string): object => {
    if (path.endsWith('/chat/completions')) return { id: 'c1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: 'Hi.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } };
    if (path.endsWith('/count_tokens')) return { input_tokens: 5 };
    if (path.endsWith('/messages')) return { id: 'm1', type: 'message', role: 'assistant', model, content: [{ type: 'text', text: 'Hi.' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 5, output_tokens: 2 } };
    return { id: 'r1', object: 'response', created_at: 1, status: 'completed', model, output: [{ type: 'message', id: 'o1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Hi.', annotations: [] }] }], usage: { input_tokens: 5, output_tokens: 2, total_tokens: 7 } };
  };

  it('merge says it of a region\'s model as the run did, from the matrices', async () => {
    const routed = { evidence: [{ case: 'probe.chat', step: 'main', request: 'POST /v1/chat/completions', status: 200, answeredBy: 'gpt-4o' }], otherModel: { answers: 1, others: 1, names: ['gpt-4o'] } };
    const files = await Promise.all(
      ['east', 'west'].map(async (target) => {
        const file = join(dir, `region-${target}.json`);
        const matrix = smallMatrix(target === 'east' ? [{ model: 'xai.grok-4.3', check: 'created-at.chat', ...routed }] : [], undefined, undefined, { target, runId: target });
        await writeFile(file, JSON.stringify(matrix));
        return file;
      }),
    );
    const merged = await cli(['merge', ...files, '--report-dir', join(dir, 'merged-regions')]);
    expect(merged.stdout).toMatch(/^  note: xai\.grok-4\.3 \(east\): 1 of 3 cell\(s\) that read an answer read one in another model's name \("gpt-4o"\)/m);
    expect(merged.stdout).not.toContain('(west): 1 of');
    expect(await readFile(join(dir, 'merged-regions', 'matrix.md'), 'utf8')).toContain("## Answered in another model's name");
  });

  it('the note quotes the name an endpoint answered in as data: no escape, no workflow command, no markup, no character reference, no link', async () => {
    const hostile = '&#x202E;www.e.xy|\u001b[31m::error::x\n';
    const { url, server } = await gateway('real.model', (path) => ({ status: 200, body: JSON.stringify(answer(path, hostile)) }));
    try {
      const reports = join(dir, 'routed-hostile');
      const summaryFile = join(dir, 'hostile-summary.md');
      const result = await cli(['run', '--mode', 'live', '--endpoint', url, '--auth', 'none', '--models', 'prod-chat', '--checks', 'api.chat-completions', '--retries', '0', '--report-dir', reports, '--plain'], { GITHUB_STEP_SUMMARY: summaryFile });
      expect(result.stdout).toMatch(/^  note: prod-chat \(127\.0\.0\.1_\d+\): 1 of 1 cell\(s\) that read an answer read one in another model's name \("&#x202E;www\.e\.xy\|\\u001b\[31m:\u200b:error:\u200b:x\\n"\)/m);
      expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      expect(result.stdout).not.toContain('::error::');
      expect(await readFile(join(reports, 'matrix.html'), 'utf8')).toContain('(&quot;&amp;#x202E;www.e.xy|\\u001b[31m&#58;:error&#58;:x\\n&quot;)');
      for (const text of [await readFile(join(reports, 'matrix.md'), 'utf8'), await readFile(summaryFile, 'utf8')]) {
        expect(text).toContain('prod-chat (127.0.0.1_');
        expect(text).toContain('"\\&#x202E;www\u200b.e.xy\\|\\\\u001b\\[31m:\u200b:error:\u200b:x\\\\n"');
        expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      }
    } finally {
      server.close();
    }
  });

  it('live, against a gateway that answers an id it does not know with its default model: nothing observed, not a pass', async () => {
    // Every request answered 200 by "meta.llama-default", whatever the model asked for; the list names only it.
    const { url, server } = await gateway('meta.llama-default', (path) => ({ status: 200, body: JSON.stringify(answer(path, 'meta.llama-default')) }));
    try {
      const run = (models: string) => cli(['run', '--mode', 'live', '--endpoint', url, '--auth', 'none', '--models', models, '--checks', 'api.*,path-prefix,params.temperature,models.listed', '--retries', '0', '--report-dir', join(dir, `routed-${models}`), '--plain']);
      const typo = await run('xai.grok-4.33');
      expect(typo.code, typo.stderr).toBe(1);
      expect(typo.stdout).toMatch(/xai\.grok-4\.33 \(127\.0\.0\.1_\d+\): nothing of it observed, \d+ of \d+ answers came from another model \("meta\.llama-default"\), and the endpoint's model list, read whole, does not name it: is the id right\?; "xai\.grok-4\.33" is not in the catalog: did you mean "xai\.grok-4\.3"\? \(an endpoint may answer an id it does not know with its default model\)$/m);
      expect(typo.stdout).toMatch(/^gate: fail \(exit 1\): .*1 model\(s\) with nothing observed/m);
      // The gate says it of the typo already: no note repeats it.
      expect(typo.stdout).not.toContain('note:');
      expect(typo.stdout).toMatch(/^coverage: 0 of (\d+) cells observed \(0\.0%\); not observed: \1 cell\(s\) of model\(s\) with nothing observed$/m);
      // Nor do the status counts read its cells as passes.
      expect(typo.stdout).toMatch(/: (\d+) of \1 ran: 0 pass, 0 fail, 0 flaky, 0 inconclusive, 0 unsupported, 0 skipped, 0 error, and \1 cell\(s\) of model\(s\) with nothing observed$/m);
      // The evidence says who answered; no report shows the cells as the model's passes.
      const reports = join(dir, 'routed-xai.grok-4.33');
      const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
      expect(matrix.results.find((r) => r.check === 'api.chat-completions')?.evidence.some((e) => e.answeredBy === 'meta.llama-default')).toBe(true);
      expect(matrix.results.find((r) => r.check === 'params.temperature')?.reason).toMatch(/^(\d+) of \1 answer\(s\) named another model than their request asked for \("meta\.llama-default"\); /);
      // Nor do the counts of the summary line read its cells as passes, and the last progress line counts nothing.
      expect(typo.stderr).toMatch(/^done: \d+\/\d+ checks · \d+ requests/m);
      expect(typo.stderr).not.toMatch(/^done: .* pass/m);
      const junit = await readFile(join(reports, 'junit.xml'), 'utf8');
      expect(junit).toMatch(/<testsuite name="127\.0\.0\.1_\d+ \/ xai\.grok-4\.33" tests="(\d+)" failures="0" errors="0" skipped="\1"/);
      expect(junit).toContain('<skipped message="not of the model (nothing observed, see the gate), pass: ');
      expect(await readFile(join(reports, 'matrix.md'), 'utf8')).toContain('| `xai.grok-4.33` (not in catalog) (nothing observed, see the gate) |');
      expect(await readFile(join(reports, 'matrix.html'), 'utf8')).toContain('>xai.grok-4.33 (nothing observed, see the gate)</th>');
      // Another model's answers are neither published as the model's capabilities nor blessed as its expectations.
      // It has no row; the note under the table names it as left out.
      const tableOut = (await cli(['table', join(reports, 'matrix.json')])).stdout;
      expect(tableOut).not.toMatch(/^\| `xai\.grok-4\.33`/m);
      expect(tableOut).toMatch(/^Note: .*left out, nothing of them observed: xai\.grok-4\.33 \(/m);
      const expectations = join(dir, 'routed-expectations.yaml');
      const bless = await cli(['bless', join(reports, 'matrix.json'), '--all', '--expectations', expectations]);
      expect(bless.stdout).toMatch(/not blessed: 8 cell\(s\) of model\(s\) with nothing observed/);
      expect(await readFile(expectations, 'utf8').catch(() => '')).not.toContain('xai.grok-4.33');
      // The id the endpoint answers in its own name and a catalog model are vouched for, and an alias (no near miss of a
      // catalog id) is answered in the name of the model behind it: this is not said of them.
      for (const vouched of ['meta.llama-default', 'xai.grok-4.3', 'prod-chat']) {
        const { stdout, code } = await run(vouched);
        expect(stdout).not.toContain('came from another model');
        const md = await readFile(join(dir, `routed-${vouched}`, 'matrix.md'), 'utf8');
        // Not a gate problem, but a note a person reads: an alias is answered so; a catalog id should not be.
        const summary = renderStepSummary(JSON.parse(await readFile(join(dir, `routed-${vouched}`, 'matrix.json'), 'utf8')) as Matrix, {});
        if (vouched === 'meta.llama-default') {
          expect(stdout).not.toContain('note:');
          expect(md).not.toContain("## Answered in another model's name");
          expect(summary).not.toContain('note:');
          expect(await readFile(join(dir, `routed-${vouched}`, 'matrix.html'), 'utf8')).not.toContain('class="notes"');
        } else {
          expect(summary).toContain(`- note: ${vouched} (127.0.0.1_`);
          const note = new RegExp(`^  note: ${vouched.replaceAll('.', '\\.')} \\(127\\.0\\.0\\.1_\\d+\\): [1-9]\\d* of \\d+ cell\\(s\\) that read an answer read one in another model's name \\("meta\\.llama-default"\\): an alias or a deployment name of that model reads so in every cell that names one, a fallback in some; for a model id, those cells judged another model$`, 'm');
          expect(stdout).toMatch(note);
          expect(md).toContain("## Answered in another model's name");
          expect(md).toContain(`- ${vouched} (127.0.0.1_`);
          expect(await readFile(join(dir, `routed-${vouched}`, 'matrix.html'), 'utf8')).toContain(`<ul class="notes"><li>note: ${vouched} (127.0.0.1_`);
        }
        if (vouched !== 'xai.grok-4.3') expect(code).toBe(0);
        expect(md).not.toContain('nothing observed, see the gate');
        expect(md).not.toContain('of model(s) with nothing observed');
        // A catalog model answered by the gateway's default is no typo, but its reasons say who answered.
        if (vouched === 'xai.grok-4.3') expect(md).toMatch(/`api\.messages` \(127\.0\.0\.1_\d+\): 1 of 1 answer\(s\) named another model than their request asked for \("meta\.llama-default"\); expected "unsupported", got "supported"/);
        expect((await cli(['table', join(dir, `routed-${vouched}`, 'matrix.json')])).stdout).toContain(vouched);
      }
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
