/**
 * A flaky check's most frequent value is no settled answer: the capability table says it once, as what its trials
 * saw (`stream.messages varies: stalled 2/3, conformant 1/3`), never also as a worded caveat (`stream stalled`)
 * that reads as a value observed (review r2c, finding 4). The same holds for the other worded caveats of an API,
 * and for a caveat that reads a flaky check beside its own (the thinking note).
 */
import { describe, expect, it } from 'vitest';
import { buildCapabilityTable } from '../src/report/capability-table.ts';
import type { MatrixResult } from '../src/report/matrix.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

type Cell = Pick<MatrixResult, 'check' | 'status' | 'observed'> & { trials?: MatrixResult['trials'] };

/** One model's cells of the table, from a matrix holding these results (as table-unshown.test.ts builds it). */
function cells(results: Cell[]) {
  const matrix = smallMatrix([], ['m.one']);
  matrix.results = [...matrix.results.filter((r) => r.check !== 'path-prefix'), ...results.map((c) => ({ ...matrix.results[0]!, ...c, expected: null, expectedSource: null }))];
  return buildCapabilityTable([matrix]).rows[0]!.cells;
}

const ok = (check: string, observed: string): Cell => ({ check, status: 'pass', observed });
const trial = (observed: string, status: 'pass' | 'fail' = 'pass') => ({ status, observed, reason: '', evidence: [] });
/** Flaky: `seen` is what each trial observed, the first (most frequent) the cell's value. */
const flaky = (check: string, ...seen: string[]): Cell => ({ check, status: 'flaky', observed: seen[0]!, trials: seen.map((s) => trial(s)) });

const MESSAGES = [ok('api.messages', 'supported'), ok('messages.basic', 'conformant'), ok('messages.error-shape', 'anthropic'), ok('schema.anthropic-message', 'valid'), ok('schema.anthropic-event', 'valid')];
const CHAT = [ok('api.chat-completions', 'supported'), ok('schema.chat-completion', 'valid'), ok('schema.chat-completion-chunk', 'valid')];

describe('a flaky check is said once, as its trials', () => {
  it('a flaky stream is partial with what its trials saw, not also "stream stalled"', () => {
    const cell = cells([...MESSAGES, flaky('stream.messages', 'stalled', 'stalled', 'conformant')]).Messages!;
    expect(cell.value).toBe('partial');
    expect(cell.notes).toEqual(['stream.messages varies: stalled 2/3, conformant 1/3']);
  });

  it('on every API, and for another worded caveat (array content rejected)', () => {
    const chat = cells([...CHAT, flaky('stream.chat-completions', 'rejected', 'rejected', 'conformant'), flaky('content.array.chat', 'rejected', 'accepted', 'rejected')])['Chat Completions']!;
    expect(chat.value).toBe('partial');
    // In the column's order of checks: its caveats' as written (content.array.chat before stream.chat-completions).
    expect(chat.notes).toEqual(['content.array.chat varies: rejected 2/3, accepted 1/3', 'stream.chat-completions varies: rejected 2/3, conformant 1/3']);
  });

  it('a caveat that reads a flaky check beside its own says only what is settled', () => {
    // budget_tokens refused every time; adaptive thinking accepted 2 of 3: "adaptive thinking only" would say it as settled.
    const cell = cells([...MESSAGES, ok('stream.messages', 'conformant'), { check: 'messages.thinking-budget', status: 'pass', observed: 'rejected' }, flaky('messages.thinking-adaptive', 'accepted', 'accepted', 'rejected')]).Messages!;
    expect(cell.value).toBe('partial');
    expect(cell.notes).toEqual(['budget_tokens rejected', 'messages.thinking-adaptive varies: accepted 2/3, rejected 1/3']);
  });

  it('a settled stream failure is still said in words', () => {
    const cell = cells([...MESSAGES, { check: 'stream.messages', status: 'fail', observed: 'stalled' }]).Messages!;
    expect(cell).toMatchObject({ value: 'partial', notes: ['stream stalled'] });
  });
});
