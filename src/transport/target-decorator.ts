/**
 * @module transport/target-decorator
 * A target that adds behavior around another (retries, scheduling, recording) and passes the rest through.
 */
import type { Surface } from '../surfaces.ts';
import type { Exchange, ExchangeRequest } from './exchange.ts';
import type { CaseTrials, SendContext, Target, TrialsCut } from './target.ts';

export abstract class TargetDecorator implements Target {
  protected readonly inner: Target;
  /** Replay's questions (trials, provenance), passed through only when the target below has them: the session asks whether they exist. */
  readonly trialsRecorded?: Target['trialsRecorded'];
  readonly provenanceOf?: Target['provenanceOf'];

  constructor(inner: Target) {
    this.inner = inner;
    if (inner.trialsRecorded) this.trialsRecorded = (model, caseId) => inner.trialsRecorded!(model, caseId);
    if (inner.provenanceOf) this.provenanceOf = (model, caseId) => inner.provenanceOf!(model, caseId);
  }

  get id(): string {
    return this.inner.id;
  }

  get mode(): Target['mode'] {
    return this.inner.mode;
  }

  get surface(): Surface | undefined {
    return this.inner.surface;
  }

  abstract send(request: ExchangeRequest, context: SendContext): Promise<Exchange>;

  caseFinished(model: string, caseId: string, exchanges: readonly Exchange[], cut?: TrialsCut, trials?: CaseTrials): Promise<void> {
    return this.inner.caseFinished(model, caseId, exchanges, cut, trials);
  }

  modelFinished(model: string): void {
    this.inner.modelFinished?.(model);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
