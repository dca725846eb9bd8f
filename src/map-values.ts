/**
 * @module map-values
 * A copy of a plain object with each value converted, keys in order. A key named `__proto__` stays an own property,
 * as JSON.parse and lossless-json store it (assignment would set the prototype instead). Shared by the lossless
 * views of parsed JSON (transport), the schema modes (checks, mapLeaves: a copy as deep as the value) and the
 * rendering of a case's templates (suite).
 */
export function mapValues(value: Record<string, unknown>, convert: (item: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') Object.defineProperty(out, key, { value: convert(value[key]), writable: true, enumerable: true, configurable: true });
    else out[key] = convert(value[key]);
  }
  return out;
}

/** A container being copied by mapLeaves: the original, its copy, and how far through its members the copy is. */
interface CopyFrame {
  from: Record<string, unknown> | unknown[];
  to: Record<string, unknown> | unknown[];
  keys: string[] | undefined;
  next: number;
}

/**
 * A copy of parsed JSON with each leaf converted (`isLeaf` says which objects are leaves, such as lossless-json's
 * numbers), keys in order, without recursion: lossless-json reads a body nested thousands of levels deep (an
 * endpoint's error detail can be), and a recursive copy of it would overflow the stack (a check's crash, not its
 * verdict). Arrays and objects are copied with their own stack, as deep as the value nests.
 */
export function mapLeaves(value: unknown, convert: (leaf: unknown) => unknown, isLeaf: (value: object) => boolean): unknown {
  const isContainer = (item: unknown): item is Record<string, unknown> | unknown[] => typeof item === 'object' && item !== null && !isLeaf(item);
  if (!isContainer(value)) return convert(value);
  const frameOf = (from: Record<string, unknown> | unknown[]): CopyFrame => ({
    from,
    to: Array.isArray(from) ? new Array<unknown>(from.length) : {},
    keys: Array.isArray(from) ? undefined : Object.keys(from),
    next: 0,
  });
  const root = frameOf(value);
  const stack: CopyFrame[] = [root];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const length = frame.keys ? frame.keys.length : (frame.from as unknown[]).length;
    if (frame.next >= length) {
      stack.pop();
      continue;
    }
    const index = frame.next++;
    const key = frame.keys ? frame.keys[index]! : index;
    const item = (frame.from as Record<string | number, unknown>)[key];
    let copy: unknown;
    if (isContainer(item)) {
      const child = frameOf(item);
      stack.push(child);
      copy = child.to;
    } else copy = convert(item);
    if (key === '__proto__') Object.defineProperty(frame.to, key, { value: copy, writable: true, enumerable: true, configurable: true });
    else (frame.to as Record<string | number, unknown>)[key] = copy;
  }
  return root.to;
}
