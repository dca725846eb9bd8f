/**
 * @module json-walk
 * A walk of a parsed document from elsewhere without recursion. JSON.parse reads `[[[[...` thousands deep in a few
 * kilobytes, and any recursive walk after it (JSON.stringify in an error message, a validator, the reports) would end
 * in a stack overflow: the harness's own crash (exit 3) instead of the file's error (exit 2). Depth first with its
 * own stack of at most `maxDepth` frames: neither the nesting nor the number of values (tens of millions of `{}`)
 * grows the stack or the heap the walk takes. Used by read-matrix (matrix.json) and read-history (run files).
 */
import type { PathSegment } from './json-path.ts';

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

/** Where a member lies: its holder, for `pathAt`. */
export type WalkPosition = Pick<Frame, 'key' | 'parent'>;

/** The path of the member `key` of the container at `holder`. */
export function pathAt(holder: WalkPosition, key: PathSegment): PathSegment[] {
  const segments: PathSegment[] = [key];
  for (let at: WalkPosition | undefined = holder; at?.parent; at = at.parent) segments.unshift(at.key!);
  return segments;
}

/**
 * The first problem in `document`: what `visit` says of a member (given its key, its value and its holder, whose
 * path `pathAt` gives), or what `tooDeep` says of the path of the first container nested more than `maxDepth`
 * containers deep. Undefined when there is none.
 */
export function firstProblemIn(
  document: unknown,
  maxDepth: number,
  tooDeep: (path: PathSegment[]) => string,
  visit: (key: PathSegment, value: unknown, holder: WalkPosition) => string | undefined = () => undefined,
): string | undefined {
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
    const problem = visit(key, child, frame);
    if (problem !== undefined) return problem;
    if (child === null || typeof child !== 'object') continue;
    if (frame.depth >= maxDepth) return tooDeep(pathAt(frame, key));
    frame = frameOf(child, key, frame);
  }
  return undefined;
}
