/**
 * @module suite/bundled-yaml
 * The bundled suites, catalog and expectations file come parsed with the package (.ci/build.mjs writes
 * dist/suite/parsed-yaml.cjs): a file whose text is one of theirs, byte for byte, is read from that parse instead
 * of being parsed again at every start (cold, yaml's parser was a fifth of a one-model replay). A parse depends on
 * the text alone, so a copy of a bundled file anywhere is found too; any other text is parsed as always. From
 * source there is no bundled parse: what it was made from may be newer. For the same reason a parse made in this
 * process is kept for the next read of the same text (a process that runs many times reads the suites each time).
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

/** Parses made in this process, by textKey, as the package stores them; the most recent REMEMBERED. */
const made = new Map<string, string>();
const REMEMBERED = 32;

/** The package's parse of the text whose key is `key`, or one this process made of it: a fresh copy every time. */
export function knownParse(key: string): ParsedYaml | undefined {
  if (stored === null) stored = builtExports<string>(import.meta.url, 'dist/suite/parsed-yaml.cjs');
  const entry = stored?.[key] ?? made.get(key);
  return entry === undefined ? undefined : (JSON.parse(entry) as ParsedYaml);
}

/** Keeps a parse this process made of the text whose key is `key`, when JSON holds it exactly. */
export function rememberParse(key: string, parsed: ParsedYaml): void {
  const json = storedParse(parsed);
  if (json === undefined) return;
  made.delete(key);
  made.set(key, json);
  if (made.size > REMEMBERED) made.delete(made.keys().next().value!);
}
