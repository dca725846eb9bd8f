// Preloaded into a CLI process by test/signal-while-writing.test.ts: when the run first renames a report into place
// (the reports are being written), or appends the job summary when SIGNAL_ON_SUMMARY is set (the run is finishing),
// the process sends itself the signal named by SIGNAL_ON_REPORT, and the write goes on 500 ms later, so the signal
// lands while it is under way.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

// SIGNAL_ON_SUMMARY=both signals at both moments: the second signal must quit at once.
const signal = process.env.SIGNAL_ON_REPORT;
const onSummary = process.env.SIGNAL_ON_SUMMARY === '1' || process.env.SIGNAL_ON_SUMMARY === 'both';
const onReport = process.env.SIGNAL_ON_SUMMARY !== '1';
const sent = new Set();
const later = async (moment, write, at, ...rest) => {
  if (signal && !sent.has(moment)) {
    sent.add(moment);
    process.kill(process.pid, signal);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return write(at, ...rest);
};
const { rename, appendFile } = fs.promises;
fs.promises.rename = (from, to) => (onReport && /matrix\.(json|md|html)$|junit\.xml$/.test(String(to)) ? later('report', rename, from, to) : rename(from, to));
fs.promises.appendFile = (file, ...rest) => (onSummary && String(file) === process.env.GITHUB_STEP_SUMMARY ? later('summary', appendFile, file, ...rest) : appendFile(file, ...rest));
syncBuiltinESMExports();
