/**
 * @module transport/replay-target
 * Answers requests from fixture files. Requests are matched on method, path and body; repeated identical requests
 * (polling) get the recorded answers in order, then the last one again. A request with no recording becomes an
 * `error` exchange that names the model, case, request and the fix.
 */
import { relative } from 'node:path';
import { describeRequest, type Exchange, type ExchangeRequest } from './exchange.ts';
import { fixturePath, readFixture, type FixtureFile } from './fixture-file.ts';
import { requestKey } from './request-key.ts';
import type { SendContext, Target } from './target.ts';

interface LoadedFixture {
  file: string;
  fixture: FixtureFile | null;
  /** Recorded answers per (trial, request): identical requests (polls) get them in order. */
  queues: Map<string, { exchanges: Exchange[]; next: number }>;
  /** How many trials the fixture holds (1 without trials). */
  trials: number;
}

const queueKey = (trial: number, request: Exchange['request']) => `${trial}\u0000${requestKey(request)}`;

export class ReplayTarget implements Target {
  readonly id: string;
  readonly mode = 'replay' as const;
  readonly #root: string;
  readonly #loaded = new Map<string, Promise<LoadedFixture>>();

  constructor(id: string, fixturesDir: string) {
    this.id = id;
    this.#root = fixturesDir;
  }

  async send(request: ExchangeRequest, context: SendContext): Promise<Exchange> {
    const loaded = await this.#load(context.model, context.caseId);
    // A trial the fixture does not hold (recorded with fewer repeats) is answered like the first.
    const trial = (context.trial ?? 1) <= loaded.trials ? (context.trial ?? 1) : 1;
    const queue = loaded.queues.get(queueKey(trial, request));
    if (!queue || queue.exchanges.length === 0) return this.#missing(request, context, loaded);
    const recorded = queue.exchanges[Math.min(queue.next, queue.exchanges.length - 1)]!;
    queue.next += 1;
    // The request is the one this run built; the answer is the recorded one, chunk by chunk.
    return { ...recorded, step: context.step, prefix: context.prefix, request };
  }

  #missing(request: ExchangeRequest, context: SendContext, loaded: LoadedFixture): Exchange {
    const file = relative(process.cwd(), loaded.file) || loaded.file;
    const why = loaded.fixture
      ? `${file} has no exchange for this request (the suite changed since it was recorded?)`
      : `there is no ${file}`;
    return {
      step: context.step,
      prefix: context.prefix,
      request,
      response: null,
      error: {
        code: 'HARNESS_RECORDING_MISSING',
        message: `No recording for model ${context.model}, case ${context.caseId}, request ${describeRequest(request)}: ${why}. Record it with --mode record (and --region or --endpoint).`,
      },
      durationMs: 0,
      attempts: 0,
    };
  }

  #load(model: string, caseId: string): Promise<LoadedFixture> {
    const file = fixturePath(this.#root, this.id, model, caseId);
    let loading = this.#loaded.get(file);
    if (!loading) {
      loading = readFixture(file).then((fixture) => {
        const queues = new Map<string, { exchanges: Exchange[]; next: number }>();
        let trials = 1;
        for (const exchange of fixture?.exchanges ?? []) {
          const key = queueKey(exchange.trial ?? 1, exchange.request);
          trials = Math.max(trials, exchange.trial ?? 1);
          const queue = queues.get(key) ?? { exchanges: [], next: 0 };
          queue.exchanges.push(exchange);
          queues.set(key, queue);
        }
        return { file, fixture, queues, trials };
      });
      this.#loaded.set(file, loading);
    }
    return loading;
  }

  /** How many trials of a case the fixture holds, so that replay repeats it as it was recorded. */
  async trialsRecorded(model: string, caseId: string): Promise<number> {
    return (await this.#load(model, caseId)).trials;
  }

  /** Provenance of one fixture, for the report header. */
  async provenanceOf(model: string, caseId: string): Promise<FixtureFile['provenance'] | null> {
    return (await this.#load(model, caseId)).fixture?.provenance ?? null;
  }

  async caseFinished(): Promise<void> {}

  async close(): Promise<void> {}
}
