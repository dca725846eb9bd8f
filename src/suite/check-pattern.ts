/**
 * @module suite/check-pattern
 * What `--checks` names: a check id, or a prefix ending in `*` (`api.*`). The plan selects checks with it; compare
 * reads a run's selection with it, so that a check a run did not ask for is not reported as gone.
 */

/** Whether `pattern` (an id, or a prefix ending in `*`) selects the check `id`. */
export function selectsCheck(pattern: string, id: string): boolean {
  return pattern.endsWith('*') ? id.startsWith(pattern.slice(0, -1)) : pattern === id;
}
