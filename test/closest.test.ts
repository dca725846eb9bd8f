/**
 * "Did you mean": letter case is no edit (review of 2026-12-05: `--models OPENAI.GPT-OSS-20B` got no suggestion
 * while `openai.gpt-oss-2b` did), and the suggestion is the known id as it is spelt.
 */
import { describe, expect, it } from 'vitest';
import { closest } from '../src/suite/closest.ts';

const CATALOG = ['openai.gpt-oss-20b', 'openai.gpt-oss-120b', 'xai.grok-4.3', 'defaults.temperature'];

describe('closest', () => {
  it.each([
    ['OPENAI.GPT-OSS-20B', 'openai.gpt-oss-20b'],
    ['Xai.Grok-4.3', 'xai.grok-4.3'],
    ['openai.gpt-oss-2b', 'openai.gpt-oss-20b'],
    ['DEFAULTS.TEMP', 'defaults.temperature'],
    ['xai.grok-4-3', 'xai.grok-4.3'],
  ])('%s -> %s', (word, suggestion) => {
    expect(closest(word, CATALOG)).toBe(suggestion);
  });

  it('nothing close, in any case, is no suggestion', () => {
    expect(closest('MISTRAL.LARGE', CATALOG)).toBeUndefined();
    expect(closest('something-else-entirely', CATALOG)).toBeUndefined();
  });
});
