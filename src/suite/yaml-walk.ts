/**
 * @module suite/yaml-walk
 * One walk over a parsed YAML document, in yaml's own visiting order (a node before what it holds, a pair's key
 * before its value), that also resolves each alias as yaml does: to the last node before it carrying its anchor.
 * yaml's `Alias.resolve(doc)` walks the whole document again for every alias, so checking each alias of a file
 * that way was quadratic (a catalog with a few dozen aliases spent most of its load there).
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Document, type Node, type Pair } from 'yaml';

/** What a walk meets: a node (scalar, mapping, sequence or alias) or a mapping's pair. */
export type WalkedItem = Node | Pair<unknown, unknown>;

export interface WalkVisitor {
  /** An alias, with the node it refers to (undefined when no anchor before it has its name). */
  alias?(alias: Alias, target: Node | undefined, ancestors: readonly WalkedItem[]): void;
  /** A pair of a mapping, before its key and value. */
  pair?(pair: Pair<unknown, unknown>): void;
  /** A scalar, a mapping or a sequence, before what it holds. */
  node?(node: Node): void;
}

/** Walks `doc`'s contents; `ancestors` passed to `alias` are the collections and pairs above it, outermost first. */
export function walkDocument(doc: Document.Parsed, visitor: WalkVisitor): void {
  const anchors = new Map<string, Node>();
  const ancestors: WalkedItem[] = [];
  const walk = (item: unknown): void => {
    if (isAlias(item)) {
      visitor.alias?.(item, anchors.get(item.source), ancestors);
      return;
    }
    if (isPair(item)) {
      visitor.pair?.(item);
      ancestors.push(item);
      walk(item.key);
      walk(item.value);
      ancestors.pop();
      return;
    }
    if (!isScalar(item) && !isMap(item) && !isSeq(item)) return;
    // Set before what it holds is walked: an alias inside the value it names resolves to it, as in yaml.
    if (item.anchor) anchors.set(item.anchor, item);
    visitor.node?.(item);
    if (isScalar(item)) return;
    ancestors.push(item);
    for (const child of item.items) walk(child);
    ancestors.pop();
  };
  walk(doc.contents);
}

/** Whether `node` holds an alias anywhere below it (itself included). */
export function holdsAlias(node: unknown): boolean {
  if (isAlias(node)) return true;
  if (isPair(node)) return holdsAlias(node.key) || holdsAlias(node.value);
  if (isMap(node) || isSeq(node)) return node.items.some((item) => holdsAlias(item));
  return false;
}
