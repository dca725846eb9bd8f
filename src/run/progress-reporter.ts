/**
 * @module run/progress-reporter
 * What a person sees while a run goes: on a TTY one line that updates in place (done/total, failures, errors,
 * requests, tokens, elapsed); elsewhere (CI logs) one plain line per finished model (its fails and errors, or that
 * nothing of it was observed) and a line every few seconds.
 * It counts only what ran: after Ctrl-C the last line says so, and a model cut short says how much of it ran.
 * The line in place is cut to the terminal's width, read at each draw (a resized terminal gets lines of its new
 * width): a wrapped line leaves a row behind at each redraw. A result redraws it at most every DRAW_EVERY_MS (the
 * timer redraws it 4 times a second besides): a redraw per result is thousands of writes a second in a replay, of
 * which a person reads none. A live run's line also says the tokens counted at an estimate for answers that reported no
 * usage (what --max-tokens-total counts them at) and the requests waiting on the --tpm window: a run held to one
 * request per model per minute, or whose cap counts tokens no answer reported, says so while it goes.
 */
import type { Cell } from '../cell-selection.ts';
import { CHECK_STATUSES, type CheckStatus } from '../checks/types.ts';
import { readOfUnobservedModels } from '../report/coverage.ts';
import { inertLine, modelIdLine } from '../report/inert-text.ts';
import { cellKey, pairKey, type Matrix } from '../report/matrix.ts';
import { unobservedPairs } from '../report/observed-models.ts';
import type { Figures } from '../transport/scheduler.ts';
import type { CellResult } from './cell-result.ts';
import { fitToColumns } from './terminal-width.ts';

export interface ProgressOptions {
  /** Write target. @default process.stderr */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Force plain lines even on a TTY. */
  plain?: boolean;
  /** Number of (target, model, check) results the run selected. */
  total: number;
  /** Requests and tokens sent so far (live: the scheduler's figures); default the sum of the sessions' usage. */
  figures?(): { requests: number; inputTokens: number; outputTokens: number } | undefined;
  /** Replay sends nothing: its count is of recorded exchanges, not requests. */
  replay?: boolean;
  /** Seconds between plain progress lines in CI. @default 10 */
  plainIntervalS?: number;
}

/** How the run ended, for the last line. */
export interface ProgressEnd {
  /** Ctrl-C: the last line says interrupted, never done. */
  interrupted?: boolean;
  /** Another reason the run stopped early (a rejected key). */
  stopped?: string;
}

/** The shortest time between two draws of the line in place on a result; the last counts are drawn at the end. */
export const DRAW_EVERY_MS = 100;

const emptyCounts = (): Record<CheckStatus, number> => Object.fromEntries(CHECK_STATUSES.map((s) => [s, 0])) as Record<CheckStatus, number>;

export class ProgressReporter {
  readonly #options: ProgressOptions;
  readonly #stream: NodeJS.WritableStream & { columns?: number };
  readonly #tty: boolean;
  #counts: Record<CheckStatus, number> = emptyCounts();
  #done = 0;
  #started = Date.now();
  #timer: NodeJS.Timeout | undefined;
  /** When the line in place was last drawn (ms), and whether results came in since. */
  #drawnAt = Number.NEGATIVE_INFINITY;
  #stale = false;
  #usage = new Map<string, { requests: number; inputTokens: number; outputTokens: number }>();
  /** The run's scheduler (live and record): estimated tokens and requests waiting on --tpm. */
  #scheduler: { readonly figures: Figures } | undefined;

  constructor(options: ProgressOptions) {
    this.#options = options;
    this.#stream = options.stream ?? process.stderr;
    this.#tty = Boolean(options.stream ? options.stream.isTTY : process.stderr.isTTY) && !options.plain;
  }

  start(scheduler?: { readonly figures: Figures }): void {
    this.#scheduler = scheduler;
    this.#started = Date.now();
    this.#done = 0;
    this.#counts = emptyCounts();
    this.#usage.clear();
    this.#drawnAt = Number.NEGATIVE_INFINITY;
    this.#stale = false;
    const interval = this.#tty ? 250 : (this.#options.plainIntervalS ?? 10) * 1000;
    this.#timer = setInterval(() => this.#render(), interval);
    this.#timer.unref();
  }

  result(cell: CellResult): void {
    this.#done += 1;
    this.#counts[cell.result.status] += 1;
    // A model's usage only grows; its results may come in another order than they finished (a replay thread hands
    // back a model's results in plan order), so the model's figure is the largest seen, not the last.
    const key = cellKey(cell.target, cell.model);
    const seen = this.#usage.get(key);
    const u = cell.usage;
    this.#usage.set(key, seen ? { requests: Math.max(seen.requests, u.requests), inputTokens: Math.max(seen.inputTokens, u.inputTokens), outputTokens: Math.max(seen.outputTokens, u.outputTokens) } : u);
    if (!this.#tty) return;
    if (Date.now() - this.#drawnAt >= DRAW_EVERY_MS) this.#render();
    else this.#stale = true;
  }

  /** A line of news (a target that stopped answering): on a TTY it goes above the line that updates in place. */
  notice(line: string): void {
    this.#stream.write(this.#tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
    if (this.#tty) this.#render();
  }

  /**
   * A model is done: in CI, one line for it. `selected` is how many of its checks the run meant to run; `pair`, its
   * matrix as the run's will judge it (run-matrix.ts pairMatrix), asked for only here: the line counts as the
   * summary's status line does, fails and errors apart, and a model the gate finds nothing of observed (a typo'd id,
   * a wrong --endpoint path) is said so, not counted: its cells' passes and fails are not the model's.
   */
  cellEnd(cell: Cell, results: readonly CellResult[], selected: number, pair?: () => Matrix): void {
    if (this.#tty) return;
    const matrix = pair?.();
    const unobserved = matrix !== undefined && unobservedPairs(matrix.gate).has(pairKey(cell.target, cell.model));
    const apart = matrix ? readOfUnobservedModels(matrix) : undefined;
    const statuses = matrix ? matrix.results.filter((r) => !r.notRun && !apart!.has(r)).map((r) => r.status) : results.map((r) => r.result.status);
    const count = (status: CheckStatus) => statuses.filter((s) => s === status).length;
    const ran = results.length === selected ? `${selected} checks` : `${results.length} of ${selected} checks ran (the run was stopped)`;
    // Flaky and inconclusive cells are neither passes nor failures: a line that named only failures would read as clean.
    const said = unobserved
      ? ['nothing of the model observed', ...(['error', 'flaky', 'inconclusive'] as const).filter((s) => count(s) > 0).map((s) => `${count(s)} ${s}`)]
      : [`${count('fail')} fail`, `${count('error')} error`, ...(['flaky', 'inconclusive'] as const).filter((s) => count(s) > 0).map((s) => `${count(s)} ${s}`)];
    // The id may be an endpoint's (`--models listed`): one the model-id rule refuses is inert as the summary's lines are.
    this.#stream.write(`  ${modelIdLine(cell.model)} (${inertLine(cell.target, 200)}): ${ran}, ${said.join(', ')}\n`);
  }

  end(how: ProgressEnd = {}): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    // The counts of the last results, which the throttle held back: the last line leaves them to the summary.
    if (this.#tty && this.#stale) this.#render();
    const label = how.interrupted ? 'interrupted' : how.stopped ? 'stopped' : 'done';
    this.#render(label);
  }

  #line(final?: string): string {
    const c = this.#counts;
    const figures = this.#options.figures?.() ?? this.#sumUsage();
    const elapsed = ((Date.now() - this.#started) / 1000).toFixed(1);
    const done = final && final !== 'done' ? `${this.#done}/${this.#options.total} checks ran` : `${this.#done}/${this.#options.total} checks`;
    const sent = this.#options.replay ? `${figures.requests} recorded exchanges` : `${figures.requests} requests`;
    const rare = (['flaky', 'inconclusive'] as const).filter((s) => c[s] > 0).map((s) => ` · ${c[s]} ${s}`).join('');
    // The last line leaves the counts to the summary that follows it: only the gate knows which cells observed
    // nothing of their model (a typo'd id answered by another model), and a count here would read them as passes.
    const counts = final ? '' : ` · ${c.pass} pass · ${c.fail} fail · ${c.error} error${rare} · ${c.unsupported} unsupported · ${c.skipped} skipped`;
    return `${done}${counts} · ${sent} · ${figures.inputTokens + figures.outputTokens} tokens${this.#budget(final)} · ${elapsed}s`;
  }

  /** The scheduler's news: tokens counted at an estimate, and (while the run goes) requests waiting on --tpm. */
  #budget(final?: string): string {
    const f = this.#scheduler?.figures;
    if (!f) return '';
    const estimated = f.estimatedRequests > 0 ? ` + ${f.estimatedTokens} estimated (${f.estimatedRequests} request(s) reported no usage)` : '';
    const waiting = !final && f.waitingOnTpm > 0 ? ` · ${f.waitingOnTpm} waiting on --tpm` : '';
    return `${estimated}${waiting}`;
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

  #render(final?: string): void {
    if (this.#tty) {
      this.#drawnAt = Date.now();
      this.#stale = false;
      const line = `${final && final !== 'done' ? `${final}: ` : ''}${this.#line(final)}`;
      // The last line ends the row and stays: whole, wrapped if it must be; the line in place is cut to one row.
      this.#stream.write(`\r\x1b[2K${final ? `${line}\n` : fitToColumns(line, this.#stream.columns)}`);
    } else this.#stream.write(`${final ? `${final}: ` : 'progress: '}${this.#line(final)}\n`);
  }
}
