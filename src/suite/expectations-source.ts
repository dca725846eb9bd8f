/**
 * @module suite/expectations-source
 * How a cell's expectation source names the expectations file. Written once, here: plan.ts writes it into each cell
 * the file states, bless says it as what a cell was judged against, and statedInFile (report/build-matrix.ts) reads it
 * back to tell the file's values (which gate a cell that observed nothing) from the catalog's and the references'.
 * In suite/, not plan/, because report/ may not reach plan/ (the layer rules, test/project-files.test.ts).
 */

/** `expectations`, or `expectations (us-west-2)` for a target's own entry: what precedes `: <reason>` in a source. */
export function expectationsSource(target?: string): string {
  return `expectations${target ? ` (${target})` : ''}`;
}
