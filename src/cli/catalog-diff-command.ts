/**
 * @module cli/catalog-diff-command
 * `mantle-conformance catalog diff`: what each target's model list holds against the catalog, and nothing else (no
 * inference, one GET per prefix and page): for a nightly job that only wants to know that a new model appeared. Exit 1
 * when a target lists an id the catalog lacks, or an id the harness cannot use as a model id (`run --models listed`
 * fails its gate on it: the gate's rule, unusableListed), or when a list could not be read whole (a prefix that failed,
 * a page it could not follow, a cap: a new id may be on the part not read, so a 0 would say "nothing new" unseen), else 0.
 */
import { ALL_CHECKS } from '../checks/registry.ts';
import { HarnessError } from '../errors.ts';
import { inertLine, printedJson } from '../report/inert-text.ts';
import { refusedApart, refusedSaid, unusableListed } from '../report/model-lists.ts';
import { loadCatalog } from '../suite/load-catalog.ts';
import { plainHttpWarning } from './credential-domains.ts';
import { readModelLists, type ListAsker } from './model-lists.ts';
import { resolveRunConfig, type RunFlags } from './run-options.ts';

/** How long `catalog diff` waits for each page of a model list (a command with no --timeout). */
const LIST_TIMEOUT_MS = 30_000;

export interface CatalogDiffFlags extends RunFlags {
  /** One target, as `--targets` takes it (`runtime:us-east-1`). */
  target?: string;
  json?: boolean;
}

/**
 * How a target's unreadable or empty list is told: the diff has no --models to name the models with (run's advice),
 * so it points at what reached the list: the target and credentials live, the recordings in replay.
 */
function diffAsker(replay: boolean): ListAsker {
  const check = replay ? 'check --fixtures and --target, or record the target again (run --mode record)' : 'check --endpoint / --region / --target, --auth and the credentials';
  return {
    // No --timeout here: the limit is fixed, and said as such (run's "raise --timeout" named a flag the diff lacks).
    timeout: { ms: LIST_TIMEOUT_MS, advice: `catalog diff waits at most ${LIST_TIMEOUT_MS} ms for each page of a list, a fixed limit: try again once the endpoint is warm` },
    unreadable: { asker: 'catalog diff', advice: check, ...(replay ? {} : { outage: 'an HTTP 5xx is the endpoint failing: try again later' }) },
    empty: { asker: 'catalog diff', advice: `nothing to compare the catalog with; ${check}` },
  };
}

/**
 * How the run's options name the flag a message is about, at its start: `--targets: ...`, `--targets "<entry>": ...`,
 * and `--target-name: ...` for a recorded target's name (bareName).
 */
const TARGETS_FLAG = /^--target(?:s|-name)(?=[: ])/;

/**
 * `--target` is given to the run's options as `--targets` (an empty one too: `--target "$UNSET"` would otherwise diff
 * every recorded target, or the --targets alone, as if it had not been given), or as `--target-name`: a usage error about it names the flag the user typed
 * (`--targets: no recordings of target x` would send them looking for a flag they did not give), and so does a
 * recorded target's spelling in it (`replay them as recorded (--targets runtime:x)`).
 */
function asTargetFlag(error: unknown): unknown {
  if (!(error instanceof HarnessError) || error.code !== 'HARNESS_USAGE' || !TARGETS_FLAG.test(error.message)) return error;
  return new HarnessError('HARNESS_USAGE', error.message.replace(TARGETS_FLAG, '--target').replace(/--targets (?=[a-z]+:)/g, '--target '), { cause: error });
}

/**
 * Run's hints name a recorded target as run selects it, `--target-name <id>` for one no `surface:name` names (a
 * custom target recorded under --target-name: `custom:x` is target custom.x); the diff has no --target-name, and its
 * --target takes that id (bareName). Run's "record it with --mode record" names a mode the diff does not have
 * (live and replay): recording is run's, so the hint names the command.
 */
function inDiffFlags(error: unknown): unknown {
  if (!(error instanceof HarnessError) || error.code !== 'HARNESS_USAGE' || !/--target-name |--mode record/.test(error.message)) return error;
  const said = error.message.replace(/--target-name (?=[A-Za-z0-9])/g, '--target ').replace(/(?<!run )--mode record\b/g, 'mantle-conformance run --mode record');
  return new HarnessError('HARNESS_USAGE', said, { cause: error });
}

/**
 * `--target <id>` in replay, an id with no `surface:`: the recorded target of that id, as `run --target-name <id>`
 * replays it. A custom target recorded under --target-name has no `surface:name` spelling, so without it the diff
 * reached one only by diffing every recorded target. Not with --targets, --endpoint or --region: those say the
 * targets themselves (refused as with any --target).
 */
function bareName(target: string | undefined, rest: Omit<CatalogDiffFlags, 'target' | 'json'>): target is string {
  return target !== undefined && rest.mode === 'replay' && target.trim() !== '' && !target.includes(':') && [rest.targets, rest.endpoint, rest.region].every((f) => f === undefined);
}

/** No target at all: run's words name --mode (live is only the diff's default) and leave out --target, the diff's own flag. */
function noTarget(error: unknown): unknown {
  if (!(error instanceof HarnessError) || error.code !== 'HARNESS_USAGE' || !error.message.startsWith('--mode: live needs a target')) return error;
  return new HarnessError('HARNESS_USAGE', 'catalog diff needs a target: --target runtime:us-east-1 (or mantle:REGION, or SURFACE:NAME=URL), --region us-east-1, --targets mantle:us-east-1,runtime:us-east-1 or --endpoint URL', { cause: error });
}

/** Prints (or `--json`) each target's model list against the catalog; exit 1 when a target lists an id the catalog lacks or one it cannot use, or a list was not read whole. */
export async function catalogDiffCommand(flags: CatalogDiffFlags, root: string, version: string, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { target, json, ...rest } = flags;
  const named = bareName(target, rest) ? { targetName: target } : target !== undefined ? { targets: [rest.targets, target].filter((t) => t !== undefined).join(',') } : {};
  const config = await resolveRunConfig({ mode: 'live', ...rest, ...named, models: 'listed' }, root, version).catch(
    (error: unknown) => {
      throw inDiffFlags(target !== undefined && rest.targets === undefined ? asTargetFlag(error) : noTarget(error));
    },
  );
  // The lists are read with the run's credentials: warned of over plain http to another machine, as `run` does.
  const plainHttp = plainHttpWarning(config.targets, config.auth);
  if (plainHttp) err.write(`warning: ${plainHttp}\n`);
  const catalog = await loadCatalog(config.catalogFile, ALL_CHECKS);
  const lists = await readModelLists(config, catalog.models.map((m) => m.id), diffAsker(config.targets.every((t) => t.mode === 'replay')));
  const targets = lists.map((l) => {
    const t = config.targets.find((x) => x.id === l.target)!;
    // `refused` names the ids refused as model ids alone, and `pastCap` counts the valid ids past the cap not read, as
    // the text says them apart (matrix.json's modelList keeps both in `refused`, each with its problem).
    const { refused, pastCap } = refusedApart(l.listing);
    return { target: t.id, surface: t.surface, region: t.region, ...l.listing, refused, pastCap, complete: l.missing.length === 0, missing: l.missing, ...(l.advice ? { advice: l.advice } : {}) };
  });
  const listings = new Map(lists.map((l) => [l.target, l.listing]));
  if (json) {
    // The ids are the endpoint's text: a C1 escape, a direction override or U+2028 is valid JSON but runs or reorders
    // in the terminal or CI log that prints it, so each is its visible `\u202e`, as `table --format json` writes (JSON reads it back the same).
    out.write(printedJson({ format: 'mantle-conformance.catalog-diff/1', catalog: catalog.id, targets }));
  } else {
    for (const t of targets) {
      // The source says which part was not read, if any (cli/model-lists.ts): the first line a reader sees.
      out.write(`${inertLine(`${t.target} (${t.surface}${t.region ? `, ${t.region}` : ''}): ${t.listed} listed (${t.source})`, 2000)}\n`);
      // What to do about the part not read, when the harness can tell (a web page beside a list: cli/model-lists.ts).
      if (t.advice) out.write(`  ${inertLine(t.advice, 2000)}\n`);
      out.write(`  new (listed, not in the catalog): ${t.new.length ? inertLine(t.new.join(', '), 8000) : t.complete ? 'none' : 'none on the part read'}\n`);
      out.write(`  in the catalog, not listed${t.complete ? '' : ' on the part read'}: ${t.notListed.length ? inertLine(t.notListed.join(', '), 8000) : 'none'}\n`);
      for (const said of refusedSaid(listings.get(t.target)!)) out.write(`  ${inertLine(said, 4000)}\n`);
    }
  }
  // The exit code of an incomplete observation (a partial run, an incomplete merge): the diff did not see everything.
  // An id no run can test fails `run --models listed` on the same list: a nightly diff that stayed green would hide it.
  return targets.some((t) => t.new.length > 0 || !t.complete || unusableListed(t).count > 0) ? 1 : 0;
}
