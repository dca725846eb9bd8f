/**
 * The message of the HARNESS_USAGE error `run` throws (a refused flag or quirk), failing the test when it throws
 * nothing or another error.
 */
import { expect } from 'vitest';
import { HarnessError } from '../../src/errors.ts';

export function usageError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('HARNESS_USAGE');
    return (error as HarnessError).message;
  }
  throw new Error('no error was thrown');
}
