// What a build killed midway left (.ci/build.mjs's scratch bundle, .ci/cli.mjs's dist/ being built or replaced):
// folders named after the pid of the process that made them. Removed once that process has ended and the folder is
// a minute old: a pid now someone else's keeps it until that process ends too, and the age spares a live build whose
// pid this process cannot see (another pid namespace sharing the checkout). Nothing else is touched.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Whether process `pid` exists (EPERM: it does, and is someone else's). */
export function running(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Removes the folders of `parent` whose name `pattern` matches, its first group a pid, that a killed build left. */
export function removeLeftovers(parent, pattern) {
  for (const name of existsSync(parent) ? readdirSync(parent) : []) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!pid || pid === process.pid || running(pid)) continue;
    const folder = join(parent, name);
    if (statSync(folder, { throwIfNoEntry: false })?.mtimeMs < Date.now() - 60_000) rmSync(folder, { recursive: true, force: true });
  }
}
