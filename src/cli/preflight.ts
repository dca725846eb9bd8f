/**
 * @module cli/preflight
 * One cheap request per live target before the run (GET /v1/models, no tokens): a missing key, a bad key, an account
 * not enabled for Mantle or an unreachable endpoint stops the run with exit 2 and the fix, instead of 50 models x
 * dozens of `error` cells.
 */
import { HarnessError } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';
import type { RunConfig } from '../run/run-config.ts';
import { targetAuth } from '../run/target-auth.ts';
import { SURFACE_RULES } from '../surfaces.ts';
import { envNameShown, headerFromShown, keyInShown, plausibleEnvName } from '../transport/auth/env-name-shown.ts';
import { classifyAnswer } from '../transport/classify-response.ts';
import { NOT_ENABLED_FIX, saysNotEnabled } from '../transport/not-enabled.ts';
import { redactorFor, sendHttp } from '../transport/http-exchange.ts';
import { proxyFor } from '../transport/proxy.ts';
import { tunnelOpened } from '../transport/proxy-agents.ts';
import { sendRetried } from './send-retried.ts';
import { sentence, sigv4Refusal } from './sigv4-refusal.ts';

/**
 * The run's credentials; a missing key says how to reach a local server that needs none. For a base URL that is not
 * AWS's (vLLM, Ollama, a gateway) the fix leads with its own key's variable: a Bedrock key is no use there.
 */
function authFor(config: RunConfig, target: RunConfig['targets'][number]) {
  try {
    return targetAuth(config, target);
  } catch (error) {
    // The variable as bearer.ts names it: a name that may be the key itself is not quoted (env-name-shown.ts).
    const env = config.auth.apiKeyEnv;
    const shown = envNameShown(env, '--api-key-env');
    if (error instanceof HarnessError && error.code === 'HARNESS_AUTH_MISSING' && config.auth.kind === 'bearer' && error.message.includes(shown)) {
      // Only the key's own message is told again: a --header-env variable missing (KEY_ORG beside KEY) says its own.
      const keyMissing = error.message.startsWith(`No API key: ${shown} is not set`);
      const message =
        target.surface === 'custom' && keyMissing
          ? `No API key: ${shown} is not set. Name the variable that holds ${inertLine(target.endpointHost ?? 'the endpoint', 200)}'s key with --api-key-env NAME${plausibleEnvName(env) ? ` (or export ${env}=...)` : ''}, use --auth none for a server that needs no key, or --mode replay.`
          : `${error.message} For a local server that needs no key, use --auth none.`;
      throw new HarnessError('HARNESS_AUTH_MISSING', message, { cause: error });
    }
    throw error;
  }
}

export async function preflight(config: RunConfig): Promise<void> {
  // A check of the credentials, not a model's answer: never the whole --timeout a slow model may need.
  const deadlineMs = Math.min(config.timeoutMs, 30_000);
  for (const target of config.targets) {
    if (target.mode === 'replay' || !target.baseUrl) continue;
    const auth = authFor(config, target);
    // The surface's documented prefix: bedrock-runtime serves its OpenAI APIs under /openai/v1.
    const prefix = SURFACE_RULES[target.surface].openaiPrefixes[0]!;
    // Under the run's retry policy (send-retried.ts): one reset of the one request stopped the whole run with "cannot
    // reach"; a 5xx or 429 that outlives the retries lets the run go on.
    const exchange = await sendRetried(
      config,
      { method: 'GET', path: `${prefix}/models`, headers: { accept: 'application/json' } },
      { step: 'preflight', prefix },
      { baseUrl: target.baseUrl, auth, timeoutMs: deadlineMs },
    );
    if (exchange.error?.code === 'HARNESS_AUTH_MISSING') throw new HarnessError('HARNESS_AUTH_MISSING', exchange.error.message);
    // An HTTP proxy that never answered CONNECT: the run would wait that out on every request, each told to raise
    // --timeout for a cold start. A tunnel that opened and then waited is the endpoint's slowness: the run goes on.
    const url = new URL(target.baseUrl);
    const proxy = proxyFor(url);
    if (exchange.error?.code === 'HARNESS_TIMEOUT' && proxy && tunnelOpened(proxy, url) === false) {
      throw new HarnessError('HARNESS_TIMEOUT', `Cannot reach ${target.endpointHost}: the proxy ${proxy.shown} did not answer CONNECT within ${deadlineMs} ms (${inertLine(exchange.error.message)}): check the proxy. Nothing else was sent.`);
    }
    if (exchange.error?.code === 'HARNESS_CONNECTION') {
      // Through a proxy the message says what the proxy did and the fix (proxy-failure.ts): the endpoint was not asked.
      if (proxy) throw new HarnessError('HARNESS_CONNECTION', `Cannot reach ${target.endpointHost}: ${inertLine(exchange.error.message)}. Nothing else was sent.`);
      throw new HarnessError('HARNESS_CONNECTION', `Cannot reach ${target.endpointHost}: ${inertLine(exchange.error.message)}. Check --endpoint / --region and the network.`);
    }
    const response = exchange.response;
    if (response?.status === 404) await refuseDoubledPrefix(config, target, prefix, auth);
    // The model list names no model, so Mantle's Berm there is no wrong route: the account is not enabled
    // (transport/not-enabled.ts). Let run on, it made every API read `unsupported` and path-prefix `none`, all "observed".
    if (response && response.status >= 400 && saysNotEnabled(exchange)) {
      const said = classifyAnswer(response).message;
      const quoted = said ? ` (${inertLine(redactorFor(auth).text(said).value, 200)})` : '';
      throw new HarnessError('HARNESS_ACCESS_DENIED', `${target.endpointHost}: the account is not enabled for Mantle (bedrock-mantle): GET ${prefix}/models answered ${response.status}${quoted}, Mantle's answer to an account without access, not a rejected key. To fix: ${NOT_ENABLED_FIX}; nothing else was sent.`);
    }
    if (!response || (response.status !== 401 && response.status !== 403)) continue;
    const classification = classifyAnswer(response);
    if (classification.kind === 'auth-rejected') {
      // A region, clock or expired-session refusal says its own fix (sigv4-refusal.ts); any other, the credentials.
      const where = credentialsToCheck(config.auth);
      // The message was decoded (JSON.parse) from the redacted body: redacted again as decoded, then one inert,
      // bounded line (no escape sequence, line break or workflow command reaches the console).
      const said = classification.message ? ` ${inertLine(redactorFor(auth).text(classification.message).value)}` : '';
      throw new HarnessError('HARNESS_AUTH_REJECTED', `${target.endpointHost} rejected the credentials: GET ${prefix}/models answered ${response.status}${said}. ${signedFor(config, target, classification.message) ?? sentence(sigv4Refusal(config.auth, classification.message, [target.region]) ?? `check ${where}`)}; nothing else was sent.`);
    }
  }
}

/**
 * The fix when a SigV4 signature was refused for its service (`Credential should be scoped to correct service:
 * 'bedrock'`): a bedrock-runtime endpoint (a PrivateLink URL, say) signed as Mantle's, or the other way round. The
 * surface that signs for the service the endpoint names, or undefined when none does or the message says otherwise.
 */
function signedFor(config: RunConfig, target: RunConfig['targets'][number], message: string | undefined): string | undefined {
  if (config.auth.kind !== 'sigv4') return undefined;
  const wanted = /scoped to correct service: '([a-z0-9-]+)'/i.exec(message ?? '')?.[1];
  const surface = (Object.keys(SURFACE_RULES) as (keyof typeof SURFACE_RULES)[]).find((s) => s !== 'custom' && SURFACE_RULES[s].sigv4Service === wanted);
  if (!surface || SURFACE_RULES[target.surface].sigv4Service === wanted) return undefined;
  const fix = `--surface ${surface} (with --targets: ${surface}:${target.region ?? '<region>'}=URL)`;
  return `The endpoint wants signatures for service '${wanted}', which the ${surface} surface signs for: give ${fix} (this run signed for '${SURFACE_RULES[target.surface].sigv4Service}')`;
}

/** Route prefixes the harness adds to the base URL itself; an --endpoint that ends in one doubles it. */
const ROUTE_PREFIXES = /\/(?:openai\/v1|anthropic\/v1|v1)\/?$/;

/**
 * An --endpoint that ends in a route prefix (`http://host/v1`, the base URL an OpenAI SDK takes) whose model list was
 * a 404: every request goes to `/v1/v1/...`, and every API would read as not serving any model (gating
 * `unsupported`, "is the id right?"). When the URL without it answers the model list, that is the mistake: stop
 * with exit 2 and the URL to give. Anything else (a gateway whose base really ends in /v1) goes on as before.
 */
async function refuseDoubledPrefix(config: RunConfig, target: RunConfig['targets'][number], prefix: string, auth: ReturnType<typeof authFor>): Promise<void> {
  const base = new URL(target.baseUrl!);
  const suffix = ROUTE_PREFIXES.exec(base.pathname)?.[0];
  if (!suffix) return;
  const stripped = new URL(base);
  stripped.pathname = base.pathname.slice(0, base.pathname.length - suffix.length) || '/';
  const again = await sendHttp({ method: 'GET', path: `${prefix}/models`, headers: { accept: 'application/json' } }, { step: 'preflight', prefix }, { baseUrl: stripped.toString(), auth, timeoutMs: Math.min(config.timeoutMs, 30_000) });
  const status = again.response?.status;
  if (status === undefined || status === 404 || status >= 500) return;
  // Quoted without user info or query: a query may hold a key (`?api-key=`), kept on every request but never shown.
  const bare = (url: URL) => inertLine(`${url.protocol}//${url.host}${url.pathname}`.replace(/\/$/, ''), 300);
  const hidden = base.search || base.username || base.password ? ' (its user info and query left out, and kept)' : '';
  throw new HarnessError(
    'HARNESS_USAGE',
    `target ${inertLine(target.id, 200)}: the base URL ${bare(base)}${hidden} ends in ${suffix.replace(/\/$/, '')}, and GET ${prefix}/models there answered 404 while ${bare(stripped)} answered ${status}: the harness adds each API's route prefix (${prefix}, /anthropic/v1) itself. Give the endpoint as ${bare(stripped)}${hidden ? ', with the same query' : ''} (--endpoint, or the URL in --targets); nothing else was sent.`,
  );
}

/**
 * What to check when the endpoint refused the credentials, as the run sent them: `--auth none` sends none of its own,
 * so only the --header-env values (or nothing at all) can have been refused.
 */
export function credentialsToCheck(auth: RunConfig['auth']): string {
  const headers = (auth.headerEnv ?? []).map(({ header, env }) => `${headerFromShown(header, env)}`);
  const headerEnv = headers.length ? `the --header-env values (${headers.join(', ')})` : undefined;
  if (auth.kind === 'bearer') return `${keyInShown(auth.apiKeyEnv)} (or pick another variable with --api-key-env)${headerEnv ? ` and ${headerEnv}` : ''}`;
  if (auth.kind !== 'none') return `the ${auth.kind} credentials${headerEnv ? ` and ${headerEnv}` : ''}`;
  return headerEnv ?? 'whether the endpoint needs credentials: --auth none sent none';
}
