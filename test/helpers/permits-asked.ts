/**
 * What every permit of the run's scheduler asked for (target, model, tokens), kept as the run goes: the scheduler's
 * acquire is spied on and still grants as it would. The caller restores it (vi.restoreAllMocks).
 */
import { vi } from 'vitest';
import { LocalScheduler, type PermitRequest } from '../../src/transport/scheduler.ts';

export function permitsAsked(): PermitRequest[] {
  const asked: PermitRequest[] = [];
  const acquire = LocalScheduler.prototype.acquire;
  vi.spyOn(LocalScheduler.prototype, 'acquire').mockImplementation(function (this: LocalScheduler, request, signal) {
    asked.push(request);
    return acquire.call(this, request, signal);
  });
  return asked;
}
