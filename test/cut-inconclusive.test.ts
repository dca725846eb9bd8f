/**
 * A stop or a spend cap that left a case of the check's API unrun makes an `inconclusive` `skipped`, whichever check
 * said it (run/observed-steps.ts applies checks/judge.ts cutInconclusive to every result, as judge() applies cutShort):
 * the case not run may be the one that shows the behaviour, and the reason names the cap, never the model. Before,
 * tools.responses.call-id-scope cut by --max-requests read `inconclusive`, "only one response made a function call".
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inconclusive } from '../src/checks/judge.ts';
import type { CaseOutcome, CheckInput } from '../src/checks/types.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { runOnObserved } from '../src/run/observed-steps.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';

const ran: CaseOutcome = { kind: 'completed', caseId: 'a.ran', api: 'responses', exchanges: [] };
const notRun = (api: 'responses' | 'chat-completions'): CaseOutcome => ({ kind: 'skipped', caseId: 'a.cut', api, reason: 'not sent: the run reached --max-requests 3' });
/** A check that can never tell from what it read: inconclusive, blaming the model. */
const definition = { api: 'responses' as const, run: (input: CheckInput) => inconclusive(input, 'the model made only one call', []) };
const input = (outcomes: CaseOutcome[]): CheckInput => ({ model: 'm', expectation: { value: 'unique', source: 'test' }, outcomes });

describe('an inconclusive beside a case a stop or a spend cap did not run', () => {
  it('is skipped, naming the case and the cap', async () => {
    const result = await runOnObserved(definition, input([ran, notRun('responses')]));
    expect(result).toMatchObject({ status: 'skipped', observed: null, expected: 'unique', reason: expect.stringMatching(/^not judged: case a\.cut was not run \(not sent: the run reached --max-requests 3\); the 1 case\(s\) that ran could not show the behaviour alone \(the model made only one call\)$/) });
  });

  it('stays inconclusive when every case of its API ran (a case of another API not run is not its own)', async () => {
    expect(await runOnObserved(definition, input([ran]))).toMatchObject({ status: 'inconclusive', reason: 'the model made only one call' });
    expect(await runOnObserved(definition, input([ran, notRun('chat-completions')]))).toMatchObject({ status: 'inconclusive' });
  });

  it('tools.responses.call-id-scope cut by --max-requests: skipped with the cap, never inconclusive', async () => {
    const emulator = await catalogEmulator({}, { latencyMs: 300 });
    const dir = await mkdtemp(join(tmpdir(), 'mantle-cut-inconclusive-'));
    try {
      const run = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', emulator.url, '--surface', 'mantle', '--models', 'openai.gpt-oss-20b', '--checks', 'tools.responses.call-id-scope', '--max-requests', '3', '--report-dir', dir, '--plain']);
      expect(run.code).toBe(1);
      const matrix = JSON.parse(await readFile(join(dir, 'matrix.json'), 'utf8')) as Matrix;
      expect(matrix.results).toHaveLength(1);
      expect(matrix.results[0]).toMatchObject({ status: 'skipped', reason: expect.stringContaining('the run reached --max-requests 3') });
      expect(run.stdout).toContain('not observed: 1 skipped');
    } finally {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
