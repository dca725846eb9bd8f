/**
 * A Ctrl-C or SIGTERM that lands after the run's last set-up check but before the run proper listens (while the
 * earlier reports are removed) was said ("nothing is judged and no reports are written") and then lost: the run
 * sent everything, wrote green reports and exited 0 (hostile review of the CI gate, 2026-12-06, finding 1). The
 * hand-over itself now refuses a run a signal stopped, so no window between a check and the hand-over remains for a
 * caller to forget (run-command.ts and the vitest path both hand over through it).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { guardSetup, InterruptedBeforeRun } from '../src/cli/setup-guard.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

function quietErr(): { err: NodeJS.WritableStream; said: () => string } {
  let said = '';
  return { err: { write: (text: string) => ((said += text), true) } as unknown as NodeJS.WritableStream, said: () => said };
}

describe('the setup guard hands over only a run no signal stopped', () => {
  it.each([['SIGINT', 'Ctrl-C'], ['SIGTERM', 'SIGTERM']] as const)('%s before handOver: handOver throws InterruptedBeforeRun, nothing quits', (signal, by) => {
    const exits: (number | undefined)[] = [];
    vi.spyOn(process, 'exit').mockImplementation(((code?: number) => void exits.push(code)) as typeof process.exit);
    const { err, said } = quietErr();
    const guard = guardSetup(err);
    try {
      process.emit(signal);
      expect(said()).toContain(`Interrupted (${by}) before the run started: nothing is judged and no reports are written`);
      let thrown: unknown;
      try {
        guard.handOver();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InterruptedBeforeRun);
      expect((thrown as InterruptedBeforeRun).by).toBe(by);
      expect(exits).toEqual([]);
    } finally {
      guard.dispose();
    }
  });

  it('with no signal, handOver hands over', () => {
    const guard = guardSetup(quietErr().err);
    try {
      expect(() => guard.handOver()).not.toThrow();
    } finally {
      guard.dispose();
    }
  });
});
