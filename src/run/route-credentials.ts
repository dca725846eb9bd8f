/**
 * @module run/route-credentials
 * Tells a key refused from a route that wants it another way, for a `custom` target (any OpenAI-compatible base URL).
 * A gateway can accept the key on its OpenAI routes and relay a 401 on another family (LiteLLM's `/anthropic/*`
 * pass-through answers Anthropic's "invalid x-api-key" when the proxy holds no Anthropic key): stopping the run and
 * saying "check the key" there blamed a key the same endpoint had just accepted. So a credentials refusal on a route
 * prefix that never answered 2xx in this run, from a target that has answered 2xx on another prefix with the same
 * credentials, is that route's answer: an infrastructure error for the cases sent there (never a fail, a pass, or
 * "not served": the key may only be the wrong kind for it), and the run carries on. A refusal before any 2xx (a wrong
 * key), or on a prefix that already answered 2xx (a key revoked or expired mid-run), is left for the run to stop on.
 * Mantle and bedrock-runtime keep that stop on every prefix: one engine takes the same credentials on all of them.
 */
import type { Surface } from '../surfaces.ts';
import { inertLine } from '../report/inert-text.ts';
import { classifyAnswer } from '../transport/classify-response.ts';
import type { Exchange, ExchangeRequest } from '../transport/exchange.ts';
import type { SendContext, Target } from '../transport/target.ts';
import { TargetDecorator } from '../transport/target-decorator.ts';
import type { AuthConfig, TargetConfig } from './run-config.ts';

export interface RouteCredentialsOptions {
  auth: AuthConfig;
  /** Prefixes that accepted the credentials before the run (the preflight's model list answered 2xx). */
  accepted?: readonly string[];
  /** Redacts the run's secrets from text decoded out of a body (a 401 may echo the key it refused). */
  redact(text: string): string;
  /** Told once per prefix, the first time it refuses the credentials accepted elsewhere: the console says it then. */
  onRefused?(message: string): void;
}

/** `sending` wrapped for a live or record target whose surface is `custom`; any other target is returned as it is. */
export function watchRouteCredentials(target: Pick<TargetConfig, 'surface' | 'mode'>, sending: Target, options: RouteCredentialsOptions): Target {
  return isJudgedPerRoute(target.surface, target.mode) ? new RouteCredentialsTarget(sending, options) : sending;
}

function isJudgedPerRoute(surface: Surface, mode: TargetConfig['mode']): boolean {
  return surface === 'custom' && mode !== 'replay';
}

export class RouteCredentialsTarget extends TargetDecorator {
  readonly #options: RouteCredentialsOptions;
  /** Prefixes that answered 2xx in this run, in the order they first did. */
  readonly #accepted: Set<string>;
  /** Prefixes whose refusal was told (onRefused). */
  readonly #told = new Set<string>();

  constructor(inner: Target, options: RouteCredentialsOptions) {
    super(inner);
    this.#options = options;
    this.#accepted = new Set(options.accepted ?? []);
  }

  async send(request: ExchangeRequest, context: SendContext): Promise<Exchange> {
    const exchange = await this.inner.send(request, context);
    const response = exchange.response;
    if (exchange.error || !response) return exchange;
    const prefix = exchange.prefix || context.prefix;
    const { status } = response;
    // Classified only when it can matter: a body can be megabytes (classifyAnswer keeps its answer for the checks).
    if (status >= 200 && status < 300) {
      if (!this.#accepted.has(prefix) && classifyAnswer(response).kind === 'ok') this.#accepted.add(prefix);
      return exchange;
    }
    if ((status !== 401 && status !== 403) || this.#accepted.has(prefix) || this.#accepted.size === 0) return exchange;
    const classification = classifyAnswer(response);
    if (classification.kind !== 'auth-rejected') return exchange;
    const elsewhere = [...this.#accepted];
    const message = this.#reason(request, response.status, classification.message, prefix, elsewhere);
    if (!this.#told.has(prefix)) {
      this.#told.add(prefix);
      this.#options.onRefused?.(message);
    }
    return { ...exchange, error: { code: 'HARNESS_AUTH_REJECTED', message } };
  }

  #reason(request: ExchangeRequest, status: number, said: string | undefined, prefix: string, elsewhere: readonly string[]): string {
    // Decoded from the (redacted) body: redacted again as decoded, and kept to one bounded line.
    const quoted = said ? ` (${inertLine(this.#options.redact(said), 300)})` : '';
    const checks = prefix.startsWith('/anthropic') ? 'a --checks list without api.messages, messages.*, stream.messages and the other Messages checks' : '--checks';
    return (
      `${request.method} ${request.path} answered ${status}${quoted} though the same credentials were accepted on ${elsewhere.join(' and ')} in this run: ` +
      `whether ${prefix} serves the model is not known; this route may want the credentials another way (${anotherWay(this.#options.auth, prefix)}), ` +
      `or run without the checks that use ${prefix} (${checks})`
    );
  }
}

/** How the run could send the same credentials in another way, as flags. */
function anotherWay(auth: AuthConfig, prefix: string): string {
  const sent = (auth.headerEnv ?? []).map(({ header, env }) => `${header} from ${env}`);
  const asSent = sent.length ? `; this run sent ${sent.join(', ')}` : '';
  if (auth.kind === 'bearer' && prefix.startsWith('/anthropic') && !(auth.headerEnv ?? []).some((h) => h.header.toLowerCase() === 'x-api-key')) {
    return `a gateway may expect the key as x-api-key on its Anthropic routes: --header-env x-api-key=${auth.apiKeyEnv}${asSent}`;
  }
  return `a gateway may read a key from another header: --header-env HEADER=ENV_VAR${asSent}`;
}
