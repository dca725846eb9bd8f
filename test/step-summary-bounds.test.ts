/**
 * The job summary stays a page whatever the run: an endpoint that lists thousands of ids the catalog lacks had them
 * all on one "New models" line (600 KB of 150-character ids), and the cut at MAX_SUMMARY_BYTES dropped that line and
 * every one after it: the comparison with its new failures, or the gate's tables. The line is bounded as the tables'
 * rows are, and a line no bound foresaw is cut itself, keeping what follows.
 */
import { describe, expect, it } from 'vitest';
import { renderStepSummary } from '../src/report/step-summary.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

describe('the step summary with thousands of new models', () => {
  const ids = Array.from({ length: 2000 }, (_, i) => `vendor.${'long-model-name-'.repeat(8)}${String(i).padStart(4, '0')}`);
  const matrix = smallMatrix([{ model: 'xai.grok-4.3', check: 'created-at.chat', status: 'fail', observed: 'exponent', reason: 'created is 1.7635E9' }], ['xai.grok-4.3', ...ids]);
  for (const model of matrix.models) if (model.id !== 'xai.grok-4.3') model.discovered = true;

  it('names 50 of them and counts the rest; the gate\'s failing cell is still on the page', () => {
    const summary = renderStepSummary(matrix, { maxBytes: 64 * 1024 });
    const line = summary.split('\n').find((l) => l.startsWith('**New models**'))!;
    expect(line).toMatch(/^\*\*New models\*\* \(2000; /);
    expect(line).toMatch(/, \.\.\. and 1950 more in matrix\.md$/);
    expect(Buffer.byteLength(line)).toBeLessThan(10_000);
    expect(summary).toContain('created is 1.7635E9');
    expect(summary).not.toContain('The summary is cut here');
  });

});
