#!/usr/bin/env node
/**
 * @module cli/bin
 * The `mantle-conformance` executable. Installed, it runs the bundle (`dist/cli/bin.js`, built by
 * `npm run build`); in a checkout, `npm run conformance` runs this file from source through tsx.
 */
import module from 'node:module';

// Node 22.1+ can keep V8's compiled code between runs (in the OS temp folder; NODE_DISABLE_COMPILE_CACHE=1 turns it
// off): most of a short command's start-up is compiling. Older Nodes do without. Enabled before anything loads.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
// A replay's peak memory is mostly garbage V8 has not collected yet (cli/heap-growth.ts).
const { limitHeapGrowth } = await import('./heap-growth.ts');
limitHeapGrowth();
// `mantle-conformance checks | head` closes the pipe early: that is not an error; a full disk under `> file` is.
const output = (await import('./output-errors.ts')).watchOutput();
const { main } = await import('./main.ts');
process.exitCode = output.exitCode(await main(process.argv.slice(2)));
// Interrupted: the partial matrix and the summary are written; what is still winding down (vitest's workers after
// a cancel) has nothing left to say.
if (process.exitCode === 130) process.exit(130);
// Through a proxy, undici may hold a socket it no longer tracks (a SOCKS5 proxy that never answered): the run is
// over and its exit code known, so a CI job gets it now rather than at its own timeout (transport/proxy-agents.ts).
const { endCommand } = await import('../transport/command-end.ts');
if (await endCommand()) {
  const code = process.exitCode;
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((flushed) => stream.write('', flushed))));
  process.exit(code);
}
