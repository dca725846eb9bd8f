/**
 * The tidy of the 2026-12-06 review: each rule written once and read from one place. Path containment (isWithin), the
 * two kept-recording reasons (kept-whys.ts), the stopping signals, a secret sendable as a header, the stdout failure's
 * words, the vitest options the user gave, the pair matrix the CI line reads, Bedrock's own host. Both ways each.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/cli/project.ts';
import { outputFailureLine } from '../src/cli/output-errors.ts';
import { trustDomain } from '../src/cli/credential-domains.ts';
import { isDiskFull, writeError } from '../src/errors.ts';
import { HEADER_ENV_REFUSED } from '../src/framing-headers.ts';
import { FEWER_TRIALS, fewerTrialsWhy, TRIALS_CUT, trialsCutWhy } from '../src/kept-whys.ts';
import { coverageOf } from '../src/report/coverage.ts';
import type { CellResult } from '../src/run/cell-result.ts';
import { ProgressReporter } from '../src/run/progress-reporter.ts';
import { progressEvents } from '../src/run/run-conformance.ts';
import type { CellWork } from '../src/run/selection.ts';
import { vitestViewError } from '../src/run/vitest-crash.ts';
import { describeVitestOptions, givenVitestOptions } from '../src/run/vitest-usage.ts';
import { isWithin } from '../src/shown-path.ts';
import { INTERRUPTED_EXIT, INTERRUPTING_SIGNALS, STOPPING_SIGNALS } from '../src/signals.ts';
import { ownBedrockHost, surfaceOfHost } from '../src/surfaces.ts';
import { sendableHeaderValue } from '../src/transport/headers.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

describe('isWithin: one containment rule (vitest --outputFile, the atomic writer)', () => {
  it('a folder itself and a child are within; a child named ..x is within too', () => {
    expect(isWithin('/a/b', '/a/b')).toBe(true);
    expect(isWithin('/a/b/c', '/a/b')).toBe(true);
    expect(isWithin('/a/b/..x', '/a/b')).toBe(true);
  });
  it('the parent, a sibling and another tree are not', () => {
    expect(isWithin('/a', '/a/b')).toBe(false);
    expect(isWithin('/a/c', '/a/b')).toBe(false);
    expect(isWithin('/z', '/a/b')).toBe(false);
  });
});

describe('kept-whys: each kept reason worded once, and told apart by the pattern next to it', () => {
  it('trials cut short', () => {
    const why = trialsCutWhy({ asked: 3, notSent: 2, why: 'the run was interrupted (Ctrl-C)' }, true);
    expect(why).toMatch(TRIALS_CUT);
    expect(why).not.toMatch(FEWER_TRIALS);
    expect(trialsCutWhy({ asked: 3, notSent: 1, why: 'x' }, false)).toContain('wrote no recording of the case');
  });
  it('fewer trials than the recording holds; as many or more keep nothing', () => {
    const why = fewerTrialsWhy(3, 1)!;
    expect(why).toMatch(FEWER_TRIALS);
    expect(why).not.toMatch(TRIALS_CUT);
    expect(why).toContain('run with --repeat 3 to replace it');
    expect(fewerTrialsWhy(3, 3)).toBeUndefined();
    expect(fewerTrialsWhy(0, 1)).toBeUndefined();
  });
});

describe('signals: one list of what stops a command, one exit code', () => {
  it('SIGINT is Ctrl-C, SIGTERM itself; 130 is the CLI\'s interrupted exit', () => {
    expect(INTERRUPTING_SIGNALS).toEqual([['SIGINT', 'Ctrl-C'], ['SIGTERM', 'SIGTERM']]);
    expect(STOPPING_SIGNALS).toEqual(['SIGINT', 'SIGTERM']);
    expect(INTERRUPTED_EXIT).toBe(130);
    expect(EXIT.interrupted).toBe(INTERRUPTED_EXIT);
  });
});

describe('sendableHeaderValue: one rule, each caller its trim', () => {
  it('all (an API key): blanks and line breaks around it go', () => {
    expect(sendableHeaderValue('  k7Qz9wLmP4\n', 'all')).toEqual({ value: 'k7Qz9wLmP4', problem: undefined });
    expect(sendableHeaderValue('k7Qz\n9wLmP4', 'all').problem).toBe('holds a line break');
  });
  it('http (a --header-env value): only spaces and tabs go, a line break stays to be refused', () => {
    expect(sendableHeaderValue(' \tBasic abc\t ', 'http')).toEqual({ value: 'Basic abc', problem: undefined });
    expect(sendableHeaderValue('abc\n', 'http').problem).toBe('holds a line break');
  });
  it('none (the emulator\'s key): blanks around it are a problem, as no client can send them', () => {
    expect(sendableHeaderValue('k7Qz9wLmP4', 'none')).toEqual({ value: 'k7Qz9wLmP4', problem: undefined });
    expect(sendableHeaderValue(' k7Qz9wLmP4', 'none').problem).toBe('begins or ends with a blank, which HTTP drops, so no client can send it');
    expect(sendableHeaderValue('k7Qz9wLmP4\u00e9\u4e00', 'none').problem).toMatch(/only Latin-1/);
  });
});

describe('standard output that fails: the file write\'s rules and words', () => {
  const failure = (code: string, message: string) => Object.assign(new Error(message), { code }) as NodeJS.ErrnoException;
  it('a full disk is HARNESS_DISK_FULL, as a file\'s is', () => {
    expect(isDiskFull('ENOSPC') && isDiskFull('EDQUOT')).toBe(true);
    expect(isDiskFull('EIO')).toBe(false);
    expect(outputFailureLine(failure('EDQUOT', 'EDQUOT: quota'))).toMatch(/^HARNESS_DISK_FULL: /);
    expect(writeError('/x', failure('EDQUOT', 'quota')).code).toBe('HARNESS_DISK_FULL');
  });
  it('a code with words says them; another keeps Node\'s message', () => {
    expect(outputFailureLine(failure('EBADF', 'EBADF: bad file descriptor, write'))).toContain('(EBADF: no such descriptor is open for writing)');
    expect(outputFailureLine(failure('EIO', 'EIO: i/o error, write'))).toContain('(EIO: i/o error, write)');
  });
});

describe('the vitest options given: the parser\'s own keys are none, at every site', () => {
  it('`--` and `color` alone are no options given', () => {
    const parserOnly = { '--': [], color: true };
    expect(givenVitestOptions(parserOnly)).toEqual([]);
    expect(describeVitestOptions(parserOnly)).toBe('(none)');
    expect(vitestViewError(new Error('boom'), parserOnly).code).toBe('HARNESS_INTERNAL');
  });
  it('an option the user gave is one', () => {
    const given = { '--': [], color: true, reporter: ['dot'] };
    expect(givenVitestOptions(given)).toEqual([['reporter', ['dot']]]);
    expect(vitestViewError(new Error('boom'), given).code).toBe('HARNESS_USAGE');
  });
});

describe('progressEvents: the CI line per model reads the pair matrix it is given', () => {
  it('judges the line on pairOf(cell, results), asked once', () => {
    let text = '';
    const out = Object.assign(new Writable({ write: (chunk, _e, done) => ((text += String(chunk)), done()) }), { isTTY: false });
    const reporter = new ProgressReporter({ total: 1, stream: out });
    const result = { target: 'emulator', model: 'xai.grok-4.3', check: 'created-at.chat', result: { status: 'pass' }, usage: { requests: 1, inputTokens: 0, outputTokens: 0, wallMs: 0 }, provenance: [] } as unknown as CellResult;
    const cell = { target: 'emulator', model: 'xai.grok-4.3', checks: [{ id: 'created-at.chat' }] } as unknown as CellWork;
    const asked: unknown[][] = [];
    // The pair's matrix says fail where the cell's own result says pass: the line is the matrix's.
    const matrix = smallMatrix([{ model: 'xai.grok-4.3', check: 'created-at.chat', status: 'fail', observed: 'exponent' }], ['xai.grok-4.3']);
    const events = progressEvents(reporter, undefined, (c, r) => (asked.push([c, r]), matrix));
    events.onCellEnd!(cell, [result]);
    expect(asked).toEqual([[cell, [result]]]);
    expect(text).toContain('xai.grok-4.3 (emulator): 1 checks, 1 fail, 0 error');
  });
});

describe('ownBedrockHost: one rule for Bedrock\'s own host', () => {
  it('a Bedrock host under its region\'s partition: surface, region and partition', () => {
    const own = ownBedrockHost('bedrock-runtime.us-east-1.amazonaws.com');
    expect(own && { surface: own.surface, region: own.region, title: own.partition.title }).toEqual({ surface: 'runtime', region: 'us-east-1', title: 'AWS' });
    expect(ownBedrockHost('bedrock-mantle.us-east-1.api.aws.')?.surface).toBe('mantle');
    expect(surfaceOfHost('bedrock-runtime.us-east-1.amazonaws.com:443')).toBe('runtime');
    expect(trustDomain('https://bedrock-runtime.cn-north-1.amazonaws.com.cn/')).toBe('AWS China');
  });
  it('a region under another partition\'s suffix, or a look-alike, is none', () => {
    expect(ownBedrockHost('bedrock-runtime.cn-north-1.amazonaws.com')).toBeUndefined();
    expect(ownBedrockHost('bedrock-runtime.s3.amazonaws.com')).toBeUndefined();
    expect(surfaceOfHost('bedrock-runtime.cn-north-1.amazonaws.com')).toBe('custom');
    expect(trustDomain('https://bedrock-runtime.cn-north-1.amazonaws.com/')).toBe('https://bedrock-runtime.cn-north-1.amazonaws.com');
  });
});

describe('names that say what they hold', () => {
  it('coverage counts the observed cells resting on fewer trials (errored or skipped) as shortTrialCells', () => {
    const trials = [{ status: 'fail' as const, observed: 'exponent', reason: 'x', evidence: [] }, { status: 'skipped' as const, observed: null, reason: 'cap', evidence: [] }];
    const matrix = smallMatrix([{ model: 'xai.grok-4.3', check: 'created-at.chat', status: 'fail', observed: 'exponent', trials }]);
    expect(coverageOf(matrix)).toMatchObject({ shortTrialCells: 1, skippedTrials: 1, errorTrials: 0 });
  });
  it('--header-env refuses the headers that frame a request', () => {
    expect(['host', 'content-length', 'connection'].every((h) => HEADER_ENV_REFUSED.has(h))).toBe(true);
    expect(HEADER_ENV_REFUSED.has('x-api-key')).toBe(false);
  });
});
