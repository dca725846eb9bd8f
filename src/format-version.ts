/**
 * @module format-version
 * Whether a file was written by a newer mantle-conformance: its format is this version's kind of file
 * (`mantle-conformance.<kind>/N`) at a later N. Such a file is a good one this version cannot read, so the fix a
 * reader says is to upgrade, never to delete or rewrite it (read-matrix.ts for matrix.json, read-history.ts for a
 * history run file, fixture-schema.ts for a recording).
 */

/** The version part of a format (`mantle-conformance.matrix/4` -> `4`), as written. */
export function formatVersion(format: string): string {
  return format.slice(format.lastIndexOf('/') + 1);
}

/** The version N of `format` when it is `current`'s kind (`mantle-conformance.<kind>/M`) with N > M; else undefined. */
export function newerVersion(format: unknown, current: string): number | undefined {
  const kind = current.slice(0, current.lastIndexOf('/') + 1);
  if (typeof format !== 'string' || !format.startsWith(kind)) return undefined;
  const version = /^[1-9][0-9]{0,5}$/.exec(format.slice(kind.length))?.[0];
  return version !== undefined && Number(version) > Number(formatVersion(current)) ? Number(version) : undefined;
}
