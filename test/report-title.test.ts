/**
 * The reports of a run against an endpoint that is not Mantle's (a gateway, vLLM) were titled "Mantle compatibility
 * matrix". They are titled by what was run against; a later run still knows either title as its own earlier report.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeEarlierReports } from '../src/cli/earlier-reports.ts';
import { renderHtml } from '../src/report/html-report.ts';
import { renderMarkdown } from '../src/report/markdown-report.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

describe('the title of the reports', () => {
  it('names Mantle for Mantle and bedrock-runtime targets (and runs made before surfaces), not for another endpoint', () => {
    const mantle = smallMatrix();
    expect(renderMarkdown(mantle)).toMatch(/^# Mantle compatibility matrix\n/);
    expect(renderHtml(mantle)).toContain('<h1>Mantle compatibility matrix</h1>');
    mantle.targets[0]!.surface = 'runtime';
    expect(renderMarkdown(mantle)).toMatch(/^# Mantle compatibility matrix\n/);
    const custom = smallMatrix();
    custom.targets[0]!.surface = 'custom';
    expect(renderMarkdown(custom)).toMatch(/^# Compatibility matrix\n/);
    const html = renderHtml(custom);
    expect(html).toMatch(/<title>Compatibility matrix — /);
    expect(html).toContain('<h1>Compatibility matrix</h1>');
    expect(html).not.toContain('Mantle compatibility matrix');
  });

  it('an earlier run\'s reports under either title are known as the harness\'s own and removed; another file stays', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'report-title-'));
    try {
      await writeFile(join(dir, 'matrix.md'), '# Compatibility matrix\n\n**Gate: pass (exit 0)**\n');
      await writeFile(join(dir, 'matrix.html'), '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n<title>Compatibility matrix — run-1</title></head></html>\n');
      await removeEarlierReports(dir);
      await expect(readFile(join(dir, 'matrix.md'))).rejects.toThrow();
      await expect(readFile(join(dir, 'matrix.html'))).rejects.toThrow();
      await writeFile(join(dir, 'matrix.md'), '# Compatibility matrix notes of my team\n');
      await removeEarlierReports(dir);
      expect(await readFile(join(dir, 'matrix.md'), 'utf8')).toContain('my team');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
