/**
 * @module run/output-ceiling
 * A model's maximum output tokens as the catalog states it (`defaults.max-output-tokens`, the default a request
 * that states no maximum gets), for the token budget: Mantle's admission counts a request that states none at the
 * model's maximum (MANTLE.md, Quotas), so the scheduler must count it at that too, or a `--tpm` set to the
 * account's quota is still throttled. A model the catalog does not know, or whose maximum it does not state (or
 * states as null), has none here: transport/scheduled-target.ts counts 4096 then.
 */
import type { Catalog } from '../suite/load-catalog.ts';
import type { MaxOutputOf } from '../transport/scheduled-target.ts';

export function catalogMaxOutput(catalog: Pick<Catalog, 'byId'>): MaxOutputOf {
  return (model) => {
    const value = catalog.byId.get(model)?.expect.get('defaults.max-output-tokens')?.value;
    // Several values allowed (a claim that is not sure): the largest, since the budget must not count short.
    const numbers = (Array.isArray(value) ? value : [value]).filter((v): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0);
    return numbers.length ? Math.max(...numbers) : undefined;
  };
}
