/**
 * Which models the bundled recordings hold several trials of: exactly those the emulator answers otherwise on a
 * repeat (`npm run fixtures` records them with three trials, so that replay shows them flaky). A claim that lists
 * values because sources disagree by region (gpt-5.6-luna's stream), or because no capture says which (Claude's
 * anthropic-version, models.listed), is not played in turn: three identical trials would only say "consistent" about
 * what the emulator chose, and a fresh recording would differ from the bundled one.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_TARGETS } from '../src/cli/fixtures-command.ts';
import { profilesFromCatalog } from '../src/emulator/profile-from-catalog.ts';
import { variesOnRepeat } from '../src/emulator/profile.ts';
import { ROOT, projectSuites } from './helpers/harness.ts';

/** Models of a recorded target with an exchange of a second trial. */
async function modelsWithTrials(target: string): Promise<string[]> {
  const dir = join(ROOT, 'fixtures', target);
  const models: string[] = [];
  for (const model of await readdir(dir)) {
    const files = await readdir(join(dir, model));
    for (const file of files) {
      const fixture = JSON.parse(await readFile(join(dir, model, file), 'utf8')) as { exchanges: { trial?: number }[] };
      if (fixture.exchanges.some((exchange) => (exchange.trial ?? 1) > 1)) {
        models.push(model);
        break;
      }
    }
  }
  return models.sort();
}

describe('trials recorded for models that vary', () => {
  it('varies on repeat: a claim played in turn (gpt-oss-20b reasoning field), not one listed for regions or for want of a capture', async () => {
    const { catalog } = await projectSuites();
    const profiles = profilesFromCatalog(catalog);
    expect(variesOnRepeat(profiles.get('openai.gpt-oss-20b')!)).toBe(true);
    for (const id of ['openai.gpt-5.6-luna', 'anthropic.claude-opus-4-7', 'xai.grok-4.6', 'openai.gpt-5.6-sol']) expect(variesOnRepeat(profiles.get(id)!), id).toBe(false);
  });

  it.each(EMULATOR_TARGETS)('the bundled $target recordings hold trials of exactly the models the emulator varies', async ({ target, surface }) => {
    const { catalog } = await projectSuites();
    const varying = [...profilesFromCatalog(catalog, {}, surface).values()].filter(variesOnRepeat).map((profile) => profile.id);
    expect(varying.length).toBeGreaterThan(0);
    expect(await modelsWithTrials(target)).toEqual(varying.sort());
  });
});
