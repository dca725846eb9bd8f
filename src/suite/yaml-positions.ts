/**
 * @module suite/yaml-positions
 * Where each value of a parsed YAML document starts, as plain data: what `YamlSource.locate` reads, the same
 * whether the file was parsed now or its parse came with the package (suite/bundled-yaml.ts).
 */
import { isMap, isNode, isScalar, isSeq } from 'yaml';
import type { PathSegment } from '../json-path.ts';

/** A node's start offset, and for a mapping or a sequence, its children. */
export interface PositionNode {
  at: number | null;
  map?: PositionEntry[];
  seq?: (PositionNode | null)[];
}

export interface PositionEntry {
  /** The key's scalar value; absent when the key is not a scalar (never matches a path segment). */
  key?: unknown;
  keyNode: PositionNode | null;
  /** null for a key with an empty value (`key:` and nothing after it). */
  value: PositionNode | null;
}

export type { PathSegment };

/** The positions of `node` (a yaml Node; anything else has none) and everything below it. */
export function positionTree(node: unknown): PositionNode | null {
  if (!isNode(node)) return null;
  const at = node.range?.[0] ?? null;
  if (isMap(node)) {
    return {
      at,
      map: node.items.map((pair) => ({
        ...(isScalar(pair.key) ? { key: pair.key.value } : {}),
        keyNode: isNode(pair.key) ? { at: pair.key.range?.[0] ?? null } : null,
        value: positionTree(pair.value),
      })),
    };
  }
  if (isSeq(node)) return { at, seq: node.items.map((item) => positionTree(item)) };
  return { at };
}

/**
 * The offset of the node at `path`, or of its nearest existing parent (0 for none). `key: true` points at the
 * last key rather than its value; a key with an empty value has no value node, so it points at the key too.
 */
export function locateOffset(tree: PositionNode | null, path: readonly PathSegment[], options: { key?: boolean } = {}): number {
  let node = tree;
  let found = node;
  for (const [index, segment] of path.entries()) {
    let next: PositionNode | null | undefined;
    if (node?.map) {
      const entry = node.map.find((e) => 'key' in e && e.key === segment);
      if (!entry) break;
      const last = index === path.length - 1;
      next = (last && options.key) || entry.value === null ? entry.keyNode : entry.value;
    } else if (node?.seq && typeof segment === 'number') {
      next = node.seq[segment];
    } else {
      break;
    }
    if (!next) break;
    node = next;
    found = next;
  }
  return found?.at ?? 0;
}
