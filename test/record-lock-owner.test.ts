/**
 * The record lock and the `fixtures` run mark, second round: a lock or folder is taken over or removed only when the
 * run that made it is surely gone (this host, this pid namespace and boot, its pid not running or running another
 * process); a run ends by removing its own lock only; the user's mistakes around the lock (a file or a link where the
 * target folder goes, a folder it cannot write) are exit 2 naming them; a FIFO at the lock or mark path never waits;
 * and neither the lock nor the mark reaches git or the package.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markGone, thisPidSpace, type PidMark, whyNotGone } from '../src/pid-mark.ts';
import { lockRecordTarget, releaseRecordLocks } from '../src/transport/record-lock.ts';
import { catalogEmulator, cli, ROOT } from './helpers/harness.ts';

const MODEL = 'xai.grok-4.3';
const PROC = existsSync('/proc/self/ns/pid');

let dir: string;
let emulator: Awaited<ReturnType<typeof catalogEmulator>>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-fxr-lock-'));
  emulator = await catalogEmulator();
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const record = (fixtures: string, ...extra: string[]) =>
  cli(['run', '--mode', 'record', '--auth', 'none', '--endpoint', emulator.url, '--target-name', 't', '--models', MODEL, '--checks', 'path-prefix', '--fixtures', fixtures, '--report-dir', join(fixtures, '..', 'reports'), '--quiet', ...extra]);

/** A pid no process has: a child's that ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;
/** Field 22 of /proc/<pid>/stat: when the process started. */
const startOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
};
const mark = (pid: number, more: Partial<PidMark> = {}): PidMark => ({ pid, host: hostname(), startedAt: '2026-12-06T10:00:00.000Z', ...thisPidSpace(), ...more });

describe.skipIf(!PROC)('whether the run of a mark is surely gone', () => {
  it('gone: this host, namespace and boot, and its pid not running, or running a process started at another time', () => {
    expect(markGone(mark(deadPid()))).toBe(true);
    expect(markGone(mark(process.ppid, { processStart: '1' }))).toBe(true);
  });

  it('not gone: a running process of that start, another namespace, another boot, a mark that does not say them, another host', () => {
    expect(markGone(mark(process.ppid, { processStart: startOf(process.ppid) }))).toBe(false);
    expect(markGone(mark(process.ppid))).toBe(false);
    const dead = deadPid();
    expect(markGone(mark(dead, { pidNamespace: thisPidSpace().pidNamespace! + 1 }))).toBe(false);
    expect(markGone(mark(dead, { bootId: 'another-boot' }))).toBe(false);
    expect(markGone({ pid: dead, host: hostname(), startedAt: '2026-12-06T10:00:00.000Z' })).toBe(false);
    expect(markGone(mark(dead, { host: `${hostname()}-other` }))).toBe(false);
  });

  it('says why it could not tell: another host, an earlier version, another container or boot, a running process', () => {
    const dead = deadPid();
    expect(whyNotGone(mark(dead, { host: `${hostname()}-other` }))).toBe("it is another host's");
    expect(whyNotGone({ pid: dead, host: hostname(), startedAt: '2026-12-06T10:00:00.000Z' })).toContain('an earlier version wrote it');
    expect(whyNotGone(mark(dead, { bootId: 'another-boot' }))).toContain("another container's or from before this machine restarted");
    expect(whyNotGone(mark(process.ppid))).toBe('its process is running');
  });

  it('a lock of a dead pid in another pid namespace (a container with this hostname) is refused, not taken over', async () => {
    const fixtures = join(dir, 'ns', 'fx');
    await mkdir(join(fixtures, 't'), { recursive: true });
    const lock = join(fixtures, 't', '.record-lock');
    const text = `${JSON.stringify(mark(deadPid(), { pidNamespace: thisPidSpace().pidNamespace! + 1 }))}\n`;
    await writeFile(lock, text);
    const run = await record(fixtures);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('HARNESS_USAGE: --fixtures: another record run (pid');
    expect(run.stderr).toContain("it is another container's or from before this machine restarted: whether its process still runs cannot be told)");
    expect(run.stderr).toContain('if no such run is going, remove the lock');
    expect(await readFile(lock, 'utf8')).toBe(text);
    expect(await readdir(join(fixtures, 't'))).toEqual(['.record-lock']);
  }, 60_000);

  it('a lock whose pid now runs another process (reused) is taken over with the warning', async () => {
    const fixtures = join(dir, 'reused', 'fx');
    await mkdir(join(fixtures, 't'), { recursive: true });
    await writeFile(join(fixtures, 't', '.record-lock'), `${JSON.stringify(mark(process.ppid, { processStart: '1' }))}\n`);
    const run = await record(fixtures);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`warning: --fixtures: took over ${join(fixtures, 't', '.record-lock')}, left by a record run that is gone (pid ${process.ppid}`);
    expect(await readdir(join(fixtures, 't'))).toEqual([MODEL]);
  }, 60_000);

  it('a run ends by removing its own lock only: one another run took over stays', async () => {
    const fixtures = join(dir, 'release', 'fx');
    await mkdir(fixtures, { recursive: true });
    const owner = {};
    await lockRecordTarget(fixtures, 't', owner, () => undefined);
    const lock = join(fixtures, 't', '.record-lock');
    const other = `${JSON.stringify(mark(process.ppid))}\n`;
    await writeFile(lock, other);
    releaseRecordLocks(owner);
    expect(await readFile(lock, 'utf8')).toBe(other);
    await rm(lock);
    // Its own is removed.
    await lockRecordTarget(fixtures, 't', owner, () => undefined);
    releaseRecordLocks(owner);
    expect(await readdir(join(fixtures, 't'))).toEqual([]);
  });
});

describe('mistakes around the lock are the user\'s: exit 2, named, nothing written through a link', () => {
  it('a file where the target folder goes', async () => {
    const fixtures = join(dir, 'file', 'fx');
    await mkdir(fixtures, { recursive: true });
    await writeFile(join(fixtures, 't'), 'notes\n');
    const run = await record(fixtures);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`HARNESS_USAGE: --fixtures: ${join(fixtures, 't')} is not a folder`);
    expect(run.stderr).not.toContain('This is a bug');
    expect(await readFile(join(fixtures, 't'), 'utf8')).toBe('notes\n');
  }, 60_000);

  it('a linked target folder, with no cell of this run (a shard): refused, no lock written where it points', async () => {
    const fixtures = join(dir, 'linked', 'fx');
    const outside = join(dir, 'linked', 'outside');
    await mkdir(fixtures, { recursive: true });
    await mkdir(outside);
    await symlink(outside, join(fixtures, 't'));
    await symlink(join(dir, 'linked', 'nowhere'), join(fixtures, 'u'));
    for (const target of ['t', 'u']) {
      const run = await cli(['run', '--mode', 'record', '--auth', 'none', '--endpoint', emulator.url, '--target-name', target, '--models', MODEL, '--checks', 'path-prefix', '--fixtures', fixtures, '--report-dir', join(dir, 'linked', `reports-${target}`), '--quiet', '--shard', '2/2']);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`HARNESS_USAGE: --fixtures: ${join(fixtures, target)} is a symbolic link; a record run writes only inside the fixtures folder`);
    }
    expect(await readdir(outside)).toEqual([]);
    expect(existsSync(join(dir, 'linked', 'nowhere'))).toBe(false);
  }, 60_000);

  it('a fixtures folder the lock cannot be made in', async () => {
    const file = join(dir, 'notdir');
    await writeFile(file, 'x');
    const owner = {};
    const error = await lockRecordTarget(join(file, 'fx'), 't', owner, () => undefined).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HARNESS_USAGE' });
    expect((error as Error).message).toContain(`cannot make the record lock ${join(file, 'fx', 't', '.record-lock')} (ENOTDIR); give a fixtures folder you can write to`);
  });

  it.skipIf(process.getuid?.() === 0 || process.platform === 'win32')('a fixtures folder it cannot write', async () => {
    const fixtures = join(dir, 'readonly');
    await mkdir(fixtures, { mode: 0o555 });
    const run = await record(fixtures);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('(EACCES); give a fixtures folder you can write to');
  }, 60_000);
});

describe.skipIf(process.platform === 'win32')('a FIFO at the lock or the mark never waits', () => {
  it('at the lock: refused (a lock that cannot be read), at once', async () => {
    const fixtures = join(dir, 'fifo', 'fx');
    await mkdir(join(fixtures, 't'), { recursive: true });
    spawnSync('mkfifo', [join(fixtures, 't', '.record-lock')]);
    const run = await record(fixtures);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('a record run whose lock cannot be read is recording into');
  }, 30_000);

  it('at the mark of a recording folder: prune names the folder as unmarked, at once', async () => {
    const root = join(dir, 'fifo-mark');
    await mkdir(join(root, '.emulator-recording-abc123'), { recursive: true });
    spawnSync('mkfifo', [join(root, '.emulator-recording-abc123', '.fixtures-run')]);
    const pruned = await cli(['fixtures', 'prune', '--fixtures', root, '--dry-run']);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toMatch(/kept .*\.emulator-recording-abc123: the folder a fixtures run records into, which holds no mark/);
  }, 30_000);
});

describe('the lock and the mark are no part of the project', () => {
  // A checkout only (a package has no .git).
  it.skipIf(!existsSync(join(ROOT, '.git')))('git ignores a record run\'s lock in a target folder, and a fixtures run\'s mark', () => {
    for (const file of ['fixtures/emulator/.record-lock', 'fixtures/.emulator-recording-abc123/.fixtures-run']) {
      expect(spawnSync('git', ['-C', ROOT, 'check-ignore', '-q', file]).status, file).toBe(0);
    }
  });

  it('npm pack leaves them out', async () => {
    const pack = join(dir, 'pack');
    await mkdir(join(pack, 'fixtures', 'emulator', 'm'), { recursive: true });
    await mkdir(join(pack, 'fixtures', '.emulator-recording-abc123'));
    const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(pack, 'package.json'), JSON.stringify({ name: 'mantle-pack-probe', version: '1.0.0', files: manifest.files }));
    await writeFile(join(pack, 'fixtures', 'emulator', 'm', 'a.json'), '{}');
    await writeFile(join(pack, 'fixtures', 'emulator', '.record-lock'), '{}');
    await writeFile(join(pack, 'fixtures', '.emulator-recording-abc123', '.fixtures-run'), '{}');
    const listed = await new Promise<string>((resolve, reject) =>
      execFile('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--offline'], { cwd: pack }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    const files = (JSON.parse(listed) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path).sort();
    expect(files).toEqual(['fixtures/emulator/m/a.json', 'package.json']);
  }, 60_000);
});
