/**
 * A printed path stays the path to copy (review r2m, finding 4): no cut before its file name, no zero-width space in a
 * `::` mid-line (GitHub reads a command only at a line's start, and a printed path has no line break left), while a
 * line break, `##[`, `##vso[`, `##teamcity[` and a leading `::` are still made inert.
 */
import { describe, expect, it } from 'vitest';
import { printedPath, printedPaths } from '../src/cli/printed-path.ts';

describe('printedPath', () => {
  it('prints a long path whole, and a runaway one cut in its middle, keeping the file name', () => {
    const long = `/${Array.from({ length: 8 }, (_, i) => `nightly-artifacts-region-us-east-1-part-0${i}`).join('/')}/matrix.json`;
    expect(printedPath(long)).toBe(long);
    const runaway = `/${'x'.repeat(40_000)}/out/matrix.json`;
    const shown = printedPath(runaway);
    expect(shown.endsWith('/out/matrix.json')).toBe(true);
    expect(shown.startsWith('/xxx')).toBe(true);
    expect(shown).toMatch(/\.\.\. \(\d+ bytes left out\) \.\.\./);
    expect(Buffer.byteLength(shown)).toBeLessThanOrEqual(16_384);
  });

  it('keeps a :: inside a path as it is (an ARN-like folder name is copied whole)', () => {
    const arn = '/tmp/arn:aws:bedrock:us-east-1::foundation-model/out/matrix.json';
    expect(printedPaths([arn, arn])).toBe(`${arn}, ${arn}`);
    expect(printedPath(arn)).not.toContain('\u200b');
  });

  it('still makes line breaks, the ##[ commands and a leading :: inert', () => {
    const hostile = printedPath('/tmp/x\n::error title=pwn::owned\n##[error]y ##vso[task.setvariable] ##teamcity[x]');
    expect(hostile).not.toMatch(/[\n\r]/);
    expect(hostile).not.toMatch(/##(vso|teamcity)?\[/);
    expect(printedPath('::error::x').startsWith('::')).toBe(false);
    expect(printedPath('  ::error::x').trimStart().startsWith('::')).toBe(false);
  });
});
