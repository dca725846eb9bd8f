/**
 * A signal after the run's last check, while its reports are written (review of the run as a CI job sees it): the
 * first is said and waited out, the reports are written whole; only a second quits now. Before, one Ctrl-C in that
 * second threw away a finished run's matrix (the run's listener was gone, and the setup guard's quit at once).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { guardSetup } from '../src/cli/setup-guard.ts';
import { listenForInterrupt } from '../src/run/run-conformance.ts';

afterEach(() => vi.restoreAllMocks());

/**
 * A second signal at once is the first one again (GNU timeout sends SIGTERM to the command and to its group): heard,
 * nothing more. Half a second later it quits now.
 */
function secondSignal(signal: NodeJS.Signals, exits: (number | undefined)[]): void {
  const now = Date.now();
  const clock = vi.spyOn(Date, 'now').mockReturnValue(now + 100);
  process.emit(signal);
  expect(exits).toEqual([]);
  clock.mockReturnValue(now + 600);
  process.emit(signal);
  expect(exits).toEqual([130]);
}

function listening() {
  let said = '';
  const err = { write: (text: string) => ((said += text), true) } as unknown as NodeJS.WritableStream;
  const stopped: string[] = [];
  const exits: (number | undefined)[] = [];
  vi.spyOn(process, 'exit').mockImplementation(((code?: number) => void exits.push(code)) as typeof process.exit);
  const interrupt = listenForInterrupt(err, (by) => stopped.push(by));
  return { interrupt, stopped, exits, said: () => said };
}

describe('Ctrl-C and SIGTERM', () => {
  it.each([['SIGINT', 'Ctrl-C'], ['SIGTERM', 'SIGTERM']] as const)('%s during the run stops it and marks it interrupted; a second quits now', (signal, by) => {
    const { interrupt, stopped, exits, said } = listening();
    try {
      process.emit(signal);
      expect(stopped).toEqual([by]);
      expect(interrupt.by).toBe(by);
      expect(said()).toContain('writing the partial matrix');
      expect(exits).toEqual([]);
      secondSignal(signal, exits);
    } finally {
      interrupt.dispose();
    }
  });

  it.each([['SIGINT', 'Ctrl-C'], ['SIGTERM', 'SIGTERM']] as const)('%s once the run is over waits for the reports: nothing stopped, not interrupted; a second quits now', (signal, by) => {
    const { interrupt, stopped, exits, said } = listening();
    try {
      interrupt.runOver();
      process.emit(signal);
      expect(stopped).toEqual([]);
      expect(interrupt.interrupted).toBe(false);
      expect(exits).toEqual([]);
      expect(said()).toBe(`\nInterrupted (${by}): the run is over; writing its reports (${by} again to quit now, without them)\n`);
      secondSignal(signal, exits);
    } finally {
      interrupt.dispose();
    }
  });
});

describe('the setup guard (before the run, and after its reports while the history and the job summary are written)', () => {
  it.each([['SIGINT', 'Ctrl-C'], ['SIGTERM', 'SIGTERM']] as const)('%s after the reports: said, and a second at once is the same one; a later one quits now', (signal, by) => {
    let said = '';
    const err = { write: (text: string) => ((said += text), true) } as unknown as NodeJS.WritableStream;
    const exits: (number | undefined)[] = [];
    vi.spyOn(process, 'exit').mockImplementation(((code?: number) => void exits.push(code)) as typeof process.exit);
    const guard = guardSetup(err);
    try {
      guard.handOver();
      guard.runOver(false);
      process.emit(signal);
      expect(said).toContain(`Interrupted (${by}): the run is over and its reports are written; finishing the rest`);
      expect(exits).toEqual([]);
      secondSignal(signal, exits);
    } finally {
      guard.dispose();
    }
  });
});
