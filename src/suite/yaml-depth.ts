/**
 * @module suite/yaml-depth
 * How deep a YAML text nests its lists and mappings, measured before anything recurses over it. yaml composes a
 * document recursively: a few thousand nested `[` overflow the call stack (reported as "Maximum call stack size
 * exceeded", which reads like a harness crash), and a hundred thousand exhaust memory and abort the process.
 * yaml's own parser keeps its open collections on an explicit stack, so it is fed one token at a time here and
 * stopped at the first collection past the limit: the check costs one pass, and less on a file it refuses.
 */
import { Lexer, Parser } from 'yaml';

/**
 * The deepest a catalog, suite or expectations file may nest lists and mappings. The bundled files nest at most
 * 13 deep (tools.suite.yaml: a tool's parameter schema inside a step's request body); 64 leaves room for any
 * hand-written body or schema and stays far below the depth (about a thousand) at which yaml, the schema validator
 * or the walks over the data run out of stack.
 */
export const MAX_YAML_DEPTH = 64;

const COLLECTIONS: ReadonlySet<string> = new Set(['block-map', 'block-seq', 'flow-collection']);

/**
 * The offset of the first list or mapping in `text` nested deeper than `limit` (the outermost counts as 1), or
 * undefined when none is; `onNewLine` is told where each line starts, up to there (a LineCounter's addNewLine).
 * Text yaml cannot parse is left to the parse that follows, which says what is wrong.
 */
export function overDepthOffset(text: string, onNewLine?: (offset: number) => void, limit = MAX_YAML_DEPTH): number | undefined {
  const parser = new Parser(onNewLine);
  // As Parser.parse does: the first line starts at 0, and next() reports the others.
  onNewLine?.(0);
  for (const lexeme of new Lexer().lex(text)) {
    // The tokens a finished document yields are not needed: only the stack of what is still open is.
    for (const _token of parser.next(lexeme)) continue;
    let depth = 0;
    for (const open of parser.stack) {
      if (COLLECTIONS.has(open.type) && ++depth > limit) return open.offset;
    }
  }
  return undefined;
}
