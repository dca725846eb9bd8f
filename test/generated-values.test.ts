/**
 * Values made in code for the suites (`{{generated.png-<colour>}}`, `{{generated.prose-<tokens>}}`): a real PNG
 * of one colour, a few hundred bytes, the same bytes on every run and platform (a recorded request must match its
 * replay), and templates that name an unknown value stop the load with the file and line.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import { colourOfPng, estimateTokens, generatedValue, IMAGE_COLOURS, IMAGE_SIZE, prose, solidPngBase64 } from '../src/suite/generated.ts';
import { loadSuites } from '../src/suite/load-suites.ts';
import { renderTemplates } from '../src/suite/templates.ts';

/** The chunks of a PNG by type, each CRC checked against zlib's own crc32 (Node 20.15 and later). */
function chunks(png: Buffer): Map<string, Buffer> {
  const crc32 = (zlib as unknown as { crc32?: (data: Buffer) => number }).crc32;
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const found = new Map<string, Buffer>();
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    found.set(type, png.subarray(at + 8, at + 8 + length));
    if (crc32) expect(png.readUInt32BE(at + 8 + length), `${type} CRC`).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
    at += 12 + length;
  }
  return found;
}

describe('generated PNGs', () => {
  it.each(Object.keys(IMAGE_COLOURS) as (keyof typeof IMAGE_COLOURS)[])('png-%s is a %dx%d PNG of that one colour, a few hundred bytes', (colour) => {
    const png = Buffer.from(solidPngBase64(colour), 'base64');
    expect(png.length).toBeGreaterThan(100);
    expect(png.length).toBeLessThan(1000);
    const parts = chunks(png);
    const header = parts.get('IHDR')!;
    expect([header.readUInt32BE(0), header.readUInt32BE(4), header[8], header[9]]).toEqual([IMAGE_SIZE, IMAGE_SIZE, 1, 3]);
    expect([...parts.get('PLTE')!]).toEqual([...IMAGE_COLOURS[colour]]);
    // zlib's own inflate reads the stored block: every row is filter 0 and palette index 0.
    const raw = zlib.inflateSync(parts.get('IDAT')!);
    expect(raw.length).toBe(IMAGE_SIZE * (1 + IMAGE_SIZE / 8));
    expect(raw.every((byte) => byte === 0)).toBe(true);
    expect(parts.has('IEND')).toBe(true);
    expect(colourOfPng(`data:image/png;base64,${solidPngBase64(colour)}`)).toBe(colour);
  });

  it('are the same bytes every time (a recorded request matches its replay)', () => {
    expect(generatedValue('png-green')).toBe(solidPngBase64('green'));
    // Pinned: a change here changes every recorded image request, so the fixtures must be recorded again.
    expect(createHash('sha256').update(solidPngBase64('green')).digest('hex')).toBe('e8e7a6f8fd6e1443522cacb8600379df3d1acb246fede989e6f06f3d6f1f3b4f');
  });

  it('an image the harness did not make has no colour', () => {
    expect(colourOfPng('iVBORw0KGgo=')).toBeUndefined();
  });
});

describe('generated prose', () => {
  it('is about the tokens asked for, deterministic, and plain text', () => {
    const text = prose(5000);
    expect(estimateTokens(text)).toBe(5000);
    expect(prose(5000)).toBe(text);
    expect(text).toMatch(/^Clause 1: [a-z ]+\. Clause 2: /);
    // Pinned: a change here changes the recorded prompt-cache requests.
    expect(createHash('sha256').update(text).digest('hex')).toBe('211af8a3a6af7e1a31136dec0235dd3f277f733aaebe9a6437a90c8d283b26be');
  });
});

describe('{{generated.<name>}} templates', () => {
  const scope = { model: 'm', step: () => undefined };
  it('render inside a string and as a whole value', () => {
    const rendered = renderTemplates({ url: 'data:image/png;base64,{{generated.png-red}}', data: '{{generated.png-red}}' }, scope) as Record<string, string>;
    expect(rendered.url).toBe(`data:image/png;base64,${solidPngBase64('red')}`);
    expect(rendered.data).toBe(solidPngBase64('red'));
  });

  it('keep every key of a body as its own, in order: a key named __proto__ stays data, never the prototype', () => {
    const rendered = renderTemplates(JSON.parse('{"a": 1, "__proto__": {"polluted": "{{generated.png-red}}"}, "b": "{{generated.png-red}}"}'), scope) as Record<string, unknown>;
    expect(Object.keys(rendered)).toEqual(['a', '__proto__', 'b']);
    expect(Object.getPrototypeOf(rendered)).toBe(Object.prototype);
    expect((rendered as { polluted?: unknown }).polluted).toBeUndefined();
    expect(JSON.stringify(rendered)).toBe(`{"a":1,"__proto__":{"polluted":"${solidPngBase64('red')}"},"b":"${solidPngBase64('red')}"}`);
  });

  it('an unknown name stops the load with file:line:col and the forms that exist', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'generated-'));
    try {
      await writeFile(
        join(dir, 'bad.suite.yaml'),
        ['suite: bad', 'cases:', '  - id: bad.image', '    title: t', '    api: chat-completions', '    request:', '      body:', '        messages: [{ role: user, content: "{{generated.png-purple}} {{generated.prose-0}} {{generated.jpeg-red}}" }]', '    checks: [images.chat]', ''].join('\n'),
      );
      const error = await loadSuites(dir, ALL_CHECKS).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      const message = (error as Error).message;
      expect(message).toMatch(/bad\.suite\.yaml:8:\d+ .*unknown colour "purple"/);
      expect(message).toContain('prose-0: the length must be 1 to');
      expect(message).toContain('unknown generated value "jpeg-red"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
