/**
 * @module run/other-model-answers-kept
 * A record run's rule for answers another model of the catalog gave in the requested model's place: a gateway that
 * rewrites the model id, or falls back to another model, answers 200 in that model's name, and every check then reads
 * that model. Recorded, those answers would replace the requested model's recordings with another model's, and the
 * next replay would judge it by them. Where the recording had an answer not in another catalog model's name (the
 * model's own, or the endpoint's refusal), the record target keeps it (transport/record-target.ts), as for an outage. An answer in a name the
 * catalog does not list (an alias, a deployment name, answered in the name of the model behind it) is recorded:
 * the harness cannot tell it from the model's own (README, the gate cannot tell an alias).
 */
import { answeredBy, catalogModelNamed, namesAnotherModel } from '../checks/answered-by.ts';
import { requestedModel } from '../transport/body.ts';
import { describeRequest, type Exchange } from '../transport/exchange.ts';

/**
 * The catalog model an exchange's 2xx answer names in place of `model`, the case's, or undefined. A request for
 * another id (errors.unknown-model's) is left alone: an endpoint answering an unknown id with its default model is
 * that case's observation.
 */
function otherCatalogModel(ex: Exchange, model: string, catalog: readonly string[]): string | undefined {
  const echoed = answeredBy(ex);
  const asked = echoed === undefined ? undefined : requestedModel(ex.request);
  if (asked === undefined || namesAnotherModel(model, asked)) return undefined;
  return catalogModelNamed(asked, echoed!, catalog);
}

/**
 * Why the new exchanges of `model`'s case must not replace its recording: one was answered in the name of another
 * model of `catalog`, where the recording's answer to the same request (`before`: a readable one, or undefined) was not. Undefined when
 * none was, or the recording was answered by another catalog model alike (nothing of the model's is lost).
 */
export async function otherModelUnlikeBefore(exchanges: readonly Exchange[], model: string, catalog: readonly string[], before: (ex: Exchange) => Promise<Exchange | undefined>): Promise<{ why: string; what: 'it'; again: string } | undefined> {
  if (catalog.length === 0) return undefined;
  for (const ex of exchanges) {
    const other = otherCatalogModel(ex, model, catalog);
    if (other === undefined) continue;
    const earlier = await before(ex);
    if (earlier === undefined || otherCatalogModel(earlier, model, catalog) !== undefined) continue;
    return {
      why: `another model answered: ${describeRequest(ex.request)} was answered HTTP ${ex.response!.status} in the name of ${JSON.stringify(other)}, another model of the catalog than ${JSON.stringify(model)} (a gateway's fallback or a rewritten model id), where the recording's answer to it was not another model's`,
      what: 'it',
      again: `record again once the endpoint answers ${model} itself`,
    };
  }
  return undefined;
}
