/**
 * The refusal of a report folder holding a report's name that mantle-conformance did not write reads as English for
 * every kind of thing found there ("... is not a regular file that is not a report ..." was said of a FIFO, a
 * folder, a device). Every node is made inside the test's own temp folder (a device only when run as root).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refuseForeignReports } from '../src/cli/report-dir-guard.ts';

let dir: string;
let server: Server | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-foreign-wording-'));
});
afterAll(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await rm(dir, { recursive: true, force: true });
});

/** The message refuseForeignReports gives for a folder whose junit.xml `make` makes. */
async function refusal(name: string, make: (file: string) => Promise<unknown>): Promise<string> {
  const folder = join(dir, name);
  await mkdir(folder);
  await make(join(folder, 'junit.xml'));
  const error = await refuseForeignReports(folder, 'merge').then(() => undefined, (e: Error) => e);
  expect(error, name).toBeDefined();
  return error!.message;
}

const said = (name: string, what: string) => `--report-dir ${join(dir, name)}: ${join(dir, name, 'junit.xml')} is ${what} that is not a report mantle-conformance wrote, and merge would replace it with its junit.xml; move it elsewhere`;

describe('each kind of thing in the way is named as a noun', () => {
  it('a file, a symbolic link, a folder, a FIFO, a socket', async () => {
    expect(await refusal('file', (f) => writeFile(f, '<testsuites/>'))).toContain(said('file', 'a file'));
    expect(await refusal('link', (f) => symlink('elsewhere.xml', f))).toContain(said('link', 'a symbolic link'));
    expect(await refusal('folder', (f) => mkdir(f))).toContain(said('folder', 'a folder'));
    expect(await refusal('fifo', (f) => promisify(execFile)('mkfifo', [f]))).toContain(said('fifo', 'a FIFO'));
    const socket = await refusal('socket', (f) => new Promise<void>((resolve) => (server = createServer()).listen(f, resolve)));
    expect(socket).toContain(said('socket', 'a socket'));
  });

  it.skipIf(process.getuid?.() !== 0)('a device (made in the temp folder)', async () => {
    expect(await refusal('device', (f) => promisify(execFile)('mknod', ['-m', '666', f, 'c', '1', '3']))).toContain(said('device', 'a device'));
  });
});
