/**
 * @module cli/catalog-command
 * `mantle-conformance catalog`: the catalog's models, one line each (id, family, the APIs its claims say it
 * serves, regions), then what each surface is documented to lack; `--check` reviews every claim for its source (see suite/check-catalog.ts) and exits 1 listing
 * what it found, or 2 when some of it keeps the catalog from loading (as `validate` and `run` would). Every line is
 * written inert (report/inert-text.ts), as `validate` writes the same text: a catalog is a PR's text, and a CI job that
 * runs `catalog --check` on it must not get a forged `::error`, `::add-mask::` or a terminal escape from it.
 */
import { ALL_CHECKS } from '../checks/registry.ts';
import { HarnessError } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';
import { reviewCatalog } from '../suite/check-catalog.ts';
import { loadCatalog } from '../suite/load-catalog.ts';
import { EXIT } from './project.ts';

/** The most of one line of catalog text written: a finding quotes a claim's source or note, a surface line every claim of it. */
const LINE_MAX_BYTES = 16_000;
const inert = (text: string) => inertLine(text, LINE_MAX_BYTES);

const APIS = [
  ['api.chat-completions', 'chat'],
  ['api.responses', 'responses'],
  ['api.messages', 'messages'],
  ['api.count-tokens', 'count_tokens'],
] as const;

export async function catalogCommand(flags: { catalog: string; check?: boolean }, out: NodeJS.WritableStream): Promise<number> {
  if (flags.check) {
    const review = await reviewCatalog(flags.catalog, ALL_CHECKS);
    if (review.findings.length === 0) {
      out.write(`ok: ${review.models} models, ${review.sources} sources; every claim names a source that is cited, located and marked when unverified; every region is listed\n`);
      return EXIT.ok;
    }
    out.write(`${review.findings.map(inert).join('\n')}\n${review.findings.length} finding${review.findings.length === 1 ? '' : 's'} in ${inert(flags.catalog)}\n`);
    // Every finding is listed either way; one a run would refuse the file for makes it a bad input, not a review note.
    if (review.invalid > 0) {
      throw new HarnessError('HARNESS_CATALOG_INVALID', `${inert(flags.catalog)}: ${review.invalid} of the findings above keep the catalog from loading (validate and run refuse it); fix those first`);
    }
    return EXIT.gate;
  }
  const catalog = await loadCatalog(flags.catalog, ALL_CHECKS);
  const rows = catalog.models.map((model) => {
    const apis = APIS.filter(([check]) => model.expect.get(check)?.value === 'supported').map(([, name]) => name);
    const prefix = model.expect.get('path-prefix')?.value;
    // The id and the family as they are: the schema holds them to a safe alphabet (src/names.ts, no control, space,
    // `#` or `[`), and one starts with a letter, a digit or `/`, so the line cannot start a `::` command. A `::`
    // inside an ARN id (`arn:aws:bedrock:us-east-1::foundation-model/x`) is the id: a zero-width space there made a
    // copied id unusable. The other cells inert before they are padded, so the columns line up on what is written.
    return [model.id, model.family, inert(`${apis.join('+') || '?'}${typeof prefix === 'string' && prefix !== 'none' ? ` on ${prefix}` : ''}`), inert(model.regions.join(',') || '-')];
  });
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) out.write(`${row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ')}\n`);
  out.write(`${catalog.models.length} models in ${inert(flags.catalog)}\n`);
  // The claims above describe Mantle; what each surface is documented to do differently applies to every model (a
  // feature it has, to the models named).
  // Free text (a title, a feature, a value) inert piece by piece; the surface, check ids and the catalog's model ids
  // as they are (safe alphabets; the line starts with the surface). A `models:` entry the catalog lacks is free text.
  const ids = new Set(catalog.models.map((m) => m.id));
  for (const [surface, claims] of Object.entries(catalog.surfaces)) {
    const value = (v: unknown) => inert(Array.isArray(v) ? v.join(' or ') : String(v));
    const lacks = (claims.lacks ?? []).map((l) => `${inert(l.feature)} (${l.check}: ${value(l.value)})`);
    const named = (models: readonly string[]) => models.map((m) => (ids.has(m) ? m : inert(m))).join(', ');
    const has = (claims.has ?? []).map((h) => `${inert(h.feature)} (${h.check}: ${value(h.value)}${h.models ? ` for ${named(h.models)}` : ''})`);
    const unstated = (claims.unstated ?? []).map((u) => u.check);
    out.write(`${surface}${claims.title ? ` - ${inert(claims.title)}` : ''}: lacks ${lacks.join('; ') || 'nothing stated'}${has.length ? `; has ${has.join('; ')}` : ''}${unstated.length ? `; states nothing for ${unstated.join(', ')}` : ''}\n`);
  }
  return EXIT.ok;
}
