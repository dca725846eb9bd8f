/**
 * matrix.html's "What fails the gate" lists at most 200 cells, the first failing cell of each (model, target) pair
 * first: past 200 such pairs it cannot name each, and its last line says how many pairs it left out and on which
 * targets (a second region's outage is news the first region's lines do not tell). Hermetic: rendered in memory.
 */
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../src/report/html-report.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

/** `models` x 3 checks, every cell gating, on `targets` (copies of one target). */
function outage(models: number, targets: string[]): Matrix {
  const ids = Array.from({ length: models }, (_, i) => `m${String(i).padStart(3, '0')}`);
  const m = smallMatrix([], ids);
  m.results.forEach((r) => { r.status = 'error'; r.observed = null; r.reason = 'HARNESS_SERVER_ERROR: 500'; r.gating = true; });
  const [target] = m.targets;
  m.targets = targets.map((id) => ({ ...target!, id }));
  m.results = targets.flatMap((id) => m.results.map((r) => ({ ...r, target: id })));
  return m;
}

function lead(m: Matrix): { pairs: Set<string>; more: string } {
  const html = renderHtml(m);
  const section = html.slice(html.indexOf('<section id="lead">'), html.indexOf('<h2>By model'));
  const pairs = new Set([...section.matchAll(/data-key="([^"|]+)\|([^"|]+)\|/g)].map(([, t, mo]) => `${t}|${mo}`));
  return { pairs, more: /<td colspan="2" class="more">([^<]*)<\/td>/.exec(section)?.[1] ?? '' };
}

describe('"What fails the gate" past 200 failing (model, target) pairs', () => {
  it('says how many pairs it does not name, by target', () => {
    const { pairs, more } = lead(outage(140, ['east', 'runtime.east']));
    expect(pairs.size).toBe(200);
    expect([...pairs].filter((p) => p.startsWith('runtime.east|'))).toHaveLength(60);
    expect(more).toBe('... and 640 more cells that fail the gate, not listed here, among them every cell of 80 failing (model, target) pairs not named above (80 on runtime.east): each is outlined in the grid below, and matrix.json holds them all');
  });

  it('names at most five targets, counting the others', () => {
    const { more } = lead(outage(40, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']));
    expect(more).toContain('among them every cell of 120 failing (model, target) pairs not named above (40 on f, 40 on g, 40 on h)');
    const many = lead(outage(20, Array.from({ length: 17 }, (_, i) => `t${i}`)));
    expect(many.more).toContain('among them every cell of 140 failing (model, target) pairs not named above (20 on t10, 20 on t11, 20 on t12, 20 on t13, 20 on t14, 2 more targets)');
  });

  it('says nothing of pairs when every pair is named (the cut leaves only further cells of named pairs)', () => {
    const { pairs, more } = lead(outage(100, ['east']));
    expect(pairs.size).toBe(100);
    expect(more).toBe('... and 100 more cells that fail the gate, not listed here: each is outlined in the grid below, and matrix.json holds them all');
  });
});
