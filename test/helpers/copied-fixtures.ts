/**
 * Replays of a copied fixtures folder, for the tests of what a replay makes of recordings moved between target
 * folders: a root holding bundled Mantle model folders under a target folder of the test's naming, and a replay of it
 * with its matrix read back (undefined when the run wrote none).
 */
import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cli, ROOT, type CliResult } from './harness.ts';

export const BUNDLED = join(ROOT, 'fixtures');
export const FABLE = 'anthropic.claude-fable-5';
export const HAIKU = 'anthropic.claude-haiku-4-5';
export const GROK = 'xai.grok-4.3';

export interface ReplayedCell {
  model: string;
  check: string;
  status: string;
  reason?: string;
}

/** `<dir>/<name>`, a fixtures root whose folder `target` holds these model folders of the bundled Mantle target `emulator`. */
export async function bundledRoot(dir: string, name: string, target: string, models: readonly string[]): Promise<string> {
  const root = join(dir, name);
  for (const model of models) await cp(join(BUNDLED, 'emulator', model), join(root, target, model), { recursive: true });
  return root;
}

/** `run --fixtures root ...args` into `<dir>/<report>`, and the matrix it wrote. */
export async function replayRoot(dir: string, root: string, args: readonly string[], report: string): Promise<CliResult & { matrix?: { results: ReplayedCell[]; targets: { id: string; surface?: string }[] } }> {
  const reports = join(dir, report);
  const result = await cli(['run', '--fixtures', root, ...args, '--report-dir', reports, '--quiet']);
  const matrix = await readFile(join(reports, 'matrix.json'), 'utf8').then((t) => JSON.parse(t) as { results: ReplayedCell[]; targets: { id: string; surface?: string }[] }, () => undefined);
  return { ...result, ...(matrix ? { matrix } : {}) };
}
