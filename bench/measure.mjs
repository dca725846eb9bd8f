// Runs a CLI entry point as the main program and, when it exits, writes its CPU time and peak memory as JSON to
// the file named first: `node bench/measure.mjs <out.json> <entry> [args...]`. The bench runs every command through
// it, so the figures are the command's own process, start-up included.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [, , out, entry, ...args] = process.argv;
process.argv = [process.argv[0], resolve(entry), ...args];
process.on('exit', (code) => {
  const usage = process.resourceUsage();
  writeFileSync(out, JSON.stringify({ code, userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000, maxRssKb: usage.maxRSS }));
});
await import(pathToFileURL(resolve(entry)).href);
