/**
 * @module cli/printed-path
 * A path as a console line prints it: shown as messages show paths (shown-path.ts) and inert (inert-text.ts). A path
 * is the user's, or an artifact folder's name, and may hold a line break: raw, `x\n::error::...` in a folder name would
 * start a CI workflow command on the `wrote` line, while every error message already prints it inert. A user copies it
 * from the log to find the file: nothing else is changed, and a long path keeps its file name.
 */
import { shownPath } from '../shown-path.ts';
import { inertPath } from '../report/inert-text.ts';

/** One path, inert (inertPath: still the path to copy, its `::` and file name kept). */
export const printedPath = (path: string): string => inertPath(shownPath(path));

/** Paths written (`wrote a, b`), each inert. */
export const printedPaths = (paths: readonly string[]): string => paths.map(printedPath).join(', ');
