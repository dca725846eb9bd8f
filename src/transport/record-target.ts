/**
 * @module transport/record-target
 * Live, plus one fixture file per (model, case) with provenance. A case whose exchanges broke (timeout, reset) is
 * still recorded, so replay shows the same `error`; the previous file is replaced atomically.
 */
import type { Exchange, ExchangeRequest } from './exchange.ts';
import { fixturePath, writeFixture, FIXTURE_FORMAT, type FixtureProvenance } from './fixture-file.ts';
import type { LiveTarget } from './live-target.ts';
import type { SendContext, Target } from './target.ts';

export interface RecordOptions {
  fixturesDir: string;
  provenance: Omit<FixtureProvenance, 'recordedAt'>;
}

export class RecordTarget implements Target {
  readonly mode = 'record' as const;
  readonly #live: LiveTarget;
  readonly #options: RecordOptions;
  /** Fixture files written by this target, for the run summary. */
  readonly written: string[] = [];

  constructor(live: LiveTarget, options: RecordOptions) {
    this.#live = live;
    this.#options = options;
  }

  get id(): string {
    return this.#live.id;
  }

  send(request: ExchangeRequest, context: SendContext): Promise<Exchange> {
    return this.#live.send(request, context);
  }

  async caseFinished(model: string, caseId: string, exchanges: readonly Exchange[]): Promise<void> {
    if (exchanges.length === 0) return;
    const file = fixturePath(this.#options.fixturesDir, this.id, model, caseId);
    const provenance: FixtureProvenance = { ...this.#options.provenance, recordedAt: new Date().toISOString() };
    await writeFixture(file, { format: FIXTURE_FORMAT, model, case: caseId, provenance, exchanges: [...exchanges] }, this.#live.secrets());
    this.written.push(file);
  }

  close(): Promise<void> {
    return this.#live.close();
  }
}
