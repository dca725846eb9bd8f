/**
 * Flags as users type them: every bad value is exit 2 naming the flag, before anything is sent; and every
 * command's --help says what the README says (every flag, its default and range, the exit codes).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { ROOT, catalogEmulator, cli } from './helpers/harness.ts';
import { createAuth } from '../src/transport/auth/create-auth.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-flags-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('bad flag values are exit 2 naming the flag', () => {
  it.each([
    [['--shard', '4/3'], '--shard'],
    [['--shard', '0/3'], '--shard'],
    [['--shard', 'abc'], '--shard'],
    [['--shard', '1/0'], '--shard'],
    [['--timeout', '3000000000'], '--timeout'],
    [['--timeout', '0'], '--timeout'],
    [['--timeout', '1e3'], '--timeout'],
    [['--concurrency', '0'], '--concurrency'],
    [['--concurrency', '257'], '--concurrency'],
    [['--model-concurrency', '1.5'], '--model-concurrency'],
    [['--retries', '11'], '--retries'],
    [['--retry-delay', '60001'], '--retry-delay'],
    [['--repeat', '11'], '--repeat'],
    [['--max-body-bytes', '10'], '--max-body-bytes'],
    [['--max-requests', ' 5'], '--max-requests'],
    [['--tpm', '0x10'], '--tpm'],
    [['-t', '['], '-t'],
    [['--test-name-pattern', '(a'], '-t'],
    [['grokk'], 'filter "grokk" matches no model'],
    [['-t', 'no-such-check-anywhere'], '-t "no-such-check-anywhere" matches no check'],
    [['--', '--shard', '5/4'], '--shard'],
    // An empty list (an unset shell variable) is never "all": a live run would send to every model.
    [['--models', ''], '--models: is empty'],
    [['--models', ' , '], '--models: is empty'],
    [['--checks', ''], '--checks: is empty'],
    [['--region', ','], '--region: is empty'],
    // A flag of one value given twice (a CI template that appends one) is refused, not "the last one wins".
    [['--shard', '2/3', '--shard', '1/3'], '--shard: given twice'],
    [['--models', 'xai.grok-4.3', '--models=qwen.qwen3-32b'], '--models: given twice'],
    [['-t', 'stream', '--test-name-pattern', 'created'], '--test-name-pattern: given twice'],
  ])('%j', async (args, named) => {
    // The harness's own flags go before any `--` (after it they are refused: cli/vitest-args.ts).
    const dash = args.indexOf('--');
    const [own, after] = dash === -1 ? [args, []] : [args.slice(0, dash), args.slice(dash)];
    const run = await cli(['run', ...own, '--quiet', '--report-dir', join(dir, 'never'), ...after]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`HARNESS_USAGE: ${named}`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('a port out of range is exit 2 naming --port', async () => {
    const run = await cli(['emulator', '--port', '70000']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('HARNESS_USAGE: --port');
  });
});

describe('before anything is sent', () => {
  let server: RunningEmulator;
  beforeAll(async () => {
    server = await catalogEmulator({}, { apiKey: 'flags-key-0123456789' });
  });
  afterAll(() => server.close());

  it('a report folder that cannot be written is exit 2 naming --report-dir, with no request sent', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a folder');
    const run = await cli(['run', '--mode', 'live', '--endpoint', server.url, '--models', 'zai.glm-5', '--report-dir', join(file, 'reports'), '--quiet'], {
      AWS_BEARER_TOKEN_BEDROCK: 'flags-key-0123456789',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/HARNESS_USAGE: --report-dir .*cannot write the reports there/);
    expect(server.stats.requests).toBe(0);
  });

  it('a missing key says how to reach a local server without one', async () => {
    const run = await cli(['run', '--mode', 'live', '--endpoint', server.url, '--models', 'zai.glm-5', '--report-dir', join(dir, 'no-key'), '--quiet'], { AWS_BEARER_TOKEN_BEDROCK: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('HARNESS_AUTH_MISSING');
    expect(run.stderr).toContain('--auth none');
    // A base URL that is not AWS's wants its own key: the fix leads with the variable to name, not a Bedrock key.
    expect(run.stderr).toMatch(/No API key: AWS_BEARER_TOKEN_BEDROCK is not set\. Name the variable that holds 127\.0\.0\.1:\d+'s key with --api-key-env NAME/);
    expect(run.stderr).not.toContain('Bedrock API key');
    expect(server.stats.requests).toBe(0);
  });

  it('a missing --header-env variable is named, even beside a key variable whose name it starts with', async () => {
    const run = await cli(['run', '--mode', 'live', '--endpoint', server.url, '--models', 'zai.glm-5', '--api-key-env', 'KEY', '--header-env', 'X-Org=KEY_ORG', '--report-dir', join(dir, 'no-org'), '--quiet'], { KEY: 'flags-key-0123456789', KEY_ORG: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--header-env X-Org=KEY_ORG: KEY_ORG is not set');
    expect(run.stderr).not.toContain('No API key');
    expect(server.stats.requests).toBe(0);
  });

  it('a missing key for a Mantle region asks for a Bedrock API key, before anything is sent', async () => {
    const run = await cli(['run', '--mode', 'live', '--region', 'us-east-1', '--models', 'zai.glm-5', '--report-dir', join(dir, 'no-key-region'), '--quiet'], { AWS_BEARER_TOKEN_BEDROCK: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Export a Bedrock API key');
  });
});

describe('values that become headers are checked before anything is sent', () => {
  let server: RunningEmulator;
  beforeAll(async () => {
    server = await catalogEmulator();
  });
  afterAll(() => server.close());

  const SECRET = 'gw-secret-0123456789';
  const live = (name: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
    cli(['run', '--mode', 'live', '--endpoint', server.url, '--models', 'xai.grok-4.3', '--checks', 'path-prefix', '--report-dir', join(dir, name), '--quiet', ...args], env);

  it.each([
    { name: '--project with a line break', args: ['--auth', 'none', '--project', 'a\nb'], env: {}, says: /HARNESS_USAGE: --project: "a\\nb" holds a line break/ },
    { name: '--project with a control character', args: ['--auth', 'none', '--project', 'a\u0007b'], env: {}, says: /HARNESS_USAGE: --project: .* holds a control character/ },
    { name: '--project empty', args: ['--auth', 'none', '--project', ''], env: {}, says: /HARNESS_USAGE: --project: "" is empty/ },
    { name: '--header-env whose variable holds CRLF', args: ['--auth', 'none', '--header-env', 'X-Ok=V'], env: { V: `${SECRET}\r\nX: 1` }, says: /HARNESS_USAGE: --header-env X-Ok=V: the value of V holds a line break \(not shown: it may be a secret\)/ },
    { name: '--header-env whose variable holds a non-Latin-1 character', args: ['--auth', 'none', '--header-env', 'X-Ok=V'], env: { V: `${SECRET}\u2028` }, says: /HARNESS_USAGE: --header-env X-Ok=V: the value of V holds a character a header cannot carry/ },
    { name: '--header-env naming a framing header', args: ['--auth', 'none', '--header-env', 'Content-Length=V'], env: { V: '5' }, says: /HARNESS_USAGE: --header-env: Content-Length frames the request/ },
    { name: '--header-env giving one header twice', args: ['--auth', 'none', '--header-env', 'X-Key=V', 'x-key=W'], env: { V: SECRET, W: SECRET }, says: /HARNESS_USAGE: --header-env: x-key is given twice; give each header once/ },
    { name: '--header-env Authorization beside bearer auth', args: ['--header-env', 'Authorization=V'], env: { V: SECRET, AWS_BEARER_TOKEN_BEDROCK: SECRET }, says: /HARNESS_USAGE: --header-env: Authorization is set by --auth bearer itself; to send your own, add --auth none/ },
    { name: '--header-env X-Amz-Security-Token beside sigv4', args: ['--auth', 'sigv4', '--region', 'us-east-1', '--header-env', 'X-Amz-Security-Token=V'], env: { V: SECRET }, says: /HARNESS_USAGE: --header-env: X-Amz-Security-Token is an X-Amz-\* header, which --auth sigv4 sets or would leave unsigned/ },
    { name: '--header-env OpenAI-Project beside --project', args: ['--auth', 'none', '--project', 'proj_1', '--header-env', 'OpenAI-Project=V'], env: { V: SECRET }, says: /HARNESS_USAGE: --header-env: OpenAI-Project is set by --project too; give one of them/ },
    { name: '--profile with bearer auth', args: ['--profile', 'dev'], env: { AWS_BEARER_TOKEN_BEDROCK: SECRET }, says: /HARNESS_USAGE: --profile: names AWS credentials, which --auth bearer does not use; add --auth sigv4 \(or --auth token\), or drop --profile/ },
    { name: 'an API key with a line break', args: [], env: { AWS_BEARER_TOKEN_BEDROCK: `${SECRET}\n${SECRET}` }, says: /HARNESS_USAGE: --api-key-env AWS_BEARER_TOKEN_BEDROCK: the value of AWS_BEARER_TOKEN_BEDROCK holds a line break/ },
  ])('$name is exit 2 naming the flag, not the secret, with no request sent', async ({ name, args, env, says }) => {
    const before = server.stats.requests;
    const run = await live(name.replace(/\W+/g, '-'), args, env);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toMatch(says);
    expect(run.stderr).not.toContain(SECRET);
    expect(run.stderr).not.toMatch(/Cannot reach|HARNESS_CONNECTION/);
    expect(server.stats.requests).toBe(before);
  });

  it('good values are sent as they are', async () => {
    const run = await live('good-headers', ['--auth', 'none', '--project', 'proj_abc123', '--header-env', 'X-Gateway-Key=V'], { V: SECRET });
    expect(run.code, run.stderr).toBe(0);
    const sent = server.stats.log.filter((entry) => entry.path.includes('/chat/completions'));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((entry) => entry.headers['openai-project'] === 'proj_abc123' && entry.headers['x-gateway-key'] === SECRET)).toBe(true);
  });

  it('a key too short to redact: refused when recording (fixtures are shared), warned of when live, never shown', async () => {
    const short = 'Ab3$x9Z';
    const common = ['--endpoint', server.url, '--models', 'xai.grok-4.3', '--checks', 'path-prefix', '--api-key-env', 'SHORT_KEY', '--quiet'];
    const before = server.stats.requests;
    const record = await cli(['run', '--mode', 'record', '--fixtures', join(dir, 'short-fixtures'), '--report-dir', join(dir, 'short-record'), ...common], { SHORT_KEY: short });
    expect(record.code, record.stderr).toBe(2);
    expect(record.stderr).toMatch(/HARNESS_USAGE: --api-key-env SHORT_KEY: the value of SHORT_KEY is shorter than 8 characters, too short to redact/);
    expect(server.stats.requests).toBe(before);
    const live = await cli(['run', '--mode', 'live', '--report-dir', join(dir, 'short-live'), ...common], { SHORT_KEY: short });
    expect(live.code, live.stderr).toBe(0);
    expect(live.stderr).toMatch(/warning: --api-key-env SHORT_KEY: the value of SHORT_KEY is shorter than 8 characters/);
    for (const out of [record.stdout, record.stderr, live.stdout, live.stderr]) expect(out).not.toContain(short);
    // Spaces around it are not part of what is sent (the key is trimmed, HTTP drops them around a header value):
    // measured as sent, a padded short key or header value is refused too.
    const sentBefore = server.stats.requests;
    const padded = await cli(['run', '--mode', 'record', '--fixtures', join(dir, 'short-fixtures'), '--report-dir', join(dir, 'short-padded'), ...common], { SHORT_KEY: `   ${short}   ` });
    expect(padded.code, padded.stderr).toBe(2);
    expect(padded.stderr).toMatch(/HARNESS_USAGE: --api-key-env SHORT_KEY: the value of SHORT_KEY is shorter than 8 characters/);
    const header = await cli(['run', '--mode', 'record', '--fixtures', join(dir, 'short-fixtures'), '--report-dir', join(dir, 'short-header'), ...common, '--auth', 'none', '--header-env', 'X-Gw-Key=GW'], { SHORT_KEY: SECRET, GW: `  ${short}  ` });
    expect(header.code, header.stderr).toBe(2);
    expect(header.stderr).toMatch(/HARNESS_USAGE: --header-env X-Gw-Key=GW: the value of GW is shorter than 8 characters/);
    expect(server.stats.requests).toBe(sentBefore);
  });

  it('a --header-env value is sent and redacted as sent: without the spaces around it', () => {
    const auth = createAuth({ kind: 'none', apiKeyEnv: 'UNUSED', headerEnv: [{ header: 'X-Gw-Key', env: 'GW' }] }, { GW: '  gwk3y9Qz7P-long  ' });
    expect(auth.secrets().map((s) => s.value)).toContain('gwk3y9Qz7P-long');
    expect(auth.secrets().map((s) => s.value)).not.toContain('  gwk3y9Qz7P-long  ');
    expect(() => createAuth({ kind: 'none', apiKeyEnv: 'UNUSED', headerEnv: [{ header: 'X-Gw-Key', env: 'GW' }] }, { GW: '   ' })).toThrow(/GW is not set \(it holds only spaces\)/);
  });

  it('an Authorization of your own is sent with --auth none', async () => {
    const before = server.stats.log.length;
    const run = await live('own-authorization', ['--auth', 'none', '--header-env', 'Authorization=V'], { V: `Bearer ${SECRET}` });
    expect(run.code, run.stderr).toBe(0);
    const sent = server.stats.log.slice(before).filter((entry) => entry.path.includes('/chat/completions'));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((entry) => entry.headers.authorization === `Bearer ${SECRET}`)).toBe(true);
  });
});

/** Each option of a `--help` text: its flag, its description and its default as printed. */
function helpOptions(help: string): Map<string, { text: string; default?: string }> {
  const options = new Map<string, { text: string; default?: string }>();
  const section = help.slice(help.indexOf('Options:'));
  let current: { flag: string; text: string } | undefined;
  const flush = () => {
    if (!current) return;
    const text = current.text.replace(/\s+/g, ' ').trim();
    const shown = /default: (.+?)\)$/.exec(text)?.[1]?.replace(/"/g, '');
    options.set(current.flag, { text, ...(shown !== undefined ? { default: shown } : {}) });
  };
  for (const line of section.split('\n').slice(1)) {
    const start = /^ {2}(?:-\w, )?(--[\w-]+|-\w)(?: <[^>]+>)?(?:\s{2,}(.*))?$/.exec(line);
    if (start) {
      flush();
      current = { flag: start[1]!, text: start[2] ?? '' };
    } else if (current && /^\s{6,}\S/.test(line)) {
      current.text += ` ${line.trim()}`;
    } else if (line.trim() === '' || !line.startsWith(' ')) {
      flush();
      current = undefined;
      if (!line.startsWith(' ') && line.trim() !== '') break;
    }
  }
  flush();
  options.delete('--help');
  options.delete('--version');
  return options;
}

/** The rows of the README table that starts right after `heading`. */
function tableAfter(readme: string, heading: string): string[][] {
  const lines = readme.slice(readme.indexOf(heading)).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim()));
  }
  return rows;
}

const plain = (cell: string) => cell.replace(/`/g, '').replace(/\\\|/g, '|').trim();
const flagOf = (cell: string) => /(--[\w-]+)/.exec(cell)?.[1];

describe('a URL quoted in a usage error', () => {
  const PASSWORD = 'S3cretPassw0rd';
  it.each([
    { args: ['--endpoint', `http://admin:${PASSWORD}@127.0.0.1:99999/`], says: '--endpoint: "http://127.0.0.1:99999/" (its user info left out) is not a URL' },
    { args: ['--endpoint', `ftp://admin:${PASSWORD}@127.0.0.1/`], says: '--endpoint: "ftp://127.0.0.1/" (its user info left out) must be http or https' },
    { args: ['--endpoint', `http://127.0.0.1:99999/?api-key=${PASSWORD}`], says: '--endpoint: "http://127.0.0.1:99999/" (its query left out) is not a URL' },
    { args: ['--endpoint', `http://admin:${PASSWORD}/?#@127.0.0.1:99999/?k=${PASSWORD}`], says: '--endpoint: "http://127.0.0.1:99999/" (its user info and query left out) is not a URL' },
    { args: ['--targets', `mantel:local=http://admin:${PASSWORD}@127.0.0.1:47002`], says: '--targets: "mantel:local=http://127.0.0.1:47002" (its user info left out): "mantel" is not one of' },
    { args: ['--targets', `mantle:local=http://admin:${PASSWORD}@127.0.0.1:99999`], says: '--targets: "http://127.0.0.1:99999" (its user info left out) is not a URL' },
    // Nothing to leave out: quoted as given.
    { args: ['--endpoint', 'http://127.0.0.1:99999/v1'], says: '--endpoint: "http://127.0.0.1:99999/v1" is not a URL' },
  ])('$args.1 is quoted without its credentials', async ({ args, says }) => {
    const run = await cli(['run', '--mode', 'live', '--auth', 'none', ...args, '--quiet', '--report-dir', join(dir, 'never')]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`HARNESS_USAGE: ${says}`);
    expect(run.stderr).not.toContain(PASSWORD);
  });
});

describe('--help matches the README', () => {
  let readme: string;
  beforeAll(async () => {
    readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  });

  async function help(...command: string[]): Promise<string> {
    const run = await cli([...command, '--help']);
    expect(run.code).toBe(0);
    return run.stdout;
  }

  function expectSameFlags(options: Map<string, { text: string; default?: string }>, rows: { flag: string; range: string; default: string }[], where: string) {
    expect([...options.keys()].sort(), where).toEqual(rows.map((r) => r.flag).sort());
    for (const row of rows) {
      const option = options.get(row.flag)!;
      expect(option.default ?? '', `${where} ${row.flag} default`).toBe(plain(row.default));
      const range = /\((\d+-\d+)\)/.exec(option.text)?.[1] ?? '';
      expect(range, `${where} ${row.flag} range`).toBe(row.range);
    }
  }

  it('run: every flag, its default and its range', async () => {
    const rows = tableAfter(readme, '## Flags of `run`')
      .map(([flag, , range, shown]) => ({ flag: flagOf(flag!) ?? '', range: range!, default: shown! }))
      .filter((r) => r.flag !== '' && r.flag !== '--');
    expectSameFlags(helpOptions(await help('run')), rows, 'run');
  });

  it('every other command: every flag, its default and its range', async () => {
    const rows = tableAfter(readme, '### Flags of the other commands').map(([command, flag, , range, shown]) => ({ command: plain(command!), flag: flagOf(flag!)!, range: range!, default: shown! }));
    for (const command of ['validate', 'checks', 'report', 'compare', 'merge', 'bless', 'history', 'table', 'fixtures', 'fixtures prune', 'emulator', 'schema', 'catalog diff']) {
      expectSameFlags(helpOptions(await help(...command.split(' '))), rows.filter((r) => r.command === command), command);
    }
  });

  it('the exit codes, 130 included, word for word', async () => {
    const codes = tableAfter(readme, '## Exit codes').map(([code, when]) => `${code!.padEnd(4)} ${plain(when!)}`);
    expect(codes.map((c) => c.split(' ')[0])).toEqual(['0', '1', '2', '3', '130']);
    for (const text of [await help('run'), await help()]) {
      const printed = text.slice(text.indexOf('Exit codes:')).split('\n').slice(1, 6).map((l) => l.trim().replace(/\s{2,}/, ' '));
      expect(printed).toEqual(codes.map((c) => c.replace(/\s+/, ' ')));
    }
  });

  it("run --help describes --target-name's default as the README does", async () => {
    const row = tableAfter(readme, '## Flags of `run`').find(([flag]) => flag!.startsWith('`--target-name'))!;
    expect(helpOptions(await help('run')).get('--target-name')?.default).toBe(plain(row[3]!));
  });
});

// `--history "$UNSET_VAR"` in a CI job resolved to the working folder: the run file landed in the checkout, exit 0
// (review of 2026-12-05); `fixtures prune --fixtures ""` pruned it.
describe('an empty path is refused, not read as the current folder', () => {
  it.each([
    [['run', '--history', ''], '--history'],
    [['run', '--report-dir', '  '], '--report-dir'],
    [['fixtures', 'prune', '--fixtures', ''], '--fixtures'],
    [['history', ''], '<dir>'],
    [['report', ''], '<matrix.json>'],
    [['merge', 'a.json', ''], '<matrix.json>'],
    [['table', 'a.json', '--out', ''], '--out'],
    [['catalog', '--catalog', '', 'diff', '--mode', 'replay'], '--catalog'],
  ])('%j: exit 2 naming %s', async (args, name) => {
    // In a folder of its own: were the path read as the current folder, this is what it would write into or prune.
    const cwd = await mkdtemp(join(tmpdir(), 'empty-path-'));
    try {
      const result = await cli(args, {}, cwd);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`HARNESS_USAGE: ${name}: an empty path would be the current folder`);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
