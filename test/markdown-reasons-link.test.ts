/**
 * matrix.md counts the cells to look at near the top, and gives their reasons some thousands of lines below, after
 * every target's grid (new-user pass, 2026-12-05): the counts say where the reasons are, by a link that resolves.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/report/markdown-report.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading: string) => heading.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');

describe('matrix.md, the cells to look at', () => {
  it('link to the section that gives each reason, when there is one', () => {
    const md = renderMarkdown(smallMatrix([{ model: 'qwen.qwen3-32b', check: 'defaults.temperature', status: 'inconclusive', observed: null, reason: 'the model spent its budget' }]));
    const link = /Each of these cells with its reason: \[([^\]]+)\]\(#([^)]+)\), below/.exec(md);
    expect(link).not.toBeNull();
    const headings = md.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3));
    expect(headings).toContain(link![1]);
    expect(link![2]).toBe(anchor(link![1]!));
    expect(md.indexOf(link![0])).toBeLessThan(md.indexOf(`## ${link![1]}`));
  });

  it('say nothing of it when every cell is a plain observation', () => {
    expect(renderMarkdown(smallMatrix())).not.toContain('Each of these cells with its reason');
  });
});
