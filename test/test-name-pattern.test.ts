/**
 * `-t` does what the README says: a regular expression on `<model> <check>`, also in a run of several targets (the
 * default replay has two), where the test's full name is `<target> › <model> <check>`; that full name can still pick
 * one target.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../src/cli/run-options.ts';
import { loadPlan } from '../src/run/load-plan.ts';
import type { RunConfig } from '../src/run/run-config.ts';
import { selectWork } from '../src/run/selection.ts';
import { ROOT } from './helpers/harness.ts';

let dir: string;
let config: RunConfig;
let models: Awaited<ReturnType<typeof loadPlan>>['plan']['models'];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'test-name-pattern-'));
  config = await resolveRunConfig({ reportDir: join(dir, 'reports') }, ROOT, '0.0.0-test');
  models = (await loadPlan(config)).plan.models;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const picked = (pattern: RegExp) =>
  selectWork(config.targets, models, { filters: [], pattern }).flatMap((cell) => cell.checks.map((check) => `${cell.target} ${cell.model} ${check.id}`));

describe('-t in the default replay of two targets', () => {
  it('has two targets, so the test names start with the target', () => {
    expect(config.targets.map((t) => t.id).sort()).toEqual(['emulator', 'runtime.emulator']);
  });

  it('selects by "<model> <check>" as documented, on every target', () => {
    expect(picked(/^xai\.grok-4\.3 stream\.chat-completions$/).sort()).toEqual(['emulator xai.grok-4.3 stream.chat-completions', 'runtime.emulator xai.grok-4.3 stream.chat-completions']);
  });

  it('still picks one target by the full name "<target> › <model> <check>"', () => {
    expect(picked(/^runtime\.emulator › xai\.grok-4\.3 stream\.chat-completions$/)).toEqual(['runtime.emulator xai.grok-4.3 stream.chat-completions']);
  });

  it('an unanchored pattern selects as before', () => {
    const all = picked(/created-at\.chat$/);
    expect(all.length).toBeGreaterThan(2);
    expect(all.every((cell) => cell.endsWith(' created-at.chat'))).toBe(true);
  });

  it('a pattern that matches nothing names both forms in its message', () => {
    expect(() => picked(/^no-such-model /)).toThrow(/matched against "<model> <check>", .*and with several targets also against "<target> › <model> <check>"/);
  });
});
