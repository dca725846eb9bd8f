/**
 * @module cli/respelt-models
 * A `--models` id the catalog does not have but spells otherwise (`xai.grok-4-3` for `xai.grok-4.3`: the same up to
 * letter case and separators, suite/closest.ts respellingOf) is refused before anything is sent. Run as given, it
 * would be probed with no expectations, so none of its cells could gate: a slip of the finger that turns a gated
 * model into a green run. An id an endpoint lists (`--models listed`) is its own spelling, never a slip: not here;
 * nor is an id namespaced as other servers name models (`Org/model`, a path, an ARN).
 */
import { ALL_CHECKS } from '../checks/registry.ts';
import { HarnessError } from '../errors.ts';
import { usePrecompiledFileValidators } from '../run/precompiled-validators.ts';
import { respellingOf } from '../suite/closest.ts';
import { loadCatalog } from '../suite/load-catalog.ts';

/** Throws HARNESS_USAGE naming the first of `ids` (given to `--models`) that respells a catalog id, and the fix. */
export async function refuseRespeltModels(ids: readonly string[], catalogFile: string): Promise<void> {
  if (ids.length === 0) return;
  usePrecompiledFileValidators();
  const catalogIds = (await loadCatalog(catalogFile, ALL_CHECKS)).models.map((m) => m.id);
  const known = new Set(catalogIds);
  for (const id of ids) {
    if (known.has(id)) continue;
    const meant = respellingOf(id, catalogIds);
    // A `/` or `:` the catalog id lacks is another server's naming, not a slip: vLLM and OpenRouter serve
    // `openai/gpt-oss-20b` and `Qwen/Qwen3-32B`, an ARN holds both. Probed as given, as any id the catalog lacks.
    if (!meant || (/[/:]/.test(id) && !/[/:]/.test(meant))) continue;
    // Both are names (src/names.ts): no quote, line break or markup to neutralise.
    throw new HarnessError(
      'HARNESS_USAGE',
      `--models: ${JSON.stringify(id)} is not in the catalog; it is the catalog's ${JSON.stringify(meant)} with other letter case or separators, and as given would run with no expectations (none of its cells could fail the gate): give --models ${meant}; to probe an id the catalog does not have that only resembles one, add it to a catalog of your own (--catalog)`,
    );
  }
}
