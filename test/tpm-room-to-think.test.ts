/**
 * The start-up --tpm warning counts each request as the scheduler will: with the max tokens the run sends. For a
 * reasoning model's visible-output steps the run raises max_tokens to the thinking budget (room-to-think.ts), and a
 * later step quotes the earlier answer (thinking included). Before, the warning read the cases as written: with
 * `--checks 'tools.chat.*' --models openai.gpt-oss-20b` it said 387 tokens while the scheduler counted 1211, so a
 * --tpm of 1000, the warning's own advice followed, left the run held one request per minute with no warning at all.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import { buildPlan } from '../src/plan/plan.ts';
import { DEFAULT_THINKING_BUDGET } from '../src/run/room-to-think.ts';
import { largestRequest } from '../src/run/tpm-warning.ts';
import type { CellWork } from '../src/run/selection.ts';
import { permitsAsked } from './helpers/permits-asked.ts';
import { catalogEmulator, cli, projectSuites } from './helpers/harness.ts';

const advised = (stderr: string): number | undefined => {
  const line = stderr.split('\n').find((l) => l.startsWith('warning: --tpm '));
  return line ? Number(/raise --tpm to (\d+) or more/.exec(line)?.[1]) : undefined;
};

describe('the --tpm warning of a reasoning model (gpt-oss-20b: the catalog says it reasons)', () => {
  let dir: string | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('advises a --tpm at least as large as every request the scheduler counts, and is silent at that --tpm', async () => {
    const asked = permitsAsked();
    const emulator = await catalogEmulator();
    try {
      dir = await mkdtemp(join(tmpdir(), 'mantle-tpm-think-'));
      const base = ['run', '--mode', 'live', '--auth', 'none', '--endpoint', emulator.url, '--surface', 'mantle', '--models', 'openai.gpt-oss-20b', '--checks', 'tools.chat.*', '--report-dir', dir, '--plain'];
      // --max-requests 1: only the warning is wanted of this one; the first request goes, the rest are denied at once.
      const low = await cli([...base, '--tpm', '300', '--max-requests', '1']);
      const advice = advised(low.stderr);
      expect(advice, low.stderr).toBeDefined();

      // The whole run with a budget nothing waits on: what the scheduler counts of each request actually sent.
      asked.length = 0;
      const run = await cli([...base, '--tpm', '10000000']);
      expect(run.code, run.stderr).toBe(0);
      const counted = asked.filter((a) => a.model === 'openai.gpt-oss-20b').map((a) => a.tokens);
      expect(counted.length).toBeGreaterThan(3);
      // Room to think was given (the scheduler counts above the budget): the case's own 128 would not be.
      expect(Math.max(...counted)).toBeGreaterThan(DEFAULT_THINKING_BUDGET);
      expect(advice!).toBeGreaterThanOrEqual(Math.max(...counted));
      // The advice followed: every request fits the budget alone, so none goes only when its minute is empty
      // (scheduler.ts budgetWait), and the run does not warn again.
      expect(counted.every((tokens) => tokens <= advice!)).toBe(true);
      // And it says why the number is above the case's own max_tokens.
      expect(low.stderr).toContain(`with room to think, ${DEFAULT_THINKING_BUDGET} output tokens (catalog: mantle-md/reasoning)`);
      const followed = await cli([...base, '--tpm', String(advice), '--max-requests', '1']);
      expect(followed.stderr).not.toContain('warning: --tpm');
      // One below the advice is still warned of (the estimate is what the advice says, not a round number).
      const under = await cli([...base, '--tpm', String(advice! - 1), '--max-requests', '1']);
      expect(advised(under.stderr)).toBe(advice);
    } finally {
      await emulator.close();
    }
  }, 90_000);
});

describe('largestRequest', () => {
  const cellsOf = async (models: string[], checks: string[]) => {
    const { suites, catalog } = await projectSuites();
    const plan = buildPlan(suites, catalog, ALL_CHECKS, { models, checks });
    const work = plan.models.map((m) => ({ target: 'site', model: m.id, planned: m, title: m.id, checks: m.checks })) as CellWork[];
    return { work, loaded: { plan, catalog } };
  };
  const live = { targets: [{ id: 'site', mode: 'live' as const }] } as Parameters<typeof largestRequest>[0];

  it('counts room to think for a model the catalog does not describe: its probes may show it reasons', async () => {
    const { work, loaded } = await cellsOf(['vendor.thinker'], ['tools.chat.*']);
    const largest = largestRequest(live, work, loaded);
    expect(largest?.thinking?.budget).toBe(DEFAULT_THINKING_BUDGET);
    expect(largest!.tokens).toBeGreaterThan(DEFAULT_THINKING_BUDGET);
  });

  it('counts the prompt the run generates (prompt-cache sends about 5000 tokens of prose), not the template as written', async () => {
    const { work, loaded } = await cellsOf(['anthropic.claude-haiku-4-5'], ['prompt-cache.messages']);
    const largest = largestRequest(live, work, loaded);
    expect(largest?.caseId).toBe('prompt-cache.messages');
    expect(largest!.tokens).toBeGreaterThan(5000);
  });
});
