#!/usr/bin/env node
// The published entry point. The harness is TypeScript run as is (Node 20 cannot strip types), via tsx.
import { register } from 'tsx/esm/api';

register();
// `mantle-conformance checks | head` closes the pipe early: that is not an error.
for (const stream of [process.stdout, process.stderr]) stream.on('error', (error) => (error.code === 'EPIPE' ? process.exit(process.exitCode ?? 0) : undefined));
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
