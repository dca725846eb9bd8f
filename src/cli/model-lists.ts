/**
 * @module cli/model-lists
 * `--models listed` and `catalog diff`: what each target's model list says, against the catalog. Live and record
 * read `GET <prefix>/models` on every OpenAI prefix of the target's surface (one request each, retried as the
 * preflight's, no tokens); replay reads the list the target's recordings hold (the `models.list` case). Ids from an
 * endpoint are untrusted: each passes src/names.ts, and one that is refused is reported, never used, and fails the
 * gate (it was not tested). A list the harness could not read whole (cli/model-list-pages.ts: a prefix that failed, a
 * page it could not follow, a cap) is used for what it holds, and says which part is missing: in `missing`, and in
 * the listing's source, which the matrix and reports carry.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { folderName, nameProblem } from '../names.ts';
import { inertLine } from '../report/inert-text.ts';
import { NOT_READ_WHOLE, pastCapProblem, refusedListing, type ModelListing } from '../report/model-lists.ts';
import type { RunConfig, TargetConfig } from '../run/run-config.ts';
import { targetAuth } from '../run/target-auth.ts';
import { SURFACE_RULES } from '../surfaces.ts';
import { fixturePath, readFixture } from '../transport/fixture-file.ts';
import { proxyFor } from '../transport/proxy.ts';
import { MAX_LISTED, readPrefix, recordedPrefix, type PrefixRead } from './model-list-pages.ts';

/** The most of a transport failure's message an unreadable list quotes: a proxy's diagnosis and fix fit. */
const UNREACHED_MAX_BYTES = 1000;

export interface TargetModelList {
  target: string;
  /** Acceptable ids the list holds, sorted. */
  ids: string[];
  listing: ModelListing;
  /**
   * The parts of the list the harness could not read (a prefix that failed, a page it could not continue past, a
   * cap), in its own words; empty when it was read whole. `listing.source` says the same after NOT_READ_WHOLE.
   */
  missing: string[];
  /**
   * What to do about the part not read, when the harness can tell (a live prefix answered a web page where another
   * answered the list: pageAdvice); the callers' warning and line say it after `missing`.
   */
  advice?: string;
}

async function liveLists(target: TargetConfig, config: RunConfig, asker: ListAsker): Promise<PrefixRead[]> {
  // Each page under the run's retry policy, as the preflight's request: a list read once stopped the run on one cut.
  const { sendRetried } = await import('./send-retried.ts');
  const auth = targetAuth(config, target);
  // Within --timeout, which the message of a timeout tells to raise (a list capped below it made that advice wrong);
  // within the asker's own limit when it has no --timeout, and a timeout then says that limit.
  const timeout = asker.timeout ? { timeoutMs: asker.timeout.ms, timeoutAdvice: `(${asker.timeout.advice})` } : { timeoutMs: config.timeoutMs };
  const options = { baseUrl: target.baseUrl!, auth, ...timeout, idleTimeoutMs: config.idleTimeoutMs, maxBodyBytes: config.maxBodyBytes };
  return Promise.all(
    SURFACE_RULES[target.surface].openaiPrefixes.map((prefix) =>
      readPrefix(prefix, (path) => sendRetried(config, { method: 'GET', path, headers: { accept: 'application/json' } }, { step: 'model-list', prefix }, options)),
    ),
  );
}

/**
 * The newest `models.list` recording of the target (every model records the same shared list, each when it was
 * recorded: a record run of a few models leaves theirs newer than the rest).
 */
async function recordedLists(target: TargetConfig, config: RunConfig): Promise<{ reads: PrefixRead[]; source: string }> {
  const folders = (await readdir(join(config.fixturesDir, folderName(target.id)), { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  let newest: Awaited<ReturnType<typeof readFixture>> = null;
  for (const folder of folders) {
    const file = join(config.fixturesDir, folderName(target.id), folder, `${folderName('models.list')}.json`);
    const fixture = await readFixture(file).catch(() => null);
    if (fixture && (!newest || fixture.provenance.recordedAt > newest.provenance.recordedAt)) newest = fixture;
  }
  if (newest) return { reads: newest.exchanges.map(recordedPrefix), source: `the recorded models.list (${newest.provenance.recordedAt.slice(0, 10)})` };
  return { reads: [], source: `no recorded models.list under ${fixturePath(config.fixturesDir, target.id, '*', 'models.list')}` };
}

/**
 * Where a live list was read: each prefix, its page count when it had several, and a prefix with no list said so.
 * A prefix that failed is not named here as read: the missing part names it.
 */
function liveSource(reads: readonly PrefixRead[]): string {
  return reads.filter((r) => r.ids !== null || !r.missing).map((r) => `GET ${r.path}${r.pages > 1 ? ` (${r.pages} pages)` : ''}${r.ids === null && !r.missing ? ` (${r.first}: no list there)` : ''}`).join(', ');
}

/** The fix for a web page where a list is: the base URL the surface's prefixes go under, or a login in front of it. */
function pageAdvice(target: TargetConfig): string {
  const lists = SURFACE_RULES[target.surface].openaiPrefixes.map((p) => `${p}/models`).join(' and ');
  return `a web page (a login in front of the API, or a base URL that is not the API's) is no outage: check that --endpoint (or the URL in --targets) is the API's base URL, under which the ${target.surface} surface reads ${lists}`;
}

/**
 * Who asked for the lists, as a target's unreadable or empty list names it: the flag or command in front, and what
 * to do instead. Each caller has its own flags: `catalog diff` has no --models to suggest.
 */
export interface ListAsker {
  /** `outage`: added when a prefix answered a 5xx (or an outage in a 2xx), never for a page or a refusal. */
  unreadable: { asker: string; advice: string; outage?: string };
  /** What to say of a list with no usable id, when that leaves nothing to do; absent: an empty list is a list. */
  empty?: { asker: string; advice: string };
  /** For a command with no --timeout: its fixed limit on each page, and what a timeout says in place of "raise --timeout". */
  timeout?: { ms: number; advice: string };
}

/**
 * `run --models listed` (or catalog+listed): name the models instead. Only plain `listed` with no ids named has
 * nothing to run on an empty list; `catalog+listed` and `listed,<ids>` still run their other models.
 */
export function runAsker(config: RunConfig): ListAsker {
  return {
    unreadable: { asker: '--models listed', advice: 'name the models with --models, or drop listed' },
    ...(config.discover === 'listed' && config.models.length === 0 ? { empty: { asker: '--models listed', advice: 'name the models with --models <ids>, or drop listed' } } : {}),
  };
}

/**
 * Each target's model list against the catalog's ids. A target with no readable list, or an empty one, is an error
 * naming it, in the words of `asker` (by default `run`'s).
 */
export async function readModelLists(config: RunConfig, catalogIds: readonly string[], asker: ListAsker = runAsker(config)): Promise<TargetModelList[]> {
  const catalog = new Set(catalogIds);
  return Promise.all(
    config.targets.map(async (target): Promise<TargetModelList> => {
      const { reads, source: read } = target.mode === 'replay' ? await recordedLists(target, config) : { reads: await liveLists(target, config, asker), source: '' };
      const lists = reads.flatMap((r) => (r.ids ? [r.ids] : []));
      if (lists.length === 0) {
        const seen = reads.map((r) => `${r.path}: ${r.first}`).join(', ');
        // Not reached at all (a proxy down or refusing, a timeout) or cut short after the retries: the transport's
        // message says why and what to fix. A cut may not come back: running again comes before naming the models.
        const unreached = reads.find((r) => r.unreached)?.unreached;
        const cut = reads.some((r) => r.first === 'HARNESS_STREAM_CUT') ? 'run again (a list cut short on the way may arrive whole), or ' : '';
        const why = unreached ? `: ${inertLine(unreached, UNREACHED_MAX_BYTES)}` : '';
        // Through a proxy that did not carry the list (no tunnel opened: an HTTP proxy says when one does), naming the
        // models meets the same proxy next: it comes first. A tunnel that opened leaves the endpoint's slowness.
        const url = target.baseUrl ? new URL(target.baseUrl) : undefined;
        const proxy = url && unreached ? proxyFor(url) : undefined;
        const proxied = proxy && (await import('../transport/proxy-agents.ts')).tunnelOpened(proxy, url!) !== true ? 'check the proxy first (every request goes through it); then ' : '';
        // The advice follows what came: a web page where the list is wants the base URL fixed (waiting does not fix
        // it); only a 5xx, or an outage inside a 2xx, is the endpoint failing.
        const page = target.mode !== 'replay' && reads.some((r) => r.page) ? `${pageAdvice(target)}; ` : '';
        // What came, not the code alone: the transport's HARNESS_SERVER_ERROR is also a 200 saying "Invalid API key".
        const outage = asker.unreadable.outage && reads.some((r) => r.outage) ? `; ${asker.unreadable.outage}` : '';
        throw new HarnessError('HARNESS_USAGE', `${asker.unreadable.asker}: target ${target.id} has no model list to read (${seen || read})${why}; ${page}${proxied}${cut}${asker.unreadable.advice}${outage}`);
      }
      const missing = reads.flatMap((r) => (r.missing ? [r.missing] : []));
      const source = read || liveSource(reads);
      // A web page on one prefix beside a list on another (a proxy's catch-all, a login in front of one path) leaves
      // the list partial on every run: no retry mends it, so it gets the page's advice as a list that is absent does.
      const pages = target.mode !== 'replay' ? reads.filter((r) => r.page) : [];
      const advice = pages.length ? `${pages.map((r) => `GET ${r.path}`).join(', ')} answered a web page, ${reads.filter((r) => r.ids).map((r) => `GET ${r.path}`).join(', ')} a list; ${pageAdvice(target)}` : undefined;
      // Ids names.ts refuses (the gate fails on them: not tested), then those past the cap (a list not read whole).
      const unusable: ModelListing['refused'] = [];
      const pastCap: ModelListing['refused'] = [];
      const ids = new Set<string>();
      // Every prefix answers the same list on most endpoints: each id once.
      for (const raw of new Set(lists.flat())) {
        const id = typeof raw === 'string' ? raw : JSON.stringify(raw) ?? 'undefined';
        const problem = typeof raw !== 'string' ? 'not a string' : nameProblem(raw, 'model id');
        if (problem) unusable.push({ id: id.slice(0, 200), problem });
        else if (ids.size < MAX_LISTED) ids.add(raw as string);
        else pastCap.push({ id: id.slice(0, 200), problem: pastCapProblem(MAX_LISTED) });
      }
      const refused = refusedListing(unusable, pastCap);
      const over = pastCap.length;
      // Ids past the cap are not compared: a new model may be among them, so the list was not read whole either.
      if (over) missing.push(`${over} id(s) past the ${MAX_LISTED}-id cap not used`);
      // The matrix has no field for it (its schema is not this module's): the source carries what was not read.
      const said = missing.length ? `${source}; ${NOT_READ_WHOLE}: ${missing.join('; ')}` : source;
      // An empty list would run no model on the target: 0 of 0 cells, which no gate can call observed.
      if (ids.size === 0 && asker.empty) {
        const why = refused.refused.length ? `${unusable.length + pastCap.length} id(s) listed, none usable: ${refused.refused.slice(0, 3).map((r) => `${inertLine(r.id, 60)} (${inertLine(r.problem, 120)})`).join(', ')}` : 'no id listed';
        throw new HarnessError('HARNESS_USAGE', `${asker.empty.asker}: target ${target.id}'s model list is empty (${said}: ${why}); ${asker.empty.advice}`);
      }
      const sorted = [...ids].sort();
      return {
        target: target.id,
        ids: sorted,
        listing: { source: said, listed: sorted.length, new: sorted.filter((id) => !catalog.has(id)), notListed: catalogIds.filter((id) => !ids.has(id)), ...refused },
        missing,
        ...(advice ? { advice } : {}),
      };
    }),
  );
}
