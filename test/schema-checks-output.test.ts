/**
 * `schema --suites <path>` printed its `wrote <path>` lines raw (an escape sequence or a line break in the path
 * reached the terminal, or an Actions workflow command), though its refusal printed the path inert. And
 * `checks --format json` gave `vocabulary` as a list for most checks and the string "number-or-null" for the
 * `defaults.*` ones: tooling that iterated it got characters. Now every `vocabulary` is a list, and
 * `observedType` says whether the observed value is a word or a number.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import { cli } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('schema', () => {
  it('a --suites path with an escape and a line break: each wrote line is one inert line', async () => {
    const odd = 'odd\u001b[31mname\n::warning::x';
    const { code, stdout } = await cli(['schema', '--suites', odd], {}, dir);
    expect(code).toBe(0);
    expect(stdout).not.toContain('\u001b');
    expect(stdout.split('\n').filter((line) => line.startsWith('::'))).toEqual([]);
    const lines = stdout.trim().split('\n');
    expect(lines.every((line) => line.startsWith('wrote '))).toBe(true);
    expect(lines.length).toBeGreaterThan(1);
  });

  it('a plain path is shown as it is', async () => {
    const { stdout } = await cli(['schema', '--suites', 'plain'], {}, dir);
    expect(stdout).toContain(`wrote ${join('plain', 'schema', 'suite.schema.json')}\n`);
  });
});

describe('checks --format json', () => {
  it('vocabulary is a list for every check; observedType says word or number', async () => {
    const { code, stdout } = await cli(['checks', '--format', 'json']);
    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as { id: string; vocabulary: unknown; observedType: unknown }[];
    expect(listed).toHaveLength(ALL_CHECKS.length);
    expect(listed.filter((c) => !Array.isArray(c.vocabulary))).toEqual([]);
    const numbers = listed.filter((c) => c.observedType === 'number').map((c) => c.id);
    expect(numbers).toEqual(ALL_CHECKS.filter((c) => c.vocabulary === 'number-or-null').map((c) => c.id));
    expect(numbers).toContain('defaults.temperature');
    for (const check of listed) {
      if (check.observedType === 'number') expect(check.vocabulary).toEqual([]);
      else {
        expect(check.observedType).toBe('word');
        expect((check.vocabulary as unknown[]).length).toBeGreaterThan(0);
      }
    }
  });
});
