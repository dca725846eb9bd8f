#!/usr/bin/env node
// The published entry point. The harness is TypeScript run as is (Node 20 cannot strip types), via tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
