/**
 * @module history/uplot-asset
 * uPlot (MIT, pinned in package.json), the chart library history.html inlines: its minified script and stylesheet.
 * From a checkout they are read from node_modules; the built package carries copies in dist/history/uplot/ (with
 * the license in dist/THIRD-PARTY-LICENSES.txt), put there by .ci/build.mjs.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fromSource, packageRoot } from '../package-root.ts';

export const UPLOT_FILES = { script: 'uPlot.iife.min.js', style: 'uPlot.min.css' } as const;

export async function uplotAssets(): Promise<{ script: string; style: string }> {
  const path = (name: string) => (fromSource(import.meta.url) ? createRequire(import.meta.url).resolve(`uplot/dist/${name}`) : join(packageRoot(import.meta.url), 'dist/history/uplot', name));
  const [script, style] = await Promise.all([readFile(path(UPLOT_FILES.script), 'utf8'), readFile(path(UPLOT_FILES.style), 'utf8')]);
  return { script, style };
}
