/**
 * @module history/json-depth
 * How deep a parsed file from elsewhere nests, found without recursion. JSON.parse reads `[[[[...` thousands deep
 * in a few kilobytes, and every recursive walk after it (JSON.stringify in an error message, a validator) would end
 * in a stack overflow: the harness's own crash (exit 3) instead of the file's error (exit 2). The walk is the one of
 * cli/read-matrix.ts's MAX_MATRIX_DEPTH check: depth first with its own stack of at most `max` frames, so neither
 * the nesting nor the number of values grows the stack.
 */
import { displayPath, type PathSegment } from '../json-path.ts';

/** A container being walked: where it is, and how far through its members the walk is. */
interface Frame {
  value: Record<string, unknown> | unknown[];
  /** An object's keys; an array's members are walked by index, with no list of them made. */
  keys: string[] | undefined;
  next: number;
  key: PathSegment | undefined;
  parent: Frame | undefined;
  /** Containers from the top level down to this one, itself included. */
  depth: number;
}

const frameOf = (value: object, key: PathSegment | undefined, parent: Frame | undefined): Frame => ({
  value: value as Frame['value'],
  keys: Array.isArray(value) ? undefined : Object.keys(value),
  next: 0,
  key,
  parent,
  depth: (parent?.depth ?? 0) + 1,
});

/**
 * The JSON path (as displayPath writes it) of the first container nested more than `max` containers deep in
 * `document`, or undefined when none is.
 */
export function tooDeep(document: unknown, max: number): string | undefined {
  if (document === null || typeof document !== 'object') return undefined;
  let frame: Frame | undefined = frameOf(document, undefined, undefined);
  while (frame) {
    const length: number = frame.keys ? frame.keys.length : (frame.value as unknown[]).length;
    if (frame.next >= length) {
      frame = frame.parent;
      continue;
    }
    const key: PathSegment = frame.keys ? frame.keys[frame.next]! : frame.next;
    frame.next += 1;
    const child = (frame.value as Record<PathSegment, unknown>)[key];
    if (child === null || typeof child !== 'object') continue;
    if (frame.depth >= max) {
      const path: PathSegment[] = [key];
      for (let at: Frame | undefined = frame; at?.parent; at = at.parent) path.unshift(at.key!);
      return displayPath(path);
    }
    frame = frameOf(child, key, frame);
  }
  return undefined;
}
