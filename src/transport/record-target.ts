/**
 * @module transport/record-target
 * Live, plus one fixture file per (model, case) with provenance. A case whose exchanges broke (timeout, reset) is
 * still recorded, so replay shows the same `error`; the previous file is replaced atomically.
 */
import type { Exchange, ExchangeRequest } from './exchange.ts';
import { fixturePath, writeFixture, FIXTURE_FORMAT, type FixtureProvenance } from './fixture-file.ts';
import type { SendContext, Target } from './target.ts';
import { TargetDecorator } from './target-decorator.ts';

export interface RecordOptions {
  fixturesDir: string;
  provenance: Omit<FixtureProvenance, 'recordedAt'>;
}

export class RecordTarget extends TargetDecorator {
  override get mode(): 'record' {
    return 'record';
  }
  readonly #options: RecordOptions;
  readonly #secrets: readonly string[];
  /** Fixture files written by this target, for the run summary. */
  readonly written: string[] = [];

  /** `live` sends (with retries and scheduling); `secrets` are the values the write is checked against. */
  constructor(live: Target, options: RecordOptions, secrets: readonly string[]) {
    super(live);
    this.#options = options;
    this.#secrets = secrets;
  }

  send(request: ExchangeRequest, context: SendContext): Promise<Exchange> {
    return this.inner.send(request, context);
  }

  override async caseFinished(model: string, caseId: string, exchanges: readonly Exchange[]): Promise<void> {
    if (exchanges.length === 0) return;
    const file = fixturePath(this.#options.fixturesDir, this.id, model, caseId);
    const provenance: FixtureProvenance = { ...this.#options.provenance, recordedAt: new Date().toISOString() };
    await writeFixture(file, { format: FIXTURE_FORMAT, model, case: caseId, provenance, exchanges: [...exchanges] }, this.#secrets);
    this.written.push(file);
  }
}
