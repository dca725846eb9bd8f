/**
 * @module shown-path
 * A path as a message shows it: relative to the working folder when it is inside it (short, and what a user can
 * type), else absolute. A relative form that climbs out (`../../../tmp/x`) is harder to read than the path itself,
 * and one relative to another folder (the package's) does not exist from here at all.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';

export function shownPath(path: string, cwd: string = process.cwd()): string {
  const absolute = resolve(cwd, path);
  const rel = relative(cwd, absolute);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? absolute : rel;
}

/** Whether `path` is `dir` or lies below it (a child folder named `..x` is below it; `..` and `../x` are not). */
export function isWithin(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
