/**
 * @module cli/unrecorded-targets
 * A replay target with no recordings at all is a typo or a forgotten `--mode live`, not thousands of per-case
 * "recording missing" errors: exit 2 naming the flag, the closest recorded target, and, when the flags describe a
 * live endpoint (`--endpoint`, an `--auth` other than the default), live mode. A recorded target that lacks one
 * model is left to the run (that model's cases say their recordings are missing).
 */
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { folderName } from '../names.ts';
import { closest } from '../suite/closest.ts';
import { isSurface } from '../surfaces.ts';

export interface ReplayFlags {
  /** The flag that named the targets (`--targets`, `--target-name`, `--endpoint`, `--region`). */
  flag: string;
  /** Whether the flags describe a live endpoint: `--endpoint`, or `--auth` other than the default. */
  looksLive: boolean;
  /** How the flag names a recorded target (`--targets`: `runtime:us-east-1`, not the id); default the id. */
  spell?: (id: string) => Promise<string>;
}

/**
 * `custom:x` asked for (target custom.x) where `x` is recorded: a custom target recorded under --target-name keeps
 * that name as its id, too far from `custom.x` for `closest` to offer it, and it is what was meant.
 */
function recordedSite(missing: string, recorded: readonly string[]): string | undefined {
  const dot = missing.indexOf('.');
  const site = dot > 0 && isSurface(missing.slice(0, dot)) ? missing.slice(dot + 1) : undefined;
  return site !== undefined && recorded.includes(site) ? site : undefined;
}

/** HARNESS_USAGE for the first target of `ids` with no folder under the fixtures root; nothing when all have one. */
export async function refuseUnrecorded(ids: readonly string[], recorded: readonly string[], fixturesDir: string, flags: ReplayFlags): Promise<void> {
  const missing = ids.find((id) => !recorded.includes(id));
  if (missing === undefined) return;
  const closestId = recorded.length ? (closest(missing, recorded) ?? recordedSite(missing, recorded)) : undefined;
  const guess = closestId !== undefined && flags.spell ? await flags.spell(closestId) : closestId;
  const known = recorded.length ? `recorded: ${recorded.join(', ')}` : 'nothing is recorded there';
  const live = flags.looksLive ? '; did you mean --mode live? (without --mode, a run replays recordings)' : '';
  throw new HarnessError(
    'HARNESS_USAGE',
    `${flags.flag}: no recordings of target ${missing} (${join(fixturesDir, folderName(missing))} does not exist)${guess ? `; did you mean ${guess}?` : ''} (${known})${live}; or record it with --mode record`,
  );
}
