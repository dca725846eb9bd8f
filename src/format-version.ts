/**
 * @module format-version
 * Whether a file was written by a newer mantle-conformance: its format is this version's kind of file
 * (`mantle-conformance.<kind>/N`) at a later N. Such a file is a good one this version cannot read, so the fix a
 * reader says is to upgrade, never to delete or rewrite it (read-matrix.ts for matrix.json, read-history.ts for a
 * history run file, fixture-schema.ts for a recording).
 */

/** The version N of `format` when it is `current`'s kind (`mantle-conformance.<kind>/M`) with N > M; else undefined. */
export function newerVersion(format: unknown, current: string): number | undefined {
  const cut = current.lastIndexOf('/');
  if (typeof format !== 'string' || !format.startsWith(current.slice(0, cut + 1))) return undefined;
  const version = /^[1-9][0-9]{0,5}$/.exec(format.slice(cut + 1))?.[0];
  return version !== undefined && Number(version) > Number(current.slice(cut + 1)) ? Number(version) : undefined;
}
