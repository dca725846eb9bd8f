// Preloaded into a CLI process by test/bless-signal.test.ts: once a temp file beside the file named by
// SIGNAL_TEMP_OF is written (before it is renamed into place), the process sends itself SIGNAL_ON_TEMP, and the
// write returns 500 ms later, so the signal lands while the temp file is there, as a Ctrl-C mid-write does.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const signal = process.env.SIGNAL_ON_TEMP;
const of = process.env.SIGNAL_TEMP_OF;
const { writeFile } = fs.promises;
fs.promises.writeFile = async (file, ...rest) => {
  const done = await writeFile(file, ...rest);
  if (signal && String(file).startsWith(`${of}.`) && String(file).endsWith('.tmp')) {
    process.kill(process.pid, signal);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return done;
};
syncBuiltinESMExports();
