/**
 * @module transport/target-decorator
 * A target that adds behavior around another (retries, scheduling, recording) and passes the rest through.
 */
import type { Surface } from '../surfaces.ts';
import type { Exchange, ExchangeRequest } from './exchange.ts';
import type { SendContext, Target } from './target.ts';

export abstract class TargetDecorator implements Target {
  protected readonly inner: Target;

  constructor(inner: Target) {
    this.inner = inner;
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

  caseFinished(model: string, caseId: string, exchanges: readonly Exchange[]): Promise<void> {
    return this.inner.caseFinished(model, caseId, exchanges);
  }

  modelFinished(model: string): void {
    this.inner.modelFinished?.(model);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
