/**
 * @module suite/bundled-yaml
 * The bundled suites, catalog and expectations file come parsed with the package (.ci/build.mjs writes
 * dist/suite/parsed-yaml.cjs): a file whose text is one of theirs, byte for byte, is read from that parse instead
 * of being parsed again at every start (cold, yaml's parser was a fifth of a one-model replay). A parse depends on
 * the text alone, so a copy of a bundled file anywhere is found too; any other text is parsed as always. From
 * source there is no bundled parse: what it was made from may be newer.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { builtExports } from '../package-root.ts';
import type { PositionNode } from './yaml-positions.ts';

/** What a YamlSource is made of: the data, where each value starts, and where each line starts. */
export interface ParsedYaml {
  data: unknown;
  positions: PositionNode | null;
  lineStarts: number[];
}

/** The key of a text's parse: its SHA-256. */
export function textKey(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A parse as the package stores it (JSON), or undefined when JSON cannot hold it exactly (`.inf`, `-0`). */
export function storedParse(parsed: ParsedYaml): string | undefined {
  const json = JSON.stringify(parsed);
  return isDeepStrictEqual(JSON.parse(json), parsed) ? json : undefined;
}

let stored: Record<string, string | undefined> | undefined | null = null;

/** The package's parse of `text`, a fresh copy every time; undefined when the package has none for it. */
export function bundledParse(text: string): ParsedYaml | undefined {
  if (stored === null) stored = builtExports<string>(import.meta.url, 'dist/suite/parsed-yaml.cjs');
  const entry = stored?.[textKey(text)];
  return entry === undefined ? undefined : (JSON.parse(entry) as ParsedYaml);
}
