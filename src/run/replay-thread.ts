/**
 * @module run/replay-thread
 * A worker thread of a shared replay (replay-threads.ts): it loads the same plan from the same config, then runs the
 * engine on cells it takes from the run's one queue (an index every thread advances with Atomics), and hands each
 * finished cell back whole.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toHarnessError } from '../errors.ts';
import { cellKey } from '../report/matrix.ts';
import { loadPlan } from './load-plan.ts';
import { loadOpenApiSchemas } from './openapi-schemas.ts';
import { RunEngine } from './run-engine.ts';
import { selectWork, type CellWork } from './selection.ts';
import type { ThreadData, ToMain, ToThread } from './replay-threads.ts';

const port = parentPort!;
const post = (message: ToMain) => port.postMessage(message);
const { config, cells, next } = workerData as ThreadData;
const taken = new Int32Array(next);
let engine: RunEngine | undefined;

port.on('message', (message: ToThread) => {
  if (message.type === 'stop') engine?.stop(message.code, message.message);
});

/** The next cell no thread has taken, as this thread's plan has it: the same model and target, the same checks. */
function take(planned: Map<string, CellWork>): CellWork | undefined {
  const order = cells[Atomics.add(taken, 0, 1)];
  if (!order) return undefined;
  const work = planned.get(cellKey(order.target, order.model));
  if (!work) throw new Error(`the plan of this thread has no ${order.target}/${order.model}`);
  const selected = new Set(order.checks);
  return { ...work, checks: work.checks.filter((check) => selected.has(check.id)) };
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
// Nothing more will come: the thread ends once its messages are out.
port.unref();
