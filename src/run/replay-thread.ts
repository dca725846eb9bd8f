/**
 * @module run/replay-thread
 * A worker thread of a shared replay (replay-threads.ts): it loads the same plan from the same config, then runs the
 * engine on cells it takes from the run's one queue (an index every thread advances with Atomics), and hands each
 * finished cell back whole.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HarnessError, toHarnessError } from '../errors.ts';
import { cellKey } from '../report/matrix.ts';
import { loadPlan } from './load-plan.ts';
import { loadOpenApiSchemas } from './openapi-schemas.ts';
import { RunEngine } from './run-engine.ts';
import { selectWork, type CellWork } from './selection.ts';
import { expectsOf, type ThreadData, type ToMain, type ToThread } from './replay-threads.ts';

const port = parentPort!;
const post = (message: ToMain) => port.postMessage(message);
const { config, cells, next } = workerData as ThreadData;
const taken = new Int32Array(next);
let engine: RunEngine | undefined;

port.on('message', (message: ToThread) => {
  if (message.type === 'stop') engine?.stop(message.code, message.message);
});
// The port still delivers `stop`, but does not keep the thread alive: a thread with nothing left to do ends (and
// the main thread reports a thread that ended before it said finished), it never waits for ever.
port.unref();

/** The next cell no thread has taken, as this thread's plan has it: the same model and target, the same checks. */
function take(planned: Map<string, CellWork>): CellWork | undefined {
  const order = cells[Atomics.add(taken, 0, 1)];
  if (!order) return undefined;
  const work = planned.get(cellKey(order.target, order.model));
  const changed = (what: string) =>
    new HarnessError('HARNESS_SUITE_INVALID', `the suites, catalog or expectations changed while the run started: ${order.target} ${order.model} ${what}; run again once they stop changing`);
  if (!work) throw changed('is gone');
  const checks = order.checks.map(({ id, expects }) => {
    const check = work.checks.find((c) => c.id === id);
    // This thread read the suites, catalog and expectations again: they must say what they said to the main thread.
    if (!check || expectsOf(check) !== expects) throw changed(`${id} ${check ? 'expects something else now' : 'is gone'}`);
    return check;
  });
  return { ...work, checks };
}

try {
  const loaded = await loadPlan(config);
  const planned = new Map(selectWork(config.targets, loaded.plan.models, { filters: [] }).map((work) => [cellKey(work.target, work.model), work]));
  const schemas = config.openapiFile ? await loadOpenApiSchemas(config.openapiFile) : undefined;
  const running = new RunEngine({
    config,
    loaded,
    ...(schemas ? { schemas } : {}),
    keepResults: false,
    events: {
      // A rejected key stops the run everywhere, as on one thread.
      onFatal: (fatal) => post({ type: 'fatal', ...fatal }),
      // One message per cell: the results share their provenance entries, which one message keeps shared.
      onCellEnd: (cell, results) => {
        const key = cellKey(cell.target, cell.model);
        post({ type: 'cell-done', target: cell.target, model: cell.model, results, latency: running.latency.get(key) ?? [], shapes: running.shapes.get(key) ?? [] });
        running.latency.delete(key);
        running.shapes.delete(key);
      },
    },
  });
  engine = running;
  await running.runFrom(() => take(planned));
  await running.close();
  post({ type: 'finished' });
} catch (error) {
  const harness = toHarnessError(error);
  post({ type: 'failed', code: harness.code, message: harness.message });
}
