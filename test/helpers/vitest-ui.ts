/**
 * A `run --ui` session as a child process, and how a test drives its vitest UI: the UI's re-run call (the re-run
 * button) sent over vitest's websocket, a wait until the UI answers, a free port for it.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { cliEnv, packageBin, ROOT } from './harness.ts';

/**
 * A `run` child (or `wrap`: the command line another program runs it with): its output so far, a wait for a pattern
 * (its nth time, within 90 s), its exit code.
 */
export function uiSession(args: string[], env: NodeJS.ProcessEnv, wrap?: (command: string) => [string, string[]]) {
  const argv = [process.execPath, packageBin(), 'run', ...args];
  const [file, rest] = wrap ? wrap(argv.map((a) => `'${a}'`).join(' ')) : [argv[0]!, argv.slice(1)];
  const child = spawn(file, rest, { cwd: ROOT, env: cliEnv({ BROWSER: 'none', ...env }) });
  let output = '';
  child.stdout.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr.on('data', (data: Buffer) => (output += data.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const said = (pattern: RegExp, times = 1) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const global = new RegExp(pattern.source, 'g');
      const look = () => {
        if ((output.match(global) ?? []).length >= times) return resolve();
        if (Date.now() - started > 90_000) return reject(new Error(`not said ${times} time(s) in 90 s: ${pattern}: ${output}`));
        setTimeout(look, 50);
      };
      look();
    });
  return { child, output: () => output, said, exited };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Sends the UI's re-run call (the re-run button) for `files` over vitest's websocket, in a child (Node 20 needs a flag for WebSocket). */
export async function uiRerun(port: number, files: string[]): Promise<void> {
  const script = `
    import { createRequire } from 'node:module';
    const { stringify } = createRequire(${JSON.stringify(join(ROOT, 'package.json'))})('flatted');
    const html = await (await fetch('http://127.0.0.1:${port}/__vitest__/')).text();
    const token = html.match(/VITEST_API_TOKEN = "([^"]+)"/)[1];
    const ws = new WebSocket('ws://127.0.0.1:${port}/__vitest_api__?token=' + token);
    ws.onopen = () => { ws.send(stringify({ m: 'rerun', a: [${JSON.stringify(files)}, false], t: 'q', i: 'r1' })); setTimeout(() => process.exit(0), 300); };`;
  const flags = Number(process.versions.node.split('.')[0]) < 22 ? ['--experimental-websocket'] : [];
  const child = spawn(process.execPath, [...flags, '--input-type=module', '-e', script], { stdio: 'inherit' });
  await new Promise((resolve) => child.on('exit', resolve));
}

/** Waits until the vitest UI on `port` answers (it listens before the first run starts). */
export async function uiAnswers(port: number): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 60_000; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const ok = await fetch(`http://127.0.0.1:${port}/__vitest__/`).then((r) => r.ok, () => false);
    if (ok) return;
  }
  throw new Error(`the vitest UI on ${port} did not answer in 60 s`);
}
