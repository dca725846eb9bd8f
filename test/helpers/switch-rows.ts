/**
 * Checks tested both ways against the emulator: with the documented behaviour (the switch off) a check passes on
 * the value the catalog or the reference states; with one switch flipped it observes the deviation and, where an
 * expectation is stated, fails. A check that cannot fail is a defect, so every row flips one switch.
 */
import { expect } from 'vitest';
import type { CheckResult } from '../../src/checks/types.ts';
import type { ProfileOverride } from '../../src/emulator/profile.ts';
import type { EmulatorOptions } from '../../src/emulator/server.ts';
import { catalogEmulator, checkModel, liveTarget } from './harness.ts';

export interface SwitchRow {
  model: string;
  check: string;
  /** The model's switch (a profile override) that makes the deviation. */
  quirk?: ProfileOverride;
  /** Emulator options that make it instead (faults, latency). */
  server?: Partial<EmulatorOptions>;
  /** What is observed with the switch off and on. */
  off: unknown;
  on: unknown;
  /** The status with the switch on. @default 'fail' (a stated expectation); 'pass' for a bare observation. */
  onStatus?: CheckResult['status'];
  /** What the reason says with the switch on. */
  reason?: RegExp;
}

/** The row's check against a fresh emulator playing the catalog, with the switch on or off. */
export async function observeSwitch(row: SwitchRow, on: boolean): Promise<CheckResult> {
  const emulator = await catalogEmulator(on && row.quirk ? { [row.model]: row.quirk } : {}, on ? (row.server ?? {}) : {});
  try {
    return (await checkModel(liveTarget(emulator.url), row.model, { checks: [row.check] })).get(row.check)!;
  } finally {
    await emulator.close();
  }
}

/** Off: passes on `off`. On: observes `on` with `onStatus`, and a reason that matches `reason`. */
export async function expectBothWays(row: SwitchRow): Promise<void> {
  const off = await observeSwitch(row, false);
  expect(off.observed, off.reason).toEqual(row.off);
  expect(off.status, off.reason).toBe('pass');
  const on = await observeSwitch(row, true);
  expect(on.observed, on.reason).toEqual(row.on);
  expect(on.status, on.reason).toBe(row.onStatus ?? 'fail');
  if (row.reason) expect(on.reason).toMatch(row.reason);
}

/** A test name that says what flips: `tools.chat.forced-call on qwen.qwen3-32b: conformant -> no-call`. */
export const named = <R extends SwitchRow>(rows: readonly R[]) => rows.map((row) => ({ ...row, name: `${row.check} on ${row.model}: ${String(row.off)} -> ${String(row.on)}` }));
