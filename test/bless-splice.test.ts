/**
 * bless changes only the bytes of the model entries it changes: another model's flow map, folded reason, quoting,
 * the file's indentation, comments, blank lines, CRLF and a BOM stay byte for byte, so the review diff is the
 * blessed entries. Where splicing is not safe (a flow `models:` map, no `models:`, a comment yaml would move) the
 * whole document is re-printed as before; either way the file says what the whole re-print says.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import { blessExpectations, blessedText, loadExpectations, statedFor, type BlessChange } from '../src/suite/load-expectations.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bless-splice-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const NOTE = 'blessed from run r1';

/** Blesses `changes` into a file holding `before` (through the file, as the bless command does); returns the new text. */
const blessed = async (before: string, changes: BlessChange[]) => {
  const file = join(dir, `exp-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, before);
  await blessExpectations(file, 'mantle', changes, NOTE, join(dir, 'schema.json'), ALL_CHECKS);
  const after = await readFile(file, 'utf8');
  return { file, after, whole: blessedText(before, file, changes, NOTE, { whole: true }) };
};

const value = async (file: string, model: string, check = 'created-at.chat') => statedFor(await loadExpectations(file, ALL_CHECKS), 'emulator', model, check);

/** A hand-written file: 4-space indentation, a flow map, a folded reason, quoting, comments and blank lines between models. */
const RICH = [
  '# yaml-language-server: $schema=../suites/schema/expectations.schema.json',
  '# What runs are expected to observe.',
  'expectations: mantle',
  '',
  'models:',
  '    # Grok: the flow map below is how we like it.',
  '    xai.grok-4.3:',
  '        created-at.chat: {observed: exponent, reason: "seen in r0"}   # a flow map',
  "        path-prefix: '/openai/v1'",
  '',
  '    # Qwen\'s reason is folded.',
  '    qwen.qwen3-32b:',
  '        created-at.chat:',
  '            observed: integer',
  '            reason: >',
  '                folded over',
  '                two lines',
  '        defaults.temperature: 0.7',
  '',
  '',
  '    google.gemma-4-31b:',
  '        created-at.chat: integer',
  '# the end',
  '',
].join('\n');

const gemma: BlessChange = { model: 'google.gemma-4-31b', check: 'created-at.chat', from: 'integer', to: 'exponent' };
const qwen: BlessChange = { model: 'qwen.qwen3-32b', check: 'created-at.chat', from: 'integer', to: 'exponent' };

describe('blessing one model leaves every other byte of the file as it was', () => {
  it.each([
    { name: 'LF', encode: (text: string) => text },
    { name: 'CRLF', encode: (text: string) => text.replace(/\n/g, '\r\n') },
    { name: 'a BOM', encode: (text: string) => `\uFEFF${text}` },
    { name: 'a BOM and CRLF', encode: (text: string) => `\uFEFF${text.replace(/\n/g, '\r\n')}` },
  ])('$name: only the blessed line changes', async ({ encode }) => {
    const { file, after, whole } = await blessed(encode(RICH), [gemma]);
    expect(after).toBe(encode(RICH.replace('        created-at.chat: integer\n# the end', '        created-at.chat: exponent\n# the end')));
    expect(whole).not.toBe(after); // the whole re-print re-spaces the flow map and re-flows the folded reason
    expect((await value(file, 'google.gemma-4-31b'))?.value).toBe('exponent');
  });

  it('a model between others: its entry is re-printed in the file\'s indentation, the rest stays', async () => {
    const { file, after } = await blessed(RICH, [qwen]);
    const start = RICH.indexOf('    qwen.qwen3-32b:');
    const end = RICH.indexOf('\n\n\n    google');
    expect(after.slice(0, start)).toBe(RICH.slice(0, start));
    expect(after.slice(after.length - (RICH.length - end))).toBe(RICH.slice(end));
    expect(after.slice(start, after.length - (RICH.length - end))).toMatch(/^    qwen\.qwen3-32b:\n        created-at\.chat:\n            observed: exponent\n            reason: [^\n]*\n?[^\n]*blessed from run r1: observed "exponent"[^\n]*\n        defaults\.temperature: 0\.7$/);
    expect(await value(file, 'qwen.qwen3-32b')).toMatchObject({ value: 'exponent', reason: `${NOTE}: observed "exponent"` });
    expect(await value(file, 'xai.grok-4.3')).toMatchObject({ value: 'exponent', reason: 'seen in r0' });
  });

  it('a model the file does not have goes after the last one, in the file\'s indentation, before the closing comment', async () => {
    const { after } = await blessed(RICH.replace(/\n/g, '\r\n'), [{ model: 'openai.gpt-5.4', check: 'created-at.chat', from: undefined, to: 'integer' }]);
    const added = `    openai.gpt-5.4:\n        created-at.chat:\n            observed: integer\n            reason: '${NOTE}: observed "integer"'\n`;
    expect(after).toBe(RICH.replace('# the end', `${added}# the end`).replace(/\n/g, '\r\n'));
  });

  it('a new model after a last entry that ends in its own comments goes after them, as yaml would put it', async () => {
    const before = 'expectations: mantle\nmodels:\n    xai.grok-4.3: {created-at.chat: exponent}  # flow\n    qwen.qwen3-32b:\n        created-at.chat: integer   # mine\n\n        # about qwen\n\n# the end\n';
    const { after } = await blessed(before, [{ model: 'openai.gpt-5.4', check: 'created-at.chat', from: undefined, to: 'integer' }]);
    expect(after).toBe(before.replace('\n\n# the end', `\n    openai.gpt-5.4:\n        created-at.chat:\n            observed: integer\n            reason: '${NOTE}: observed "integer"'\n\n# the end`));
  });

  it('a blessed flow entry with a comment after it: the comment stays on its line, nothing else moves', async () => {
    const before = 'expectations: mantle\nmodels:\n    qwen.qwen3-32b: {created-at.chat: integer}\n    xai.grok-4.3: {created-at.chat: exponent}  # why\n';
    const { after } = await blessed(before, [{ model: 'xai.grok-4.3', check: 'created-at.chat', from: 'exponent', to: 'integer' }]);
    expect(after).toBe('expectations: mantle\nmodels:\n    qwen.qwen3-32b: {created-at.chat: integer}\n    xai.grok-4.3:\n        created-at.chat: integer  # why\n');
  });

  it('several models at once: each changed entry is replaced, the others stay', async () => {
    const { after } = await blessed(RICH, [gemma, { model: 'xai.grok-4.3', check: 'path-prefix', from: '/openai/v1', to: '/v1' }]);
    expect(after).toContain('    # Qwen\'s reason is folded.\n    qwen.qwen3-32b:\n        created-at.chat:\n            observed: integer\n            reason: >\n                folded over\n                two lines\n        defaults.temperature: 0.7\n\n\n    google.gemma-4-31b:\n        created-at.chat: exponent\n# the end\n');
    expect(after).toContain('    # Grok: the flow map below is how we like it.\n    xai.grok-4.3:\n        created-at.chat:\n');
    expect(after).toContain("        path-prefix: '/v1'\n\n    # Qwen");
  });
});

describe('a short entry that becomes a map for a target keeps what its unchanged value carries', () => {
  const target: BlessChange = { model: 'openai.gpt-oss-20b', check: 'models.profile-id', from: undefined, to: 'served', target: 'runtime.emulator' };
  const entry = (observed: string) => `    models.profile-id:\n      observed:${observed}\n      targets:\n        runtime.emulator:\n          observed: served\n          reason: '${NOTE}: observed "served"'\n`;
  it.each([
    {
      name: 'an inline comment, and one on the line above the key',
      before: 'expectations: mantle\nmodels:\n  openai.gpt-oss-20b:\n    # Mantle has no profile ids -- reviewed by Alice\n    models.profile-id: not-found   # keep: ticket OPS-123\n',
      after: `expectations: mantle\nmodels:\n  openai.gpt-oss-20b:\n    # Mantle has no profile ids -- reviewed by Alice\n${entry(' not-found # keep: ticket OPS-123')}`,
    },
    {
      name: 'a comment on the line above the value',
      before: 'expectations: mantle\nmodels:\n  openai.gpt-oss-20b:\n    models.profile-id:\n      # reviewed by Alice\n      not-found\n',
      after: `expectations: mantle\nmodels:\n  openai.gpt-oss-20b:\n${entry('\n        # reviewed by Alice\n        not-found')}`,
    },
    {
      name: 'CRLF, a BOM and a quoted key',
      before: '\uFEFFexpectations: mantle\r\n"models":\r\n  openai.gpt-oss-20b:\r\n    models.profile-id: not-found # keep\r\n',
      after: `\uFEFFexpectations: mantle\r\n"models":\r\n  openai.gpt-oss-20b:\r\n${entry(' not-found # keep').replace(/\n/g, '\r\n')}`,
    },
  ])('$name', async ({ before, after }) => {
    const { file, after: written } = await blessed(before, [target]);
    expect(written).toBe(after);
    expect((await loadExpectations(file, ALL_CHECKS)).byModel.get('openai.gpt-oss-20b')?.get('models.profile-id')?.value).toBe('not-found');
  });
});

describe('where splicing is not safe, the whole document is re-printed (as before)', () => {
  it.each([
    { name: 'a flow `models:` map', before: 'expectations: mantle\nmodels: {xai.grok-4.3: {created-at.chat: exponent}, qwen.qwen3-32b: {created-at.chat: integer}}\n' },
    { name: 'no `models:`', before: '# mine\nexpectations: mantle\n' },
    { name: 'an empty `models:`', before: 'expectations: mantle\nmodels:\n' },
    { name: 'a `models:` map indented under its key\'s column', before: '  expectations: mantle\n  models:\n    qwen.qwen3-32b: {created-at.chat: integer}\n    xai.grok-4.3:\n        created-at.chat: exponent\n' },
  ])('$name: a valid file with the blessed value and the others\' values', async ({ before }) => {
    const change: BlessChange = { model: 'xai.grok-4.3', check: 'created-at.chat', from: before.includes('xai') ? 'exponent' : undefined, to: 'integer' };
    const { file, after, whole } = await blessed(before, [change]);
    expect(after).toBe(whole);
    expect((await value(file, 'xai.grok-4.3'))?.value).toBe('integer');
    if (before.includes('qwen')) expect((await value(file, 'qwen.qwen3-32b'))?.value).toBe('integer');
  });
});

describe('a spliced file says what the whole re-print says', () => {
  const files = {
    rich: RICH,
    crlf: RICH.replace(/\n/g, '\r\n'),
    twoSpaces: 'expectations: mantle\nmodels:\n  qwen.qwen3-32b:\n    created-at.chat:\n      observed: integer\n      targets:\n        us-east-1: exponent\n  xai.grok-4.3:\n    created-at.chat: exponent\n',
    anchors: 'expectations: mantle\nmodels:\n  xai.grok-4.3:\n    created-at.chat: &v\n      observed: exponent\n      reason: shared\n    path-prefix: &p /v1\n  qwen.qwen3-32b:\n    created-at.chat: *v\n    path-prefix: *p\n',
    aliasedModel: 'expectations: mantle\nmodels:\n  xai.grok-4.3: &m\n    created-at.chat: exponent\n  qwen.qwen3-32b: *m\n',
    noFinalNewline: 'expectations: mantle\nmodels:\n   qwen.qwen3-32b: {created-at.chat: integer}\n   xai.grok-4.3:\n      created-at.chat: exponent',
    documentMarkers: '%YAML 1.2\n---\nexpectations: mantle\nmodels:\n  "xai.grok-4.3":\n    created-at.chat: exponent # q\n  \'qwen.qwen3-32b\': {created-at.chat: integer}\n  zz.untouched: {path-prefix: /v1}\n...\n',
  };
  const changes: Record<string, BlessChange[]> = {
    value: [{ model: 'xai.grok-4.3', check: 'created-at.chat', from: 'exponent', to: 'integer' }],
    target: [{ model: 'qwen.qwen3-32b', check: 'created-at.chat', from: undefined, to: 'exponent', target: 'us-west-2' }],
    dropTargets: [{ model: 'qwen.qwen3-32b', check: 'created-at.chat', from: 'integer', to: 'integer', dropTargets: ['us-east-1'] }],
    newModel: [{ model: 'openai.gpt-5.4', check: 'path-prefix', from: undefined, to: '/v1' }],
    both: [
      { model: 'qwen.qwen3-32b', check: 'created-at.chat', from: 'integer', to: 'exponent' },
      { model: 'xai.grok-4.3', check: 'path-prefix', from: undefined, to: '/openai/v1' },
    ],
  };
  // Bless drops only targets an entry has.
  const cases = Object.entries(files).flatMap(([file, text]) => Object.entries(changes).filter(([change]) => change !== 'dropTargets' || file === 'twoSpaces').map(([change, list]) => ({ name: `${file}, ${change}`, text, list })));

  const respaced = new Set(['rich', 'crlf', 'noFinalNewline', 'documentMarkers']);

  it.each(cases)('$name', ({ name, text, list }) => {
    const spliced = blessedText(text, 'f.yaml', list, NOTE);
    const whole = blessedText(text, 'f.yaml', list, NOTE, { whole: true });
    const doc = parseDocument(spliced);
    expect(doc.errors).toEqual([]);
    expect(doc.toJS()).toEqual(parseDocument(whole).toJS());
    const comments = (s: string) => (s.match(/#.*$/gm) ?? []).map((c) => c.trimEnd()).sort();
    expect(comments(spliced)).toEqual(comments(whole));
    // Spliced, not re-printed: the whole re-print re-spaces these files' flow maps (or indentation, or folded text).
    if (respaced.has(name.split(',')[0]!)) expect(spliced).not.toBe(whole);
  });
});
