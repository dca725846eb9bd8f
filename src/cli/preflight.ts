/**
 * @module cli/preflight
 * One cheap request per live target before the run (GET /v1/models, no tokens): a missing key, a bad key or an
 * unreachable endpoint stops the run with exit 2 and the fix, instead of 50 models x dozens of `error` cells.
 */
import { HarnessError } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';
import type { RunConfig } from '../run/run-config.ts';
import { SURFACE_RULES } from '../surfaces.ts';
import { createAuth } from '../transport/auth/create-auth.ts';
import { classifyAnswer } from '../transport/classify-response.ts';
import { redactorFor, sendHttp } from '../transport/http-exchange.ts';

/** The run's credentials; a missing key says how to reach a local server that needs none. */
function authFor(config: RunConfig, target: RunConfig['targets'][number]) {
  try {
    return createAuth({ ...config.auth, region: target.region, service: SURFACE_RULES[target.surface].sigv4Service, recording: target.mode === 'record' });
  } catch (error) {
    if (error instanceof HarnessError && error.code === 'HARNESS_AUTH_MISSING' && config.auth.kind === 'bearer' && error.message.includes(config.auth.apiKeyEnv)) {
      throw new HarnessError('HARNESS_AUTH_MISSING', `${error.message} For a local server that needs no key, use --auth none.`, { cause: error });
    }
    throw error;
  }
}

export async function preflight(config: RunConfig): Promise<void> {
  for (const target of config.targets) {
    if (target.mode === 'replay' || !target.baseUrl) continue;
    const auth = authFor(config, target);
    // The surface's documented prefix: bedrock-runtime serves its OpenAI APIs under /openai/v1.
    const prefix = SURFACE_RULES[target.surface].openaiPrefixes[0]!;
    const exchange = await sendHttp(
      { method: 'GET', path: `${prefix}/models`, headers: { accept: 'application/json' } },
      { step: 'preflight', prefix },
      { baseUrl: target.baseUrl, auth, timeoutMs: Math.min(config.timeoutMs, 30_000) },
    );
    if (exchange.error?.code === 'HARNESS_AUTH_MISSING') throw new HarnessError('HARNESS_AUTH_MISSING', exchange.error.message);
    if (exchange.error?.code === 'HARNESS_CONNECTION') {
      throw new HarnessError('HARNESS_CONNECTION', `Cannot reach ${target.endpointHost}: ${inertLine(exchange.error.message)}. Check --endpoint / --region and the network.`);
    }
    const response = exchange.response;
    if (!response || (response.status !== 401 && response.status !== 403)) continue;
    const classification = classifyAnswer(response);
    if (classification.kind === 'auth-rejected') {
      const where = credentialsToCheck(config.auth);
      // The message was decoded (JSON.parse) from the redacted body: redacted again as decoded, then one inert,
      // bounded line (no escape sequence, line break or workflow command reaches the console).
      const said = classification.message ? ` ${inertLine(redactorFor(auth).text(classification.message).value)}` : '';
      throw new HarnessError('HARNESS_AUTH_REJECTED', `${target.endpointHost} rejected the credentials: GET ${prefix}/models answered ${response.status}${said}. Check ${where}; nothing else was sent.`);
    }
  }
}

/**
 * What to check when the endpoint refused the credentials, as the run sent them: `--auth none` sends none of its own,
 * so only the --header-env values (or nothing at all) can have been refused.
 */
function credentialsToCheck(auth: RunConfig['auth']): string {
  const headers = (auth.headerEnv ?? []).map(({ header, env }) => `${header} from ${env}`);
  const headerEnv = headers.length ? `the --header-env values (${headers.join(', ')})` : undefined;
  if (auth.kind === 'bearer') return `the key in ${auth.apiKeyEnv} (or pick another variable with --api-key-env)${headerEnv ? ` and ${headerEnv}` : ''}`;
  if (auth.kind !== 'none') return `the ${auth.kind} credentials${headerEnv ? ` and ${headerEnv}` : ''}`;
  return headerEnv ?? 'whether the endpoint needs credentials: --auth none sent none';
}
