/**
 * A gateway that answers every request for a catalog model in another catalog model's name (openai.gpt-oss-20b
 * rewritten to openai.gpt-oss-120b): what the cells read is that model's. Record keeps the model's recordings and
 * bless skips such cells; the gate agrees, the model observed nothing. An alias outside the catalog answered in a
 * catalog model's name is still the model's (the gate cannot tell an alias).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { finishMatrix } from '../src/report/build-matrix.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { passAnswer, startEmulatorProxy, type EmulatorProxy } from './helpers/emulator-proxy.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const ASKED = 'openai.gpt-oss-20b';
const OTHER = 'openai.gpt-oss-120b';
const ALIAS = 'our-chat-model';

let dir: string;
let emulator: RunningEmulator;
let proxy: EmulatorProxy;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-rerouted-'));
  emulator = await catalogEmulator();
  // The gateway sends the asked model, and the alias, to the other catalog model; its answers name that model.
  proxy = await startEmulatorProxy(emulator.url, {
    forwardHeaders: (request) => {
      // Plain bodies, so that the model's name can be rewritten in them.
      const { 'accept-encoding': _encoding, ...headers } = request.headers;
      return headers;
    },
    // Its model list is left as it is: the model is listed, and only the answers name the other one.
    answer: (request, answer, res) => passAnswer(answer, res, {}, request.method === 'POST' ? Buffer.from(answer.body.toString('utf8').replaceAll(ASKED, OTHER)) : answer.body),
  });
});
afterAll(async () => {
  await proxy.close();
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const CHECKS = 'answer.non-empty,defaults.temperature,api.chat-completions,models.listed';

describe('a live run whose every answer for a catalog model names another catalog model', () => {
  it('fails the gate: the model observed nothing, as record and bless already read it', async () => {
    const reports = join(dir, 'r-rerouted');
    const run = await cli(['run', '--mode', 'live', '--endpoint', proxy.url, '--surface', 'mantle', '--auth', 'none', '--models', ASKED, '--checks', CHECKS, '--retries', '0', '--report-dir', reports, '--plain']);
    const out = run.stdout + run.stderr;
    expect(run.code, out).toBe(1);
    expect(out).toContain(`${ASKED} (`);
    expect(out).toContain(`that read an answer read one in the name of another model of the catalog ("${OTHER}")`);
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    // Nothing else fails: every cell passes on the other model's answers, which is what the gate used to pass.
    expect(matrix.gate.gating).toEqual([]);
    expect(matrix.gate.problems).toEqual([expect.objectContaining({ kind: 'unobserved-model', model: ASKED })]);
    // The other catalog model is kept in the cell, for the gate of a matrix.json read again (report, merge).
    expect(matrix.results.find((r) => r.check === 'answer.non-empty')!.otherModel).toMatchObject({ catalogModel: OTHER });
    const again = await cli(['report', join(reports, 'matrix.json'), '--report-dir', join(dir, 'r-again')]);
    expect(again.code, again.stdout + again.stderr).toBe(1);
  });
});

describe('the gate\'s rule, on a matrix', () => {
  const rerouted = (check: string) => ({
    model: 'xai.grok-4.3',
    check,
    evidence: [{ case: 'c', step: 'main', request: 'POST /v1/chat/completions', status: 200, answeredBy: 'qwen.qwen3-32b' }],
    otherModel: { answers: 1, others: 1, names: ['qwen.qwen3-32b'] },
  });

  it('a catalog model every answered cell of which another catalog model answered observed nothing', () => {
    const matrix = smallMatrix([rerouted('path-prefix'), rerouted('created-at.chat'), rerouted('defaults.temperature')]);
    expect(matrix.gate.problems.map((p) => p.kind)).toEqual(['unobserved-model']);
    expect(matrix.gate.problems[0]!.message).toContain('xai.grok-4.3 (emulator): nothing of it observed, each of its 3 cell(s)');
  });

  it('one cell the model answered itself keeps it observed (a fallback now and then)', () => {
    const matrix = smallMatrix([rerouted('created-at.chat'), rerouted('defaults.temperature')]);
    expect(matrix.gate.verdict).toBe('pass');
  });

  it('answers in a name no model of the catalog or the run has (an alias\'s backend) keep it observed', () => {
    const other = (check: string) => ({ ...rerouted(check), evidence: [{ ...rerouted(check).evidence[0]!, answeredBy: 'some-deployment' }], otherModel: { answers: 1, others: 1, names: ['some-deployment'] } });
    const matrix = smallMatrix([other('path-prefix'), other('created-at.chat'), other('defaults.temperature')]);
    expect(matrix.gate.verdict).toBe('pass');
  });

  it('a model outside the catalog answered in a catalog model\'s name (an alias) is still the model', () => {
    const alias = (check: string) => ({ ...rerouted(check), model: ALIAS });
    const built = smallMatrix([alias('path-prefix'), alias('created-at.chat'), alias('defaults.temperature')], [ALIAS, 'qwen.qwen3-32b']);
    // As a catalog model it observed nothing; outside the catalog it is an alias answered by the model behind it.
    expect(built.gate.problems.map((p) => p.model)).toEqual([ALIAS]);
    const outside = finishMatrix({ ...built, models: built.models.map((m) => (m.id === ALIAS ? { ...m, inCatalog: false } : m)) });
    expect(outside.gate.verdict).toBe('pass');
  });
});
