#!/usr/bin/env node
/**
 * @module cli/bin
 * The `mantle-conformance` executable. Installed, it runs compiled JavaScript (`dist/cli/bin.js`, built by
 * `npm run build`); in a checkout, `npm run conformance` runs this file from source through tsx.
 */
import { main } from './main.ts';

// `mantle-conformance checks | head` closes the pipe early: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' ? process.exit(process.exitCode ?? 0) : undefined));
}
process.exitCode = await main(process.argv.slice(2));
