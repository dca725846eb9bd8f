/**
 * @module run/progress-reporter
 * What a person sees while a run goes: on a TTY one line that updates in place (done/total, failures, errors,
 * requests, tokens, elapsed); elsewhere (CI logs) one plain line per finished model and a line every few seconds.
 */
import type { Reporter, TestCase, TestModule, TestSpecification } from 'vitest/node';
import { CHECK_STATUSES, type CheckStatus } from '../checks/types.ts';

export interface ProgressOptions {
  /** Write target. @default process.stderr */
  stream?: NodeJS.WriteStream;
  /** Force plain lines even on a TTY. */
  plain?: boolean;
  /** Total number of (target, model, check) cells planned. */
  total: number;
  /** Extra figures (requests, tokens) from the coordinator, if there is one. */
  figures?(): { requests: number; inputTokens: number; outputTokens: number } | undefined;
  /** Seconds between plain progress lines in CI. @default 10 */
  plainIntervalS?: number;
}

const emptyCounts = (): Record<CheckStatus, number> => Object.fromEntries(CHECK_STATUSES.map((s) => [s, 0])) as Record<CheckStatus, number>;

export class ProgressReporter implements Reporter {
  readonly #options: ProgressOptions;
  readonly #stream: NodeJS.WriteStream;
  readonly #tty: boolean;
  #counts: Record<CheckStatus, number> = emptyCounts();
  #done = 0;
  #started = Date.now();
  #timer: NodeJS.Timeout | undefined;
  #usage = new Map<string, { requests: number; inputTokens: number; outputTokens: number }>();

  constructor(options: ProgressOptions) {
    this.#options = options;
    this.#stream = options.stream ?? process.stderr;
    this.#tty = Boolean(this.#stream.isTTY) && !options.plain;
  }

  onTestRunStart(_specs: ReadonlyArray<TestSpecification>): void {
    this.#started = Date.now();
    this.#done = 0;
    this.#counts = emptyCounts();
    const interval = this.#tty ? 250 : (this.#options.plainIntervalS ?? 10) * 1000;
    this.#timer = setInterval(() => this.#render(), interval);
    this.#timer.unref();
  }

  onTestCaseResult(testCase: TestCase): void {
    const meta = testCase.meta().mantle;
    if (!meta) return;
    this.#done += 1;
    this.#counts[meta.result.status] += 1;
    this.#usage.set(`${meta.target}/${meta.model}`, meta.usage);
    if (this.#tty) this.#render();
  }

  onTestModuleEnd(testModule: TestModule): void {
    if (this.#tty) return;
    const metas = [...testModule.children.allTests()].map((t) => t.meta().mantle).filter((m) => m !== undefined);
    const first = metas[0];
    if (!first) return;
    const bad = metas.filter((m) => m.result.status === 'fail' || m.result.status === 'error').length;
    this.#stream.write(`  ${first.model} (${first.target}): ${metas.length} checks, ${bad} fail/error\n`);
  }

  onTestRunEnd(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#render(true);
  }

  #line(): string {
    const c = this.#counts;
    const figures = this.#options.figures?.() ?? this.#sumUsage();
    const elapsed = ((Date.now() - this.#started) / 1000).toFixed(1);
    return `${this.#done}/${this.#options.total} checks · ${c.pass} pass · ${c.fail} fail · ${c.error} error · ${c.unsupported} unsupported · ${c.skipped} skipped · ${figures.requests} requests · ${figures.inputTokens + figures.outputTokens} tokens · ${elapsed}s`;
  }

  #sumUsage() {
    let requests = 0;
    let inputTokens = 0;
    let outputTokens = 0;
    for (const u of this.#usage.values()) {
      requests += u.requests;
      inputTokens += u.inputTokens;
      outputTokens += u.outputTokens;
    }
    return { requests, inputTokens, outputTokens };
  }

  #render(final = false): void {
    if (this.#tty) this.#stream.write(`\r\x1b[2K${this.#line()}${final ? '\n' : ''}`);
    else this.#stream.write(`${final ? 'done: ' : 'progress: '}${this.#line()}\n`);
  }
}
