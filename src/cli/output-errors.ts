/**
 * @module cli/output-errors
 * What a command does when its own output cannot be written. A pipe closed early (`checks | head`) is no error: the
 * reader has what it wanted. It does not end the command either: a `run` piped to `head -1` still writes its reports
 * and computes its gate, and its exit code is the gate's, not a 0 taken before the gate was known. Anything else on standard output (a full disk under `> file`, EIO, a descriptor
 * that is not writable) lost what tooling reads (`checks --format json > checks.json`), so the command says so on
 * stderr and does not end 0 or 1: a CI step must not go on with a file that was never written.
 */
import { isDiskFull, WRITE_PROBLEMS } from '../errors.ts';
import { EXIT } from './project.ts';

/** The one line said on stderr when standard output failed with `error`: which failure, and the fix. */
export function outputFailureLine(error: NodeJS.ErrnoException): string {
  const code = error.code ?? error.name;
  if (isDiskFull(code)) {
    return `HARNESS_DISK_FULL: cannot write the command's output to standard output: no space left on the device (${code}); free some space, or send the output elsewhere, and run again`;
  }
  // In words where the file system's code has them (as a file's write failure says it); else Node's message, which
  // starts with the code already ("EIO: i/o error, write").
  const words = Object.hasOwn(WRITE_PROBLEMS, code) ? WRITE_PROBLEMS[code] : undefined;
  const said = words ? `${code}: ${words}` : error.message.startsWith(`${code}: `) ? error.message : `${code}: ${error.message}`;
  return `HARNESS_WRITE_FAILED: cannot write the command's output to standard output (${said}); check where standard output goes (a file, a device, a descriptor open for reading only), and run again`;
}

/**
 * Watches the process's standard output and error. A closed pipe is taken as a reader that has what it wanted: the
 * stream is left closed (Node drops later writes to it) and the command goes on to its own exit code; another failure of standard output is said once on stderr, and `exitCode` turns the command's 0 or 1 into 2
 * (HARNESS_DISK_FULL and HARNESS_WRITE_FAILED end a command with 2 wherever they arise).
 */
export function watchOutput(out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): { exitCode(code: number): number } {
  let lost = false;
  for (const stream of [out, err]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      // Ending here would end a run before its reports and its gate exist, with a 0 its gate may contradict.
      if (error.code === 'EPIPE') return;
      // stderr that cannot be written has no one to tell; its failure costs the run nothing it reports elsewhere.
      if (stream === err || lost) return;
      lost = true;
      err.write(`${outputFailureLine(error)}\n`);
      // A failure reported after the command returned (an asynchronous write) still ends it with 2.
      if (typeof process.exitCode === 'number' && process.exitCode < EXIT.usage) process.exitCode = EXIT.usage;
    });
  }
  return { exitCode: (code) => (lost && code < EXIT.usage ? EXIT.usage : code) };
}
