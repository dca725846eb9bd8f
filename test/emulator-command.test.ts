/**
 * An emulator people can debug with and that cannot be polluted (issue 13 item 6, issue 15 item 8): `--quirk`
 * paths, values and model ids are checked against the profile (exit 2 naming the closest valid one), names that
 * reach a prototype are refused, every request is one neutralised log line, a port in use is exit 2 naming --port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { requestLine, startEmulatorFromFlags } from '../src/cli/emulator-command.ts';
import { profilesFromCatalog } from '../src/emulator/profile-from-catalog.ts';
import { applyOverride, genericProfile, type ModelProfile } from '../src/emulator/profile.ts';
import { QUIRK_PATHS, parseQuirks, type ValueSpec } from '../src/emulator/quirks.ts';
import { ROOT, cli, projectSuites } from './helpers/harness.ts';
import { usageError } from './helpers/usage-error.ts';

const CATALOG = `${ROOT}/suites/models.yaml`;

async function profiles(): Promise<Map<string, ModelProfile>> {
  return profilesFromCatalog((await projectSuites()).catalog);
}


describe('--quirk is checked against the profile', () => {
  it('a value outside the allowed ones names them, and the closest', async () => {
    const known = await profiles();
    expect(usageError(() => parseQuirks(['xai.grok-4.3:createdAt.chat=banana'], known))).toContain('allowed: integer, float, exponent, string, missing');
    expect(usageError(() => parseQuirks(['xai.grok-4.3:createdAt.chat=exponant'], known))).toContain('(did you mean "exponent"?)');
    expect(usageError(() => parseQuirks(['xai.grok-4.3:stream.omitDone=yes'], known))).toContain('allowed: true, false');
    expect(usageError(() => parseQuirks(['xai.grok-4.3:behaviors.toolCallRate=2'], known))).toContain('a number from 0 to 1');
    expect(usageError(() => parseQuirks(['xai.grok-4.3:apis=chat-completions,respones'], known))).toContain('(did you mean "responses"?)');
  });

  it('a misspelt path or model is refused with a suggestion; a group is not a path', async () => {
    const known = await profiles();
    expect(usageError(() => parseQuirks(['xai.grok-4.3:createdAt.chta=exponent'], known))).toContain('no quirk path "createdAt.chta" (did you mean "createdAt.chat"?)');
    expect(usageError(() => parseQuirks(['xai.grok-43:createdAt.chat=exponent'], known))).toContain('no model "xai.grok-43" in the catalog (did you mean "xai.grok-4.3"?)');
    expect(usageError(() => parseQuirks(['xai.grok-4.3:defaults=1'], known))).toContain('it is a group: set one of defaults.temperature');
    expect(usageError(() => parseQuirks(['xai.grok-4.3=exponent'], known))).toContain('not model:path=value');
  });

  it('__proto__, constructor and prototype are refused anywhere, and nothing reaches Object.prototype', async () => {
    const known = await profiles();
    for (const spec of ['__proto__:stream=true', 'xai.grok-4.3:__proto__.stream=true', 'xai.grok-4.3:stream.__proto__=true', 'constructor:x=1', 'xai.grok-4.3:prototype=1', 'xai.grok-4.3:behaviors.constructor=1']) {
      expect(usageError(() => parseQuirks([spec], known, 'generic')), spec).toMatch(/"(__proto__|constructor|prototype)" is refused/);
    }
    const probe: Record<string, unknown> = {};
    expect(probe.stream).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('a model outside the catalog is taken with --unknown-models generic, as a generic model with the quirk', async () => {
    const known = await profiles();
    expect(usageError(() => parseQuirks(['acme.widget-1:createdAt.chat=exponent'], known))).toContain('--unknown-models generic');
    // One value per switch: a second one for it is refused (fxe2-emulator-bounds.test.ts), never "the last one wins".
    const { overrides, applied } = parseQuirks(['acme.widget-1:createdAt.chat=float'], known, 'generic');
    expect(applyOverride(genericProfile('acme.widget-1'), overrides['acme.widget-1']).createdAt.chat).toBe('float');
    expect(applied.get('acme.widget-1')).toEqual(['createdAt.chat=float']);
  });

  it('every path the table lists is a real switch: setting it changes that field of the profile', () => {
    const sample = (spec: ValueSpec): [string, unknown] => {
      switch (spec.kind) {
        case 'boolean':
          return ['true', true];
        case 'number':
          return [String(spec.max), spec.max];
        case 'enum':
          return [spec.values.at(-1)!, spec.values.at(-1)];
        case 'list':
          return spec.values ? [spec.values[0]!, [spec.values[0]]] : [spec.item?.example ?? 'top_p', [spec.item?.example ?? 'top_p']];
      }
    };
    const base = genericProfile('acme.widget-1');
    for (const [path, spec] of QUIRK_PATHS) {
      const [raw, value] = sample(spec);
      const { overrides } = parseQuirks([`acme.widget-1:${path}=${raw}`], new Map([['acme.widget-1', base]]));
      let field: unknown = applyOverride(base, overrides['acme.widget-1']);
      for (const key of path.split('.')) field = (field as Record<string, unknown>)[key];
      expect(field instanceof Set ? [...field] : field, path).toEqual(value);
    }
    expect(QUIRK_PATHS.size).toBeGreaterThan(50);
  });
});

describe('the emulator command', () => {
  it('emulator --quirk xai.grok-4.3:createdAt.chat=banana exits 2 naming the allowed values', async () => {
    const result = await cli(['emulator', '--port', '0', '--quirk', 'xai.grok-4.3:createdAt.chat=banana']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('allowed: integer, float, exponent, string, missing');
  });

  it('emulator --quirk __proto__:stream=true exits 2', async () => {
    const result = await cli(['emulator', '--port', '0', '--quirk', '__proto__:stream=true']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('HARNESS_USAGE: --quirk');
  });

  let busy: Server | undefined;
  afterAll(() => new Promise<void>((resolve) => (busy ? busy.close(() => resolve()) : resolve())));
  it('a port already in use is exit 2 naming --port', async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy!.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    const result = await cli(['emulator', '--port', String(port)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`HARNESS_USAGE: --port: ${port} is already in use on 127.0.0.1`);
    expect(result.stderr).not.toContain('HARNESS_INTERNAL');
  });

  it('logs one line per request: method, path, model, status, quirks applied; client text neutralised', async () => {
    const lines: string[] = [];
    const emulator = await startEmulatorFromFlags({ catalog: CATALOG, port: '0', quirk: ['xai.grok-4.3:createdAt.chat=exponent'] }, (line) => lines.push(line));
    try {
      const post = (path: string, body: unknown) => fetch(`${emulator.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.text());
      await post('/openai/v1/chat/completions', { model: 'xai.grok-4.3', messages: [{ role: 'user', content: 'hi' }] });
      await post('/v1/chat/completions', { model: 'xai.grok-4.3', messages: [{ role: 'user', content: 'hi' }] });
      await post('/v1/chat/completions', { model: 'evil\u001b[31m\n::error title=x::forged', messages: [{ role: 'user', content: 'hi' }] });
      await fetch(`${emulator.url}/v1/models`).then((r) => r.text());
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await emulator.close();
    }
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} POST \/openai\/v1\/chat\/completions xai\.grok-4\.3 -> 200 \(\d+ ms\) quirks: createdAt\.chat=exponent$/);
    expect(lines[1]).toMatch(/POST \/v1\/chat\/completions xai\.grok-4\.3 -> 404 /);
    expect(lines[2]).toContain('-> 404');
    expect(lines[2]).not.toMatch(/\u001b|\n|::error/);
    expect(lines[3]).toMatch(/GET \/v1\/models - -> 200 /);
  });

  it('a connection closed before any answer says so', () => {
    expect(requestLine({ method: 'POST', path: '/v1/responses', model: 'm', status: 0, durationMs: 3 }, new Map())).toContain('m -> closed before an answer (3 ms)');
  });
});
