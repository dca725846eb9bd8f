/**
 * @module transport/replay-target
 * Answers requests from fixture files. Requests are matched on method, path and body, within the trial being run
 * (a fixture recorded before trials answers every trial from its one recording) and the step asking: two steps may
 * send the same request (a GET before and after a DELETE), and one step's answer judged as another's is a verdict
 * nobody observed. Repeated identical requests (polling) get the recorded answers in order; one asked more often
 * than it was recorded (an older harness polled less) has no answer. A request with no recording, or a fixture
 * that is not one, becomes an `error` exchange naming the model, case, request or file and the fix: never a throw,
 * so a broken file can never make its cells look filtered out.
 */
import { emptyStreamError, isEmptyStream } from './empty-stream.ts';
import { shownPath } from '../shown-path.ts';
import { readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { HarnessError } from '../errors.ts';
import { describeRequest, type Exchange, type ExchangeError, type ExchangeRequest } from './exchange.ts';
import { fixturePath, readFixture, trialsIn, type FixtureFile } from './fixture-file.ts';
import { otherRecording, type RecordedFor } from './recorded-surface.ts';
import { Redactor } from './redactor.ts';
import { ReplayQueues } from './replay-queues.ts';
import { cutShort } from './stand-in-answer.ts';
import type { SendContext, Target } from './target.ts';
import type { Surface } from '../surfaces.ts';

interface LoadedFixture {
  file: string;
  fixture: FixtureFile | null;
  /** Why the file cannot be used: it exists but is not a fixture (or not this one), or it lost a trial it was recorded with. */
  invalid?: ExchangeError;
  /** Per trial and step asked for, the recorded answers by request. */
  trials: Map<string, ReplayQueues>;
}

/** Recorded requests were redacted when they were sent; the ones built now are keyed the same way. */
const shapes = new Redactor();

export class ReplayTarget implements Target {
  readonly id: string;
  readonly mode = 'replay' as const;
  /** The surface the recordings were made on (target-options.ts reads it from them): a refusal is read as it was live. */
  readonly surface: Surface | undefined;
  readonly #root: string;
  /** Each model's fixtures read so far, by case: parsed once, forgotten when the model is done. */
  readonly #loaded = new Map<string, Map<string, Promise<LoadedFixture>>>();
  /**
   * Each model's fixture folder as listed when its first fixture was asked for (null when it could not be listed):
   * a file listed there is read at once, any other name is looked for (a stat) before it is read; without a
   * listing every file is read, and the read says why it failed (no folder, a file in its place, no access).
   */
  readonly #listed = new Map<string, ReadonlySet<string> | null>();
  #anyModel: boolean | undefined;
  /** The site (and target) the folder's recordings agree on, when known: a fixture of another site is not this one's. */
  readonly #recordedFor: RecordedFor | undefined;

  constructor(id: string, fixturesDir: string, surface?: Surface, recordedFor?: RecordedFor) {
    this.id = id;
    this.#root = fixturesDir;
    this.surface = surface;
    this.#recordedFor = recordedFor;
  }

  async send(request: ExchangeRequest, context: SendContext): Promise<Exchange> {
    const loaded = await this.#load(context.model, context.caseId);
    if (loaded.invalid) return this.#failed(request, context, loaded.invalid);
    const trial = context.trial ?? 1;
    const queue = queuesOf(loaded, trial, context.step).queueFor(keyed(request));
    if (!queue || queue.exchanges.length === 0) return this.#missing(request, context, loaded);
    // Asked again after its last recorded answer: repeating that answer would count as attempts never made.
    if (queue.next >= queue.exchanges.length) return this.#pollsRanOut(request, context, loaded, queue.exchanges.length);
    const recorded = queue.exchanges[queue.next]!;
    queue.next += 1;
    // The request is the one this run built; the answer is the recorded one, chunk by chunk.
    const { trial: _recordedTrial, ...answer } = recorded;
    const replayed: Exchange = { ...answer, step: context.step, prefix: context.prefix, request, ...(trial > 1 ? { trial } : {}) };
    // A recording an older harness made of a stream with no event (an outage it judged): read as live reads it now.
    const error = replayed.error ?? (isEmptyStream(replayed) ? emptyStreamError(replayed, replayed.attempts) : null);
    if (error) return { ...replayed, error: replayedFailure(error, loaded.fixture?.provenance.recordedAt) };
    // So is a JSON body cut short that an older record run stored as the endpoint's answer: live says the same bytes
    // are HARNESS_STREAM_CUT, and judged here they made sdk.* `throws` where live says `error`. Not a body the harness
    // stopped reading itself (it stalled, or passed --max-body-bytes): live never reads those as cut, and neither does replay.
    const response = replayed.response;
    const stopped = response?.stalledAfterMs !== undefined || response?.truncatedAtBytes !== undefined;
    const cut = response && !stopped ? cutShort(request, response) : undefined;
    return cut ? { ...replayed, error: replayedFailure(cut, loaded.fixture?.provenance.recordedAt, 'a body cut short, stored as the answer') } : replayed;
  }

  #missing(request: ExchangeRequest, context: SendContext, loaded: LoadedFixture): Exchange {
    const file = shownPath(loaded.file);
    // A trial past those a fixture recorded with trials holds: no other trial's answers stand in for it (queuesOf).
    const trial = context.trial ?? 1;
    const past = trialsHeld(loaded) && !loaded.fixture!.exchanges.some((ex) => (ex.trial ?? 1) === trial) ? `, of trial ${trial}: it was recorded with fewer trials` : '';
    const why = loaded.fixture
      ? `${file} has no exchange for this request${past || ' (the suite changed since it was recorded?)'}`
      : `there is no ${file}`;
    // A model with no recordings at all here was most likely never meant to be replayed (a record run of some
    // models, replayed without naming them): naming the recorded ones is the fix, not recording every model.
    const none = !loaded.fixture && this.#listing(context.model, dirname(loaded.file)) === null;
    // No model recorded on the target at all: there is no subset to name.
    const empty = none && !this.#recordsAnyModel(dirname(dirname(loaded.file)));
    const fix = empty
      ? `the target has no recordings at all in ${shownPath(dirname(dirname(loaded.file)))}: record them with --mode record (and --region or --endpoint), or point --fixtures at the folder that holds them`
      : none
        ? `the target has no recordings of ${context.model} at all: replay only the models recorded (--models), or record this one with --mode record (and --region or --endpoint)`
        : 'Record it with --mode record (and --region or --endpoint)';
    return this.#failed(request, context, {
      code: 'HARNESS_RECORDING_MISSING',
      message: `No recording for model ${context.model}, case ${context.caseId}, request ${describeRequest(request)}: ${why}. ${none ? fix.charAt(0).toUpperCase() + fix.slice(1) : fix}.`,
    });
  }

  /**
   * A request its step asks more often than the recording holds answers to it: a harness (or suite) that polled less
   * made it. Neither the last answer again nor a verdict on fewer attempts than this version waits is what it saw.
   */
  #pollsRanOut(request: ExchangeRequest, context: SendContext, loaded: LoadedFixture, recorded: number): Exchange {
    const made = loaded.fixture?.provenance.harnessVersion;
    return this.#failed(request, context, {
      code: 'HARNESS_RECORDING_MISSING',
      message:
        `No recording for model ${context.model}, case ${context.caseId}, step ${context.step}, request ${describeRequest(request)}, attempt ${recorded + 1}: ` +
        `${shownPath(loaded.file)} holds ${recorded} attempt(s) of it, and this version polls it again (the recording holds fewer polls than this version makes). ` +
        `It was recorded by an older harness${made ? ` (${made.slice(0, 40)})` : ''} or suite with ${recorded} attempt(s); record the case again with --mode record to poll as this version does.`,
    });
  }

  #failed(request: ExchangeRequest, context: SendContext, error: ExchangeError): Exchange {
    return { step: context.step, prefix: context.prefix, request, response: null, error, durationMs: 0, attempts: 0 };
  }

  #load(model: string, caseId: string): Promise<LoadedFixture> {
    let files = this.#loaded.get(model);
    if (!files) {
      files = new Map();
      this.#loaded.set(model, files);
    }
    let loading = files.get(caseId);
    if (!loading) {
      const file = fixturePath(this.#root, this.id, model, caseId);
      const listed = this.#listing(model, dirname(file));
      loading = readFixture(file, listed !== null && !listed.has(basename(file))).then(
        (fixture): LoadedFixture => {
          // A file copied from another model's or case's folder is another recording: its bodies would be judged as
          // this model's (or fail on a request it never sent, with a misleading hint).
          const other = fixture && (fixture.model !== model ? `model ${JSON.stringify(fixture.model)}` : fixture.case !== caseId ? `case ${JSON.stringify(fixture.case)}` : undefined);
          // So is one copied from another target's folder: judged as this target's, the endpoint is blamed for the
          // other surface's (or region's) answers.
          const elsewhere = fixture && !other ? otherRecording(file, fixture.provenance, { id: this.id, surface: this.surface, recorded: this.#recordedFor }, this.#root) : undefined;
          if (!other && !elsewhere) return { file, fixture, ...lostTrial(fixture, file, model, caseId), trials: new Map() };
          const message = elsewhere ?? `${file} records ${other!.slice(0, 200)}, not the ${fixture!.model !== model ? `model ${model}` : `case ${caseId}`} its path names; record it again with --mode record (or move it where it belongs)`;
          return { file, fixture: null, invalid: { code: 'HARNESS_RECORDING_INVALID', message }, trials: new Map() };
        },
        (error: unknown): LoadedFixture => {
          const harness = error instanceof HarnessError ? error : new HarnessError('HARNESS_RECORDING_INVALID', `cannot use ${file}: ${String(error)}`);
          return { file, fixture: null, invalid: { code: harness.code, message: harness.message }, trials: new Map() };
        },
      );
      files.set(caseId, loading);
    }
    return loading;
  }

  /** Whether the target's folder holds a model's folder (read once). */
  #recordsAnyModel(folder: string): boolean {
    this.#anyModel ??= (() => {
      try {
        return readdirSync(folder, { withFileTypes: true }).some((entry) => entry.isDirectory());
      } catch {
        return false;
      }
    })();
    return this.#anyModel;
  }

  #listing(model: string, folder: string): ReadonlySet<string> | null {
    let names = this.#listed.get(model);
    if (names === undefined) {
      try {
        names = new Set(readdirSync(folder));
      } catch {
        names = null;
      }
      this.#listed.set(model, names);
    }
    return names;
  }

  modelFinished(model: string): void {
    this.#loaded.delete(model);
    this.#listed.delete(model);
  }

  /** How many trials of a case the fixture holds (1 without trials, or without a usable fixture), so that replay repeats it as it was recorded. */
  async trialsRecorded(model: string, caseId: string): Promise<number> {
    return trialsIn((await this.#load(model, caseId)).fixture?.exchanges ?? []);
  }

  /** Provenance of one fixture, for the report header; null when there is no usable one. */
  async provenanceOf(model: string, caseId: string): Promise<FixtureFile['provenance'] | null> {
    return (await this.#load(model, caseId)).fixture?.provenance ?? null;
  }

  async caseFinished(): Promise<void> {}

  async close(): Promise<void> {}
}

/**
 * A failure the recording holds (an outage, a spent budget, a refusal of the key, a body cut short), as replay gives
 * it: the message was written live (or is what live says of the body), and its advice (raise --timeout, raise the
 * budget, run again) cannot change a replay. The code stays: the gate and the reports read it as they read it live.
 */
function replayedFailure(error: ExchangeError, recordedAt: string | undefined, what = 'this failure'): ExchangeError {
  // The fixture's own field, shown only as the date it should be.
  const when = /^\d{4}-\d{2}-\d{2}/.test(recordedAt ?? '') ? ` of ${recordedAt!.slice(0, 10)}` : '';
  // First: a long message is cut in the reports (and on the console), and this is what a person reads it by.
  return { ...error, message: `[replayed: the recording${when} holds ${what}; record the case again with --mode record to observe it] ${error.message}` };
}

/**
 * Paths redacted so far: every model's cases ask the same few paths. Bounded, since a path can hold an id an
 * endpoint made up; the redactor knows no secret in replay, so a path always redacts the same way.
 */
const keyedPaths = new Map<string, string>();
const MAX_KEYED_PATHS = 1_000;

function keyedPath(path: string): string {
  let keyed = keyedPaths.get(path);
  if (keyed === undefined) {
    keyed = shapes.text(path).value;
    if (keyedPaths.size < MAX_KEYED_PATHS) keyedPaths.set(path, keyed);
  }
  return keyed;
}

function keyed(request: ExchangeRequest): ExchangeRequest {
  const path = keyedPath(request.path);
  return { ...request, path, ...(request.body !== undefined ? { body: shapes.text(request.body).value } : {}) };
}

/**
 * The answers for one step of one trial: the step's own recorded exchanges of that trial; a fixture recorded without
 * trials (no exchange names one) answers every trial from its one recording. One recorded with trials that holds none
 * of this trial (lost to a hand edit or a bad merge) has no answer: trial 1's again would count as an observation
 * nobody made, and turn a flaky cell into a pass. Each trial reads its own queues, so polls run in order within every
 * trial. Every recorded exchange names its step (the fixture schema requires it).
 */
function queuesOf(loaded: LoadedFixture, trial: number, step: string): ReplayQueues {
  const key = JSON.stringify([trial, step]);
  let queues = loaded.trials.get(key);
  if (!queues) {
    const all = loaded.fixture?.exchanges ?? [];
    const own = trialsHeld(loaded) ? all.filter((ex) => (ex.trial ?? 1) === trial) : all;
    queues = new ReplayQueues(own.filter((ex) => ex.step === step));
    loaded.trials.set(key, queues);
  }
  return queues;
}

/** Whether a fixture was recorded with trials (`--repeat`): an exchange names one (the first trial's name none). */
function trialsHeld(loaded: LoadedFixture): boolean {
  return (loaded.fixture?.exchanges ?? []).some((ex) => ex.trial !== undefined);
}

/**
 * A fixture recorded with trials that holds no exchange of one of them below its last (a hand edit, a bad merge): no
 * trial of it is replayed. The others alone are not what was recorded (a flaky cell read as a pass of fewer trials),
 * and trial 1's answers given again would be observations nobody made. Its cells are `error`, and gate.
 */
function lostTrial(fixture: FixtureFile | null, file: string, model: string, caseId: string): { invalid: ExchangeError } | undefined {
  if (!fixture?.exchanges.some((ex) => ex.trial !== undefined)) return undefined;
  const held = [...new Set(fixture.exchanges.map((ex) => ex.trial ?? 1))].sort((a, b) => a - b);
  const last = held.at(-1)!;
  // The gaps, walked between the trials held (a hand-edited trial may be any integer), named up to a few.
  const lost: number[] = [];
  held.forEach((trial, i) => {
    for (let gap = (held[i - 1] ?? 0) + 1; gap < trial && lost.length < 4; gap++) lost.push(gap);
  });
  if (lost.length === 0) return undefined;
  const which = `trial ${lost.length < 4 ? lost.join(', ') : `${lost.slice(0, 3).join(', ')} and more`}`;
  const message =
    `No recording for model ${model}, case ${caseId}, ${which}: ${shownPath(file)} was recorded with ${last} trials and holds none of ${which} ` +
    `(lost to a hand edit or a bad merge?), so no trial of it is replayed (the others alone are not what was recorded). Restore the file, or record the case again with --mode record --repeat ${last} (and --region or --endpoint).`;
  return { invalid: { code: 'HARNESS_RECORDING_MISSING', message } };
}
