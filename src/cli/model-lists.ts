/**
 * @module cli/model-lists
 * `--models listed` and `catalog diff`: what each target's model list says, against the catalog. Live and record
 * read `GET <prefix>/models` on every OpenAI prefix of the target's surface (one request each, no tokens); replay
 * reads the list the target's recordings hold (the `models.list` case). Ids from an endpoint are untrusted: each
 * passes src/names.ts, and one that is refused is reported, never used.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { folderName, nameProblem } from '../names.ts';
import { inertLine } from '../report/inert-text.ts';
import type { ModelListing } from '../report/matrix.ts';
import type { RunConfig, TargetConfig } from '../run/run-config.ts';
import { SURFACE_RULES } from '../surfaces.ts';
import { createAuth } from '../transport/auth/create-auth.ts';
import { jsonObject } from '../transport/body.ts';
import type { Exchange } from '../transport/exchange.ts';
import { fixturePath, readFixture } from '../transport/fixture-file.ts';

/** The most ids one list may give the run: a list longer than this is an endpoint misbehaving, not a catalog. */
const MAX_LISTED = 2000;

export interface TargetModelList {
  target: string;
  /** Acceptable ids the list holds, sorted. */
  ids: string[];
  listing: ModelListing;
}

/** The ids in a model-list answer (`{"data": [{"id": ...}]}`), if it is one. */
function idsIn(exchange: Exchange): unknown[] | undefined {
  if (!exchange.response || exchange.response.status >= 300) return undefined;
  const body = jsonObject(exchange.response);
  return body && Array.isArray(body.data) ? body.data.map((m) => (m && typeof m === 'object' ? (m as { id?: unknown }).id : undefined)) : undefined;
}

async function liveLists(target: TargetConfig, config: RunConfig): Promise<{ exchanges: Exchange[]; source: string }> {
  const { sendHttp } = await import('../transport/http-exchange.ts');
  const auth = createAuth({ ...config.auth, region: target.region, service: SURFACE_RULES[target.surface].sigv4Service, recording: target.mode === 'record' });
  const prefixes = SURFACE_RULES[target.surface].openaiPrefixes;
  const exchanges = await Promise.all(
    prefixes.map((prefix) =>
      sendHttp({ method: 'GET', path: `${prefix}/models`, headers: { accept: 'application/json' } }, { step: 'model-list', prefix }, { baseUrl: target.baseUrl!, auth, timeoutMs: Math.min(config.timeoutMs, 30_000), maxBodyBytes: config.maxBodyBytes }),
    ),
  );
  return { exchanges, source: prefixes.map((p) => `GET ${p}/models`).join(', ') };
}

/** The `models.list` recording of the first model the target has one for (every model records the same shared list). */
async function recordedLists(target: TargetConfig, config: RunConfig): Promise<{ exchanges: Exchange[]; source: string }> {
  const folders = (await readdir(join(config.fixturesDir, folderName(target.id)), { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  for (const folder of folders) {
    const file = join(config.fixturesDir, folderName(target.id), folder, `${folderName('models.list')}.json`);
    const fixture = await readFixture(file).catch(() => null);
    if (fixture) return { exchanges: fixture.exchanges, source: `the recorded models.list (${fixture.provenance.recordedAt.slice(0, 10)})` };
  }
  return { exchanges: [], source: `no recorded models.list under ${fixturePath(config.fixturesDir, target.id, '*', 'models.list')}` };
}

/**
 * Who asked for the lists, as a target's unreadable or empty list names it: the flag or command in front, and what
 * to do instead. Each caller has its own flags: `catalog diff` has no --models to suggest.
 */
export interface ListAsker {
  unreadable: { asker: string; advice: string };
  /** What to say of a list with no usable id, when that leaves nothing to do; absent: an empty list is a list. */
  empty?: { asker: string; advice: string };
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
      const { exchanges, source } = target.mode === 'replay' ? await recordedLists(target, config) : await liveLists(target, config);
      const lists = exchanges.map(idsIn).filter((l): l is unknown[] => l !== undefined);
      if (lists.length === 0) {
        const seen = exchanges.map((ex) => `${ex.request.path}: ${ex.error?.code ?? `HTTP ${ex.response?.status}`}`).join(', ');
        throw new HarnessError('HARNESS_USAGE', `${asker.unreadable.asker}: target ${target.id} has no model list to read (${seen || source}); ${asker.unreadable.advice}`);
      }
      const refused: ModelListing['refused'] = [];
      const ids = new Set<string>();
      // Every prefix answers the same list on most endpoints: each id once.
      for (const raw of new Set(lists.flat())) {
        const id = typeof raw === 'string' ? raw : JSON.stringify(raw) ?? 'undefined';
        const problem = typeof raw !== 'string' ? 'not a string' : nameProblem(raw, 'model id');
        if (problem) refused.push({ id: id.slice(0, 200), problem });
        else if (ids.size < MAX_LISTED) ids.add(raw as string);
        else refused.push({ id: id.slice(0, 200), problem: `more than ${MAX_LISTED} ids listed` });
      }
      // An empty list would run no model on the target: 0 of 0 cells, which no gate can call observed.
      if (ids.size === 0 && asker.empty) {
        const why = refused.length ? `${refused.length} id(s) listed, none usable: ${refused.slice(0, 3).map((r) => `${inertLine(r.id, 60)} (${inertLine(r.problem, 120)})`).join(', ')}` : 'no id listed';
        throw new HarnessError('HARNESS_USAGE', `${asker.empty.asker}: target ${target.id}'s model list is empty (${source}: ${why}); ${asker.empty.advice}`);
      }
      const sorted = [...ids].sort();
      return {
        target: target.id,
        ids: sorted,
        listing: { source, listed: sorted.length, new: sorted.filter((id) => !catalog.has(id)), notListed: catalogIds.filter((id) => !ids.has(id)), refused: refused.slice(0, 50) },
      };
    }),
  );
}
