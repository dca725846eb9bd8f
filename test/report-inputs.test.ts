/**
 * Reports in-process: endpoint text neutralised at one place, matrix.json validated before use (exit 2 with the
 * JSON path), reasons and evidence bounded, the gate fails on what was not observed (a model with nothing
 * observed, too many errors, partial and interrupted runs), and bless writes reviewable files.
 */
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMatrix } from '../src/cli/read-matrix.ts';
import { main } from '../src/cli/main.ts';
import { CHECK_STATUSES } from '../src/checks/types.ts';
import { boundResult, RESULT_BOUNDS } from '../src/report/bound-result.ts';
import { finishMatrix } from '../src/report/build-matrix.ts';
import { coverageLine, gateLine } from '../src/report/gate.ts';
import { tableCsv } from '../src/report/capability-formats.ts';
import { buildCapabilityTable } from '../src/report/capability-table.ts';
import { compareMatrices, unfinishedRun, describeComparison } from '../src/report/compare.ts';
import { renderHtml } from '../src/report/html-report.ts';
import { capText, inertLine, markdownText, xmlText } from '../src/report/inert-text.ts';
import { renderJunit } from '../src/report/junit-report.ts';
import { renderMarkdown } from '../src/report/markdown-report.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { renderStepSummary } from '../src/report/step-summary.ts';
import { MATRIX_STATUSES } from '../src/suite/matrix-schema.ts';
import { smallMatrix } from './helpers/small-matrix.ts';
import { cliProcess, ROOT } from './helpers/harness.ts';

const HOSTILE = '::error title=forged::gate: pass\n\u001b[31mred\u001b]8;;http://x\u0007link\r\n| a | b |\uffff\ud800 <script>alert(1)</script>';

describe('endpoint text is neutralised at one place', () => {
  it('a console line: no escape sequence, no line break, no workflow command, capped with the cut marked', () => {
    const line = inertLine(HOSTILE);
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(line).not.toContain('::');
    expect(line).not.toContain('\uffff');
    expect(line).toContain('gate: pass');
    expect(inertLine('##[error]x')).not.toContain('##[');
    const long = inertLine('x'.repeat(6_000_000));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(400);
    expect(long).toMatch(/\.\.\. \(\d+ bytes more\)$/);
  });

  it('Markdown: table characters and markup escaped, one line', () => {
    const md = markdownText(HOSTILE);
    expect(md).not.toMatch(/(^|[^\\])\|/);
    expect(md).not.toMatch(/(^|[^\\])</);
    expect(md.split('\n')).toHaveLength(1);
    // A character reference renders as the character it names (a right-to-left override here), and GitHub makes a
    // bare URL or www. a link: neither is left to the endpoint.
    const named = markdownText('&#x202E;gpt-4o https://evil.example/x WWW.evil.example &amp;');
    expect(named).toBe('\\&#x202E;gpt-4o https:\u200b//evil.example/x WWW\u200b.evil.example \\&amp;');
    expect(named).not.toMatch(/(^|[^\\])&/);
  });

  it('XML: characters XML 1.0 forbids are dropped, so the file parses', () => {
    const xml = `<a b="${xmlText(HOSTILE)}">${xmlText(HOSTILE)}</a>`;
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toContain('\uffff');
  });

  it('capText cuts at a character boundary and says how much was cut', () => {
    expect(capText('😀'.repeat(100), 50)).toMatch(/^(😀)+\.\.\. \(\d+ bytes more\)$/);
    expect(capText('short', 50)).toBe('short');
  });
});

describe('reports bounded by cells, not bodies', () => {
  it('a 6 MB reason and excerpt keep a few KiB each, the cut marked', () => {
    const big = 'E'.repeat(6 * 1024 * 1024);
    const bounded = boundResult({ reason: big, observed: null, evidence: Array.from({ length: 20 }, () => ({ case: 'c', step: 's', request: 'POST /x', excerpt: big })) });
    expect(Buffer.byteLength(bounded.reason)).toBeLessThanOrEqual(RESULT_BOUNDS.reason);
    expect(bounded.reason).toMatch(/bytes more\)$/);
    expect(bounded.evidence).toHaveLength(RESULT_BOUNDS.evidencePerCell + 1);
    expect(bounded.evidence.at(-1)!.request).toContain('12 more exchange(s) not shown');
    expect(JSON.stringify(bounded).length).toBeLessThan(25_000);
  });

  it('bounding again (a run bounds what it judged, the matrix and a matrix read back bound it again) keeps the count of what was cut', () => {
    const evidence = (n: number) => Array.from({ length: n }, (_, i) => ({ case: 'c', step: 's', request: `POST /x ${i}` }));
    const trial = { trial: 1, status: 'pass' as const, observed: 'ok', reason: 'r', evidence: evidence(5) };
    const once = boundResult({ reason: 'r', observed: null, evidence: evidence(12), trials: [trial] });
    const twice = boundResult(boundResult(once));
    expect(twice).toEqual(once);
    expect(twice.evidence.at(-1)!.request).toBe('... 4 more exchange(s) not shown (see the fixtures)');
    expect(twice.trials![0]!.evidence.map((e) => e.request)).toEqual(['POST /x 0', 'POST /x 1', '... 3 more exchange(s) not shown (see the fixtures)']);
    // A cell with exactly as many entries as it keeps is not cut; one whose last entry only looks like a cut's is.
    expect(boundResult({ reason: 'r', observed: null, evidence: evidence(8) }).evidence).toHaveLength(8);
    const nearMiss = { case: 'c', step: '', request: '... 4 more exchange(s) not shown (see the fixtures)' };
    expect(boundResult({ reason: 'r', observed: null, evidence: [...evidence(8), nearMiss] }).evidence.at(-1)!.request).toBe('... 1 more exchange(s) not shown (see the fixtures)');
    // From a matrix.json made by hand: a count of 0 is no count, and a count stays one the entry can carry on.
    const marker = (count: string) => ({ case: '', step: '', request: `... ${count} more exchange(s) not shown (see the fixtures)` });
    expect(boundResult({ reason: 'r', observed: null, evidence: [...evidence(8), marker('0')] }).evidence.at(-1)!.request).toBe('... 1 more exchange(s) not shown (see the fixtures)');
    const huge = boundResult({ reason: 'r', observed: null, evidence: [...evidence(12), marker('999999999')] });
    expect(boundResult(huge).evidence.at(-1)!.request).toBe('... 999999999 more exchange(s) not shown (see the fixtures)');
  });
});

describe('matrix.json is validated before use', () => {
  const results = (m: Record<string, unknown>) => m.results as Record<string, unknown>[];
  const cases: [string, (m: Record<string, unknown>) => unknown, RegExp][] = [
    ['null', () => null, /the top level is not an object/],
    ['a list', () => [], /the top level is not an object/],
    ['no format', (m) => ({ ...m, format: undefined }), /format is "missing"|format is missing/],
    ['results: [null]', (m) => ({ ...m, results: [null] }), /results\[0\] must be object/],
    ['targets: [{}]', (m) => ({ ...m, targets: [{}] }), /targets\[0\]\.id is missing/],
    ['a bad status', (m) => ({ ...m, results: [{ ...(m.results as object[])[0], status: '"><script>' }] }), /results\[0\]\.status is not one of pass, fail/],
    ['a number as reason', (m) => ({ ...m, results: [{ ...(m.results as object[])[0], reason: 5 }] }), /results\[0\]\.reason must be string/],
    ['no totals', (m) => ({ ...m, totals: undefined }), /totals is missing/],
    // A key with a line break escapes a pattern of `.` (Type.Record's): its value must be checked all the same.
    ['a count under a key with a line break', (m) => ({ ...m, totals: { ...(m.totals as object), byStatus: { 'pa\nss': 'many' } } }), /totals\.byStatus\["pa\\nss"\] must be integer/],
    ['usage under a key with a line break', (m) => ({ ...m, totals: { ...(m.totals as object), perModel: { 't/m\n': 7 } } }), /totals\.perModel\["t\/m\\n"\] must be object/],
    ['latency under a key with a line break', (m) => ({ ...m, totals: { ...(m.totals as object), latency: { 'a\r\nb': { chat: null } } } }), /totals\.latency\["a\\r\\nb"\]\.chat must be object/],
    // What a schema cannot say: the file must be as a run writes it. A lost failure must never read as a pass.
    ['a cell twice (a pass copy placed before the failure)', (m) => ({ ...m, results: [{ ...results(m)[1], status: 'pass', observed: 'integer' }, ...results(m).slice(0, 1), { ...results(m)[1], status: 'fail', observed: 'exponent' }, ...results(m).slice(2)] }), /results\[2\]: the cell of results\[0\] again \(target "emulator", model "xai\.grok-4\.3", check "created-at\.chat"\)/],
    ['a failing cell deleted', (m) => ({ ...m, results: results(m).filter((_, i) => i !== 4) }), /results: no cell for target "emulator", model "qwen\.qwen3-32b", check "created-at\.chat"/],
    ['a result of a model not listed', (m) => ({ ...m, results: results(m).map((r, i) => (i === 5 ? { ...r, model: 'zai.glm-5' } : r)) }), /results\[5\]\.model: "zai\.glm-5" is not in models/],
    ['a result of a target not listed', (m) => ({ ...m, results: results(m).map((r, i) => (i === 0 ? { ...r, target: 'us-west-2' } : r)) }), /results\[0\]\.target: "us-west-2" is not in targets/],
    ['a result of a check not listed', (m) => ({ ...m, results: results(m).map((r, i) => (i === 0 ? { ...r, check: 'api.responses' } : r)) }), /results\[0\]\.check: "api\.responses" is not in checks/],
    ['a check listed twice', (m) => ({ ...m, checks: [...(m.checks as object[]), (m.checks as object[])[0]] }), /checks\[3\]\.id: "path-prefix" is listed again \(checks\[0\]\)/],
    ['1e400 (Infinity once parsed)', (m) => JSON.parse(JSON.stringify(m).replace('"wallMs":10000', '"wallMs":1e400')), /x\.json: totals\.wallMs is not a finite number/],
    ['-1e400 in a result', (m) => JSON.parse(JSON.stringify(m).replace('"observed":1,', '"observed":-1e400,')), /results\[2\]\.observed is not a finite number/],
    ['a __proto__ key in perModel', (m) => JSON.parse(JSON.stringify(m).replace('"perModel":{}', '"perModel":{"__proto__":{"requests":1,"inputTokens":1,"outputTokens":1}}')), /totals\.perModel\.__proto__: a key named __proto__ is not allowed/],
    ['a __proto__ key in a result', (m) => JSON.parse(JSON.stringify(m).replace('"gating":false', '"gating":false,"__proto__":{"gating":true}')), /results\[0\]\.__proto__: a key named __proto__ is not allowed/],
    ['an observed value out of the vocabulary, on two lines', (m) => ({ ...m, results: results(m).map((r, i) => (i === 1 ? { ...r, status: 'fail', observed: 'integer\nmodels:\n  evil.model: {}' } : r)) }), /results\[1\]\.observed: "integer\\nmodels:\\n {2}evil\.model: \{\}" is not one of "integer", "exponent", "\/v1", "none" \(the vocabulary of "created-at\.chat", checks\[1\]\)/],
    ['an expected value out of the vocabulary', (m) => ({ ...m, results: results(m).map((r, i) => (i === 1 ? { ...r, expected: ['integer', 'decimal'] } : r)) }), /results\[1\]\.expected\[1\]: "decimal" is not one of/],
    ['a trial value out of the vocabulary', (m) => ({ ...m, results: results(m).map((r, i) => (i === 2 ? { ...r, trials: [{ status: 'pass', observed: 'warm', reason: '', evidence: [] }] } : r)) }), /results\[2\]\.trials\[0\]\.observed: "warm" is not one of a number or null/],
    ['a failure turned into a pass', (m) => ({ ...m, results: results(m).map((r, i) => (i === 4 ? { ...r, status: 'pass', observed: 'exponent' } : r)) }), /results\[4\]\.status: "pass", but the observed "exponent" does not meet the expected "integer"/],
    ['a model id with a line break', (m) => ({ ...m, models: (m.models as { id: string }[]).map((x, i) => (i === 0 ? { ...x, id: 'xai.grok-4.3\nevil: 1' } : x)), results: results(m).map((r) => (r.model === 'xai.grok-4.3' ? { ...r, model: 'xai.grok-4.3\nevil: 1' } : r)) }), /models\[0\]\.id: a model id cannot hold control characters/],
    ['a target id that is not a name', (m) => ({ ...m, targets: [{ ...(m.targets as object[])[0], id: '../up' }], results: results(m).map((r) => ({ ...r, target: '../up' })) }), /targets\[0\]\.id: "\.\.\/up" is not a target name/],
    ['a run id with a line break', (m) => ({ ...m, run: { ...(m.run as object), id: 'r1\n::error::x' } }), /run\.id: a run id cannot hold control characters/],
  ];
  it.each(cases)('%s is HARNESS_REPORT_INVALID naming the JSON path', (_name, mutate, message) => {
    const valid = JSON.parse(JSON.stringify(smallMatrix())) as Record<string, unknown>;
    expect(() => parseMatrix(mutate(valid), 'x.json')).toThrow(expect.objectContaining({ code: 'HARNESS_REPORT_INVALID', message: expect.stringMatching(message) }));
  });

  it('a target that read its model list may lack the models it did not list, and only those', () => {
    const valid = JSON.parse(JSON.stringify(smallMatrix())) as Record<string, unknown>;
    const listing = (notListed: string[]) => ({ source: 'GET /v1/models', listed: 1, new: [], notListed, refused: [] });
    const withList = (notListed: string[]) => ({ ...valid, targets: [{ ...(valid.targets as object[])[0], modelList: listing(notListed) }], results: results(valid).filter((r) => r.model !== 'qwen.qwen3-32b') });
    expect(parseMatrix(withList(['qwen.qwen3-32b']), 'x.json').results).toHaveLength(3);
    expect(() => parseMatrix(withList([]), 'x.json')).toThrow(expect.objectContaining({ code: 'HARNESS_REPORT_INVALID', message: expect.stringMatching(/results: no cell for target "emulator", model "qwen\.qwen3-32b", check "path-prefix"/) }));
  });

  it('a valid file round-trips, format 1 is read, and the gate is recomputed from the results, not taken from the file', () => {
    const matrix = smallMatrix([{ model: 'qwen.qwen3-32b', check: 'created-at.chat', status: 'fail', observed: 'exponent' }]);
    const lying = { ...JSON.parse(JSON.stringify(matrix)), format: 'mantle-conformance.matrix/1', gate: { exitCode: 0, gating: [] } };
    const read = parseMatrix(lying, 'x.json');
    expect(read.format).toBe('mantle-conformance.matrix/2');
    expect(read.gate).toMatchObject({ exitCode: 1, verdict: 'fail', gating: [expect.objectContaining({ model: 'qwen.qwen3-32b' })] });
  });

  it('the schema statuses are the checks\' statuses', () => {
    expect([...MATRIX_STATUSES]).toEqual([...CHECK_STATUSES]);
  });
});

describe('green means observed', () => {
  const typo = () => smallMatrix(['path-prefix', 'created-at.chat', 'defaults.temperature'].map((check) => ({ model: 'xai.grok-4.33', check, status: 'error' as const, observed: null, reason: 'HARNESS_RECORDING_MISSING: no recording', evidence: [] })), ['xai.grok-4.33', 'qwen.qwen3-32b']);

  it('a model with nothing observed fails the gate with its own message and a "did you mean"', () => {
    const matrix = typo();
    expect(matrix.results.filter((r) => r.gating)).toHaveLength(1);
    expect(matrix.gate.exitCode).toBe(1);
    expect(matrix.gate.problems).toEqual([
      expect.objectContaining({ kind: 'unobserved-model', model: 'xai.grok-4.33', message: expect.stringContaining('did you mean "xai.grok-4.3"?') }),
    ]);
    expect(renderMarkdown(matrix)).toMatch(/^# Mantle compatibility matrix\n\n\*\*Gate: fail \(exit 1\)[^\n]*\n\nCoverage: 3 of 6 cells observed \(50\.0%\); not observed: 3 errors\.\n\n## What fails the gate\n\n- \*\*unobserved-model\*\*: xai\.grok-4\.33/);
  });

  it('a model whose every cell is inconclusive observed nothing: the gate fails (its budget or choices hid everything)', () => {
    const hidden = (checks: string[]) => smallMatrix(checks.map((check) => ({ model: 'qwen.qwen3-32b', check, status: 'inconclusive' as const, observed: null, reason: 'output tokens 16 = the limit 16' })));
    const matrix = hidden(['path-prefix', 'created-at.chat', 'defaults.temperature']);
    expect(matrix.results.filter((r) => r.gating)).toEqual([]);
    expect(matrix.gate).toMatchObject({ exitCode: 1, verdict: 'fail' });
    expect(matrix.gate.problems).toEqual([
      expect.objectContaining({ kind: 'unobserved-model', model: 'qwen.qwen3-32b', message: 'qwen.qwen3-32b (emulator): nothing observed, 3 of 3 cells inconclusive (the model\'s output budget or its choices hid what the checks look for)' }),
    ]);
    expect(renderMarkdown(matrix)).not.toContain('the run observed every model it ran');
    // One conclusive cell is an observation: the rest stay inconclusive cells, listed, not gating.
    expect(hidden(['path-prefix', 'created-at.chat']).gate).toMatchObject({ exitCode: 0, problems: [] });
    const mixed = smallMatrix([
      { model: 'qwen.qwen3-32b', check: 'path-prefix', status: 'inconclusive', observed: null, reason: 'hidden' },
      { model: 'qwen.qwen3-32b', check: 'created-at.chat', status: 'error', observed: null, reason: 'HARNESS_TIMEOUT: slow', evidence: [] },
      { model: 'qwen.qwen3-32b', check: 'defaults.temperature', status: 'inconclusive', observed: null, reason: 'hidden' },
    ]);
    expect(mixed.gate.problems.map((p) => p.message)).toEqual(['qwen.qwen3-32b (emulator): nothing observed, 1 of 3 cells are errors (HARNESS_TIMEOUT), 2 inconclusive (the model\'s output budget or its choices hid what the checks look for)']);
  });

  it('a model no API serves was not observed, whatever other checks read from the route errors; unless that is stated, or a known model is refused by name', () => {
    const probes = ['api.chat-completions', 'api.responses', 'api.messages', 'api.count-tokens'];
    const answer = (status: number) => [{ case: 'probe', step: 'main', request: 'POST /v1/chat/completions', status }];
    const unsupported = Object.fromEntries(probes.map((p) => [p, 'unsupported']));
    /** The typo'd id (not in the catalog) or a catalog model, every cell as given. */
    const served = (observed: Record<string, string | null>, { model = 'xai.grok-4.33', expected = null as string | null, status = 404, okStatus = 200 } = {}) =>
      smallMatrix(
        Object.entries(observed).map(([check, value]) => ({
          model,
          check,
          status: value === null ? ('unsupported' as const) : check === 'models.listed' && value === 'not-listed' ? ('fail' as const) : ('pass' as const),
          observed: value,
          expected,
          reason: 'observed',
          // A probe that found the API, or a check that read an answer, read a 2xx (unless `okStatus` says otherwise).
          evidence: check.startsWith('api.') ? answer(value === 'supported' ? okStatus : status) : value === null ? [] : answer(okStatus),
        })),
        // The other model is in the catalog: its default cells are a known model's.
        model === 'xai.grok-4.33' ? ['xai.grok-4.33', 'qwen.qwen3-32b'] : [model, 'xai.grok-4.3'],
        Object.keys(observed),
      );
    const problems = (matrix: Matrix) => matrix.gate.problems.map((p) => p.message);
    const none = served({ ...unsupported, 'errors.wrong-route': 'conformant', 'stream.chat-completions': null });
    expect(none.gate).toMatchObject({ exitCode: 1, verdict: 'fail' });
    expect(problems(none)).toEqual([
      'xai.grok-4.33 (emulator): nothing of the model observed, no API serves it here (api.chat-completions, api.responses, api.messages, api.count-tokens found no API serving it, every probe a bare 404): is the id right, and the --endpoint path?; "xai.grok-4.33" is not in the catalog: did you mean "xai.grok-4.3"?',
    ]);
    // One API that serves it, or one check that read an answer of the model: observed.
    expect(served({ ...unsupported, 'api.responses': 'supported' }).gate).toMatchObject({ exitCode: 0, problems: [] });
    expect(served({ 'api.chat-completions': 'unsupported', 'created-at.chat': 'integer' }).gate).toMatchObject({ exitCode: 0, problems: [] });
    // ... but not for an id nothing vouches for when nothing answered it with a 2xx: a gateway refusing an unknown id
    // in its own words reads as "served, this request rejected" on every API.
    expect(problems(served({ ...unsupported, 'api.responses': 'supported', 'params.temperature': 'rejected' }, { okStatus: 400 }))).toEqual([
      'xai.grok-4.33 (emulator): nothing observed, no request for it was answered with a 2xx (every answer 400/404): is the id right?; "xai.grok-4.33" is not in the catalog: did you mean "xai.grok-4.3"?',
    ]);
    expect(served({ ...unsupported, 'api.responses': 'supported', 'params.temperature': 'rejected' }, { model: 'qwen.qwen3-32b', okStatus: 400 }).gate.problems).toEqual([]);
    // A cell that read something and names no status (a valid schema.* cell lists no exchange) may have read a 2xx.
    const schemaOnly = smallMatrix([{ model: 'xai.grok-4.33', check: 'schema.chat-completion', status: 'pass', observed: 'valid', evidence: [] }], ['xai.grok-4.33', 'qwen.qwen3-32b'], ['schema.chat-completion']);
    expect(schemaOnly.gate.problems).toEqual([]);
    // Stated for every probe (a model known not to be served on this surface): no surprise, no problem.
    expect(served(unsupported, { expected: 'unsupported' }).gate.problems).toEqual([]);
    // A typo'd id stays unobserved in a run filtered to some probes and checks, and when refused with 400s by name.
    expect(problems(served({ 'api.chat-completions': 'unsupported', 'stream.chat-completions': null, 'answer.non-empty': null }))).toEqual([
      expect.stringMatching(/^xai\.grok-4\.33 \(emulator\): nothing of the model observed, no API serves it here \(api\.chat-completions found no API serving it; not seen: api\.responses, api\.messages, api\.count-tokens \(--checks 'api\.\*' probes every API\)\): is the id right\?; "xai\.grok-4\.33" is not in the catalog/),
    ]);
    expect(problems(served({ 'stream.chat-completions': null, 'answer.non-empty': null }))).toEqual([expect.stringContaining("(2 check(s) found no API serving it; not seen: api.chat-completions, api.responses, api.messages, api.count-tokens (--checks 'api.*' probes every API)): is the id right?")]);
    expect(problems(served(unsupported, { status: 400 }))).toEqual([expect.stringContaining('no API serves it here (api.chat-completions, api.responses, api.messages, api.count-tokens found no API serving it): is the id right?')]);
    // A known model (in the catalog, or on the endpoint's list) refused by name, or filtered to a probe it does not
    // speak, was observed: that is what it does here. Bare 404s on all four probes are not a refusal by name.
    const known = { model: 'qwen.qwen3-32b' };
    expect(served(unsupported, { ...known, status: 400 }).gate).toMatchObject({ exitCode: 0, problems: [] });
    expect(served({ 'api.responses': 'unsupported', 'stream.responses': null }, known).gate).toMatchObject({ exitCode: 0, problems: [] });
    expect(served({ ...unsupported, 'models.listed': 'listed' }, { status: 400 }).gate).toMatchObject({ exitCode: 0, problems: [] });
    expect(problems(served(unsupported, known))).toEqual([expect.stringContaining('every probe a bare 404): is the id right, and the --endpoint path?')]);
    // A run filtered to checks that need no model observed what it asked; one that needed the model's API is a refusal.
    expect(served({ 'errors.wrong-route': 'conformant', 'errors.unknown-model': 'conformant' }, known).gate).toMatchObject({ exitCode: 0, problems: [] });
    // ... of a model known to exist: an id nothing vouches for (not in the catalog, not on the list) is not observed so.
    expect(problems(served({ 'errors.wrong-route': 'conformant', 'errors.unknown-model': 'conformant' }))).toEqual([expect.stringContaining("nothing observed, 2 from checks that need no model (errors.*, models.*, headers.*, schema.error); only checks that need no model ran, and no model list was read: add models.listed to --checks, or a check that uses the model (--checks 'api.*')")]);
    expect(problems(served({ 'models.listed': 'not-listed' }))).toEqual([expect.stringContaining("nothing observed, 1 from checks that need no model (errors.*, models.*, headers.*, schema.error); only checks that need no model ran, and the endpoint's model list does not name it (models.listed: not-listed): check the id")]);
    expect(served({ 'models.listed': 'listed', 'errors.unknown-model': 'conformant' }).gate).toMatchObject({ exitCode: 0, problems: [] });
    // path-prefix alone that found no prefix serving it is a refusal like a probe's.
    expect(problems(served({ 'path-prefix': 'none' }))).toEqual([expect.stringContaining('(path-prefix found no API serving it; not seen: ')]);
    expect(served({ 'path-prefix': 'none' }, known).gate).toMatchObject({ exitCode: 0, problems: [] });
    expect(problems(served({ 'errors.unknown-model': 'conformant', 'errors.bad-parameter': null }))).toEqual([expect.stringContaining('(1 check(s) found no API serving it; not seen: ')]);
    expect(served({ 'errors.unknown-model': 'conformant', 'errors.bad-parameter': null }, known).gate).toMatchObject({ exitCode: 0, problems: [] });
    // What a typo'd id gets without the model (its absence from the list, error bodies) observes nothing of it.
    const listedOnly = smallMatrix(
      [
        { model: 'xai.grok-4.33', check: 'models.listed', status: 'fail', observed: 'not-listed', reason: 'not on the list' },
        { model: 'xai.grok-4.33', check: 'created-at.chat', status: 'error', observed: null, reason: 'HARNESS_MODEL_NOT_FOUND: no such model', evidence: [] },
      ],
      ['xai.grok-4.33', 'qwen.qwen3-32b'],
      ['models.listed', 'created-at.chat'],
    );
    expect(problems(listedOnly)).toEqual([expect.stringMatching(/^xai\.grok-4\.33 \(emulator\): nothing observed, 1 of 2 cells are errors \(HARNESS_MODEL_NOT_FOUND\), 1 from checks that need no model \(errors\.\*, models\.\*, headers\.\*, schema\.error\);? "xai/)]);
  });

  it('errors of cells with no stated expectation gate above --max-errors, not below', () => {
    const errors = (n: number) => smallMatrix(['xai.grok-4.3', 'qwen.qwen3-32b'].flatMap((model) => ['path-prefix', 'defaults.temperature'].map((check) => ({ model, check, status: 'error' as const, observed: null, reason: 'HARNESS_TIMEOUT' })).slice(0, n)));
    const two = errors(1);
    expect(two.gate).toMatchObject({ exitCode: 0, errors: { unexpected: 2, max: 5 } });
    const strict = finishMatrix({ ...two, gate: { ...two.gate, errors: { unexpected: 0, max: 1 } } });
    expect(strict.gate).toMatchObject({ exitCode: 1, problems: [expect.objectContaining({ kind: 'too-many-errors' })] });
    expect(renderJunit(strict)).toContain('<testsuite name="gate" tests="1" failures="1"');
  });

  it('the gate line tells cells that failed their stated expectation from those it could not be checked in (errors)', () => {
    const stated = { expected: 'integer', expectedSource: 'openai-reference: x' };
    const gate = (cells: Parameters<typeof smallMatrix>[0]) => gateLine(smallMatrix(cells).gate);
    expect(gate([{ model: 'xai.grok-4.3', check: 'created-at.chat', status: 'fail', observed: 'exponent', ...stated }])).toBe('fail (exit 1): 1 result(s) do not meet their stated expectation: 1 fail');
    expect(gate([{ model: 'xai.grok-4.3', check: 'created-at.chat', status: 'error', observed: null, reason: 'HARNESS_TIMEOUT', ...stated }])).toBe('fail (exit 1): 1 result(s) do not meet their stated expectation: 1 could not be checked (error)');
    expect(
      gate([
        { model: 'xai.grok-4.3', check: 'created-at.chat', status: 'error', observed: null, reason: 'HARNESS_TIMEOUT', ...stated },
        { model: 'qwen.qwen3-32b', check: 'created-at.chat', status: 'flaky', observed: null, ...stated },
      ]),
    ).toBe('fail (exit 1): 2 result(s) do not meet their stated expectation: 1 flaky, 1 could not be checked (error)');
  });

  it('an interrupted run says interrupted in the gate and matrix.md; a partial one fails', () => {
    const base = smallMatrix();
    const interrupted = finishMatrix({ ...base, run: { ...base.run, partial: true, partialReason: 'interrupted (Ctrl-C)' } });
    expect(interrupted.gate).toMatchObject({ exitCode: 130, verdict: 'interrupted' });
    const md = renderMarkdown(interrupted);
    expect(md).toContain('**Gate: interrupted (exit 130)');
    expect(md).not.toMatch(/pass \(exit 0\)/);
    // Cells the interruption cut short are not reached, not "another shard's".
    const cut = finishMatrix({
      ...interrupted,
      results: interrupted.results.map((r, i) => (i < 2 ? { ...r, status: 'skipped' as const, observed: null, notRun: true as const, reason: i === 0 ? 'not reached: interrupted (SIGTERM)' : 'not run: filtered out (a model filter or -t) or in another shard' } : r)),
    });
    expect(coverageLine(cut)).toBe('4 of 6 cells observed (66.6%); not observed: 1 not reached (the run stopped first), 1 not run here (filtered out or another shard\'s)');
    expect(renderMarkdown(cut)).toContain('1 not reached (the run stopped first)');
    const partial = finishMatrix({ ...base, run: { ...base.run, partial: true, partialReason: 'spend cap reached (--max-requests 20)' } });
    expect(partial.gate).toMatchObject({ exitCode: 1, verdict: 'fail', problems: [{ kind: 'partial' }] });
  });

  it('JUnit never shows a non-gating error as a pass; the step summary lists errors without a baseline', () => {
    const matrix = smallMatrix([{ model: 'xai.grok-4.3', check: 'defaults.temperature', status: 'error', observed: null, reason: `HARNESS_SERVER_ERROR: ${HOSTILE}` }]);
    const junit = renderJunit(matrix);
    expect(XMLValidator.validate(junit)).toBe(true);
    expect(junit).toMatch(/name="defaults\.temperature" time="0">\n\s*<skipped message="error, not gating/);
    const summary = renderStepSummary(matrix, { runUrl: 'https://github.com/o/r/actions/runs/1' });
    expect(summary).toContain('**Errors (nothing observed; they do not gate one by one)** (1)');
    expect(summary).toContain('[this run](https://github.com/o/r/actions/runs/1)');
    for (const line of summary.split('\n')) expect(line).not.toMatch(/^\s*::/);
    expect(summary).not.toMatch(/\u001b/);
  });
});

describe('flaky and inconclusive in every report', () => {
  it('JUnit: a gating flaky cell is a failure of type flaky, inconclusive is skipped with the reason; matrix.md and matrix.html show both, with the trials', async () => {
    const { renderHtml } = await import('../src/report/html-report.ts');
    const trials = [
      { status: 'pass' as const, observed: 'integer', reason: 'ok', evidence: [] },
      { status: 'fail' as const, observed: 'exponent', reason: 'trial two saw exponent', evidence: [] },
    ];
    const matrix = smallMatrix([
      { model: 'xai.grok-4.3', check: 'created-at.chat', status: 'flaky', observed: 'integer', reason: 'integer 1/2, exponent 1/2', trials },
      { model: 'qwen.qwen3-32b', check: 'created-at.chat', status: 'inconclusive', observed: null, reason: 'the output budget was spent on reasoning' },
    ]);
    expect(matrix.gate.gating.map((g) => g.model)).toEqual(['xai.grok-4.3']);
    const junit = renderJunit(matrix);
    expect(junit).toMatch(/<failure message="integer 1\/2, exponent 1\/2" type="flaky">[^<]*trial 2: fail &quot;exponent&quot;: trial two saw exponent/);
    expect(junit).toContain('<skipped message="inconclusive: the output budget was spent on reasoning"/>');
    const md = renderMarkdown(matrix);
    expect(md).toContain('- ≈ `xai.grok-4.3` `created-at.chat` (emulator): integer 1/2, exponent 1/2');
    expect(md).toContain('| `emulator/qwen.qwen3-32b` | 0 | 0 | 0 | 0 | 1 |');
    const html = renderHtml(matrix);
    expect(html).toContain('class="cell s-flaky gating"');
    expect(html).toContain('class="cell s-inconclusive"');
    expect(html).toContain('"trials":[{"status":"pass"');
    expect(html).toContain('<option value="flaky">flaky</option>');
  });
});

describe('compare', () => {
  it('lists each change once, and shows stable -> flaky and flaky -> stable', () => {
    const before = smallMatrix([{ model: 'qwen.qwen3-32b', check: 'path-prefix', status: 'flaky', observed: '/v1' }]);
    const after = smallMatrix([
      { model: 'xai.grok-4.3', check: 'created-at.chat', status: 'fail', observed: 'exponent' },
      { model: 'xai.grok-4.3', check: 'path-prefix', status: 'flaky', observed: '/v1' },
    ]);
    const c = compareMatrices(before, after);
    expect(c.newFailures.map((x) => x.check)).toEqual(['created-at.chat']);
    expect(c.changedObserved).toEqual([]);
    expect(c.becameFlaky!.map((x) => `${x.model} ${x.check}`)).toEqual(['xai.grok-4.3 path-prefix']);
    expect(c.becameStable!.map((x) => `${x.model} ${x.check}`)).toEqual(['qwen.qwen3-32b path-prefix']);
  });
});

describe('compare: coverage lost', () => {
  it('a cell observed before and inconclusive or skipped now is listed as no longer observed; a filtered-out cell is not', () => {
    const before = smallMatrix();
    const after = smallMatrix([
      { model: 'xai.grok-4.3', check: 'path-prefix', status: 'inconclusive', observed: null, reason: 'output tokens 16 = the limit 16' },
      { model: 'qwen.qwen3-32b', check: 'path-prefix', status: 'skipped', observed: null, reason: 'spend cap reached' },
      { model: 'qwen.qwen3-32b', check: 'defaults.temperature', status: 'skipped', observed: null, notRun: true, reason: 'not run: filtered out' },
    ]);
    const c = compareMatrices(before, after);
    expect(c.noLongerObserved!.map((x) => `${x.model} ${x.check} ${x.before!.status} -> ${x.after!.status}`)).toEqual(['xai.grok-4.3 path-prefix pass -> inconclusive', 'qwen.qwen3-32b path-prefix pass -> skipped']);
    expect(c.newFailures).toEqual([]);
    expect(c.regressed).toBe(false);
    expect(describeComparison(c)).toContain('no longer observed: 2');
    const compared = finishMatrix({ ...after, comparison: c });
    expect(renderMarkdown(compared)).toContain('**No longer observed** (2)');
    expect(renderHtml(compared)).toContain('<h3>No longer observed (2)</h3>');
    // The other way round it is nothing lost.
    expect(compareMatrices(after, before).noLongerObserved).toEqual([]);
    // A flaky cell now hidden is no longer observed, not "became stable".
    const flaky = smallMatrix([{ model: 'xai.grok-4.3', check: 'path-prefix', status: 'flaky', observed: '/v1' }]);
    const hidden = compareMatrices(flaky, after);
    expect(hidden.noLongerObserved!.map((x) => `${x.model} ${x.check}`)).toContain('xai.grok-4.3 path-prefix');
    expect(hidden.becameStable).toEqual([]);
    expect(parseMatrix(JSON.parse(JSON.stringify(compared)), 'm.json').comparison?.noLongerObserved).toHaveLength(2);
  });
});

describe('coverage: cells that rest on fewer trials than asked', () => {
  it('an observed cell with error trials (outvoted by the one that observed) is counted, in the console, md and html', () => {
    const trial = (status: 'pass' | 'error') => ({ status, observed: status === 'pass' ? '/v1' : null, reason: status === 'pass' ? 'ok' : 'HARNESS_SERVER_ERROR: 504', evidence: [] });
    const matrix = smallMatrix([{ model: 'qwen.qwen3-32b', check: 'path-prefix', status: 'pass', observed: '/v1', trials: [trial('error'), trial('error'), trial('pass'), trial('error'), trial('error')] }]);
    const line = coverageLine(matrix);
    expect(line).toBe('6 of 6 cells observed (100%); 1 observed cell(s) rest on fewer trials than asked (4 trial(s) errored)');
    expect(renderMarkdown(matrix)).toContain('rest on fewer trials than asked (4 trial(s) errored)');
    expect(renderHtml(matrix)).toContain('rest on fewer trials than asked (4 trial(s) errored)');
    // Trials that all observed say nothing more.
    expect(coverageLine(smallMatrix([{ model: 'qwen.qwen3-32b', check: 'path-prefix', status: 'pass', observed: '/v1', trials: [trial('pass'), trial('pass')] }]))).toBe('6 of 6 cells observed (100%)');
  });
});

describe('compare: a newer run that stopped', () => {
  it('lists the cells it did not reach as no longer observed, and says it did not finish', () => {
    const before = smallMatrix();
    const stopped = smallMatrix([{ model: 'qwen.qwen3-32b', check: 'path-prefix', status: 'skipped', observed: null, notRun: true, reason: 'not reached: the run was interrupted' }]);
    const after = { ...stopped, run: { ...stopped.run, partial: true, interrupted: true, partialReason: 'SIGTERM' } };
    const c = compareMatrices(before, after);
    expect(c.noLongerObserved!.map((x) => `${x.model} ${x.check} ${x.before!.status} -> ${x.after!.status}`)).toEqual(['qwen.qwen3-32b path-prefix pass -> skipped']);
    expect(unfinishedRun(after)).toMatch(/^the newer run did not finish \(interrupted: SIGTERM\)/);
    // A finished run says nothing of the kind.
    expect(unfinishedRun(before)).toBeUndefined();
  });

  it('compare exits 1 for it, saying so, where it said "regressed: no" (exit 0)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'compare-stopped-'));
    try {
      const stopped = smallMatrix([{ model: 'qwen.qwen3-32b', check: 'path-prefix', status: 'skipped', observed: null, notRun: true, reason: 'not reached: the run was interrupted' }], undefined, undefined, { runId: 'r2' });
      await writeFile(join(dir, 'before.json'), JSON.stringify(smallMatrix()));
      await writeFile(join(dir, 'after.json'), JSON.stringify({ ...stopped, run: { ...stopped.run, partial: true, interrupted: true, partialReason: 'SIGTERM' } }));
      let text = '';
      const out = new Writable({ write: (chunk, _e, done) => ((text += String(chunk)), done()) }) as unknown as NodeJS.WriteStream;
      const code = await main(['compare', join(dir, 'before.json'), join(dir, 'after.json')], { out, err: out });
      expect(text).toContain('no longer observed: 1');
      expect(text).toContain('the newer run did not finish (interrupted: SIGTERM)');
      expect(code).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('capability table', () => {
  it('CSV has one row per model', () => {
    const csv = tableCsv(buildCapabilityTable([smallMatrix()])).trim().split('\n');
    expect(csv).toHaveLength(3);
    expect(csv[0]!.startsWith('model,family,surface,Route prefix,')).toBe(true);
    expect(csv[1]).toMatch(/^xai\.grok-4\.3,,mantle,yes: \/v1,/);
    expect(csv[1]!.endsWith(',emulator 2026-11-24')).toBe(true);
  });
});

describe('bless', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bless-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const sink = () => {
    let text = '';
    return { stream: new Writable({ write: (chunk, _e, done) => ((text += String(chunk)), done()) }) as unknown as NodeJS.WriteStream, text: () => text };
  };
  const bless = async (matrix: Matrix, file: string) => {
    const input = join(dir, 'matrix.json');
    await writeFile(input, JSON.stringify(matrix));
    const out = sink();
    const code = await main(['bless', input, '--expectations', file], { out: out.stream, err: out.stream });
    return { code, text: out.text() };
  };

  it('from a build whose suites/ is a link (the checkout command\'s, this test run\'s package), the comment names the real schema file', async () => {
    const input = join(dir, 'linked-matrix.json');
    await writeFile(input, JSON.stringify(smallMatrix([{ model: 'qwen.qwen3-32b', check: 'created-at.chat', status: 'fail', observed: 'exponent' }])));
    const file = join(dir, 'linked.yaml');
    const run = await cliProcess(['bless', input, '--expectations', file]);
    expect(run.code, run.stderr).toBe(0);
    const schemaPath = (await readFile(file, 'utf8')).split('\n')[0]!.replace('# yaml-language-server: $schema=', '');
    expect(schemaPath).not.toContain('node_modules');
    expect(resolve(dir, schemaPath)).toBe(join(await realpath(ROOT), 'suites/schema/expectations.schema.json'));
  });

  it('writes a new file in block style with a $schema comment that resolves from where it is; a flip gets a fresh reason', async () => {
    const file = join(dir, 'nested', 'exp.yaml');
    const failing = smallMatrix([
      { model: 'qwen.qwen3-32b', check: 'created-at.chat', status: 'fail', observed: 'exponent' },
      { model: 'xai.grok-4.3', check: 'path-prefix', status: 'flaky', observed: '/v1', expected: '/v1', expectedSource: 'catalog: x', trials: [{ status: 'pass', observed: '/v1', reason: '', evidence: [] }, { status: 'fail', observed: 'none', reason: '', evidence: [] }] },
    ]);
    await mkdir(join(dir, 'nested'), { recursive: true });
    const first = await bless(failing, file);
    expect(first.code, first.text).toBe(0);
    expect(first.text).toContain('qwen.qwen3-32b created-at.chat: "integer" (openai-reference) -> "exponent"');
    expect(first.text).toContain('xai.grok-4.3 path-prefix: "/v1" (catalog) -> one of "/v1", "none"');
    const text = await readFile(file, 'utf8');
    const schemaLine = text.split('\n')[0]!;
    const schemaPath = schemaLine.replace('# yaml-language-server: $schema=', '');
    expect(await readFile(join(dir, 'nested', schemaPath), 'utf8')).toContain('"title": "mantle-conformance expectations"');
    expect(text).not.toContain('{');
    expect(text).toMatch(/\n {2}qwen\.qwen3-32b:\n {4}created-at\.chat:\n {6}observed: exponent\n {6}reason: .*blessed from run r1/);
    expect(text).toMatch(/observed: \[ \/v1, none \]/);

    const back = smallMatrix([{ model: 'qwen.qwen3-32b', check: 'created-at.chat', status: 'fail', observed: 'integer', expected: 'exponent', expectedSource: 'expectations: x' }]);
    back.run.id = 'r2';
    expect((await bless(back, file)).code).toBe(0);
    const after = await readFile(file, 'utf8');
    expect(after).toMatch(/created-at\.chat:\n {6}observed: integer\n {6}reason: .*blessed from run r2: observed "integer"/);
    expect(after).not.toContain('blessed from run r1: observed "exponent"');
  });

  it('never writes a value the check cannot observe, even one the file\'s own vocabulary lists: exit 2 naming the JSON path, nothing written', async () => {
    const file = join(dir, 'injected.yaml');
    const word = 'integer\nmodels:\n  evil.model: {}\n# ';
    const matrix = smallMatrix([{ model: 'qwen.qwen3-32b', check: 'created-at.chat', status: 'fail', observed: word }]);
    matrix.checks = matrix.checks.map((c) => (c.id === 'created-at.chat' && Array.isArray(c.vocabulary) ? { ...c, vocabulary: [...c.vocabulary, word] } : c));
    const refused = await bless(matrix, file);
    expect(refused.code).toBe(2);
    expect(refused.text).toMatch(/HARNESS_REPORT_INVALID: .*matrix\.json: results\[4\]\.observed: "integer\\nmodels:.*" is not one of "integer", "float", "exponent", "string", "missing"/);
    await expect(readFile(file, 'utf8')).rejects.toThrow(/ENOENT/);
    // The same file with the word the check can observe blesses.
    const fine = smallMatrix([{ model: 'qwen.qwen3-32b', check: 'created-at.chat', status: 'fail', observed: 'exponent' }]);
    expect((await bless(fine, file)).code).toBe(0);
    expect(await readFile(file, 'utf8')).toContain('observed: exponent');
  });

  it('never writes to a path read from the matrix', async () => {
    const matrix = smallMatrix([{ model: 'qwen.qwen3-32b', check: 'created-at.chat', status: 'fail', observed: 'exponent' }]);
    matrix.run.catalog = join(dir, 'elsewhere', 'models.yaml');
    const input = join(dir, 'from-matrix.json');
    await writeFile(input, JSON.stringify(matrix));
    const out = sink();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(await main(['bless', input], { out: out.stream, err: out.stream })).toBe(2);
    } finally {
      process.chdir(cwd);
    }
    expect(out.text()).toContain('--expectations');
    await expect(readFile(join(dir, 'elsewhere', 'expectations.yaml'), 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
