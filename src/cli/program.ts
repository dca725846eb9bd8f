/**
 * @module cli/program
 * The commands and their flags. Each action sets the exit code through `setExit`; errors propagate to main, which
 * maps them to exit codes.
 */
import { writeFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { ALL_CHECKS } from '../checks/registry.ts';
import { describeVocabulary } from '../suite/check-signature.ts';
import { loadCatalog } from '../suite/load-catalog.ts';
import { loadExpectations } from '../suite/load-expectations.ts';
import { loadSuites } from '../suite/load-suites.ts';
import { SCHEMA_FILES, schemaText } from '../suite/schema-files.ts';
import { startEmulatorFromFlags, type EmulatorFlags } from './emulator-command.ts';
import { fixturesCommand } from './fixtures-command.ts';
import { PROJECT_ROOT, VERSION, type Io } from './project.ts';
import { blessCommand, compareCommand, mergeCommand, reportCommand, tableCommand } from './report-commands.ts';
import { runCommand, type RunCommandFlags } from './run-command.ts';
import { resolveExpectations } from './run-options.ts';

function runOptions(command: Command): Command {
  return command
    .addOption(new Option('--mode <mode>', 'live: send to the endpoint; record: send and write fixtures; replay: answer from fixtures').choices(['live', 'record', 'replay']).default('replay'))
    .option('--region <regions>', 'Mantle region(s), comma separated (endpoint https://bedrock-mantle.<region>.api.aws); in replay, which recorded region(s) to use')
    .option('--endpoint <url>', 'any OpenAI-compatible base URL instead (gateway, PrivateLink name, local server)')
    .option('--target-name <name>', 'name of the target column and fixture folder (default: the region, or the endpoint host)')
    .option('--models <ids>', 'model ids, comma separated; ids not in the catalog are probed with no expectations (default: every catalog model)')
    .option('--checks <ids>', 'check ids or prefixes like stream.*, comma separated (default: all)')
    .option('--suites <dir>', 'folder of *.suite.yaml files (default: ./suites, else the bundled suites)')
    .option('--catalog <file>', 'model catalog (default: <suites>/models.yaml)')
    .option('--expectations <file>', 'reviewed expectations (default: <suites>/expectations.yaml when present)')
    .option('--no-expectations', 'ignore the expectations file: judge against the catalog and the references only')
    .option('--baseline <matrix.json>', 'compare with an earlier run; exit 1 on any new failure')
    .option('--fixtures <dir>', 'fixtures root for record and replay (default: ./fixtures, else the bundled fixtures)')
    .option('--report-dir <dir>', 'where the reports go (matrix.json, matrix.md, matrix.html, junit.xml) (default: ./reports)')
    .option('--api-key-env <name>', 'environment variable holding the Bedrock API key', 'AWS_BEARER_TOKEN_BEDROCK')
    .addOption(new Option('--auth <kind>', 'how to authenticate live requests').choices(['bearer', 'sigv4', 'token', 'none']).default('bearer'))
    .option('--profile <name>', 'AWS profile for --auth sigv4 / token')
    .option('--project <id>', 'send OpenAI-Project: <id>')
    .option('--header-env <header=ENV...>', 'send a header whose value is in an environment variable (gateway keys); never stored')
    .option('--timeout <ms>', 'per-request deadline in milliseconds', '60000')
    .option('--concurrency <n>', 'requests in flight at most, whole run', '8')
    .option('--model-concurrency <n>', 'requests in flight at most per model', '4')
    .option('--tpm <tokens>', 'token budget per model per minute (0: none)', '0')
    .option('--retries <n>', 'retries for 429, 5xx, timeouts and resets', '2')
    .option('--retry-delay <ms>', 'first retry backoff, doubled each retry (Retry-After wins)', '500')
    .option('--max-requests <n>', 'stop sending after this many requests (0: no cap)', '0')
    .option('--max-tokens-total <n>', 'stop sending after this many tokens (0: no cap)', '0')
    .option('--max-body-bytes <n>', 'largest response body kept in memory', String(8 * 1024 * 1024))
    .addOption(new Option('--source <source>', 'provenance written into recorded fixtures').choices(['live', 'emulator']).default('live'))
    .option('--repeat <n>', 'independent trials of every case whose checks depend on model behaviour (1-10; 3 recommended for live gating)', '1')
    .option('--max-errors <n>', 'errors of cells with no stated expectation the gate accepts (0-1000000); more fail the run', '5')
    .option('--run-id <id>', 'run id (give every shard of one run the same id)')
    .option('--openapi <file>', 'validate bodies and events against this OpenAI OpenAPI document instead of the project\'s schemas');
}

export function buildProgram(io: Io, vitestArgs: string[], setExit: (code: number) => void): Command {
  const program = new Command('mantle-conformance')
    .description('Conformance test harness for Amazon Bedrock Mantle and other OpenAI-compatible endpoints')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) })
    .showSuggestionAfterError(true);

  runOptions(
    program
      .command('run')
      .description('run the suites and write the compatibility matrix (default: replay the bundled recordings)')
      .argument('[filters...]', 'vitest file filters: model ids or parts of them (e.g. grok)')
      .option('--ui', 'open the vitest UI on the run')
      .option('--shard <i/n>', 'run shard i of n (vitest sharding, by model)')
      .option('-t, --test-name-pattern <pattern>', 'only checks whose name matches (vitest -t)')
      .option('--plain', 'plain progress lines even on a terminal')
      .option('--quiet', 'no progress or summary output')
      .addHelpText('after', '\nArguments after -- go to vitest as they are, e.g. -- --reporter=verbose\nExit codes: 0 pass, 1 a result gates, 2 usage/config/credentials, 3 internal error.'),
  ).action(async (filters: string[], flags: RunCommandFlags) => {
    const outcome = await runCommand(filters, { ...flags, vitestArgs }, PROJECT_ROOT, VERSION, io);
    setExit(outcome.exitCode);
  });

  program
    .command('validate')
    .description('check suites and catalog and exit (2 on any problem, with file:line:col)')
    .option('--suites <dir>', 'folder of *.suite.yaml files', 'suites')
    .option('--catalog <file>', 'model catalog (default: <suites>/models.yaml)')
    .option('--expectations <file>', 'expectations file (default: <suites>/expectations.yaml when present)')
    .action(async (flags: { suites: string; catalog?: string; expectations?: string }) => {
      const suites = await loadSuites(flags.suites, ALL_CHECKS);
      const catalog = await loadCatalog(flags.catalog ?? `${flags.suites}/models.yaml`, ALL_CHECKS);
      const file = await resolveExpectations(flags.expectations, flags.suites);
      const expectations = file ? await loadExpectations(file, ALL_CHECKS) : undefined;
      const stated = expectations ? [...expectations.byModel.values()].reduce((n, m) => n + m.size, 0) : 0;
      io.out.write(`ok: ${suites.cases.length} cases in ${suites.files.length} suite files, ${catalog.models.length} models in the catalog${expectations ? `, ${stated} expectations` : ''}\n`);
    });

  program
    .command('checks')
    .description('list every check: id, what it observes, its vocabulary')
    .addOption(new Option('--format <format>', 'output format').choices(['markdown', 'json']).default('markdown'))
    .action((flags: { format: string }) => {
      if (flags.format === 'json') {
        io.out.write(`${JSON.stringify(ALL_CHECKS.map((c) => ({ id: c.id, title: c.title, api: c.api, vocabulary: c.vocabulary, reference: c.reference ?? null, dependsOnModel: c.dependsOnModel ?? false })), null, 2)}\n`);
        return;
      }
      const rows = ALL_CHECKS.map((c) => `| \`${c.id}\` | ${c.title.replace(/\|/g, '\\|')} | ${describeVocabulary(c).replace(/"/g, '`')} | ${c.reference ? `\`${String(c.reference.value)}\`` : '–'} | ${c.dependsOnModel ? 'model' : 'endpoint'} |`);
      io.out.write(['| check | observes | observed | reference | behaviour of |', '|---|---|---|---|---|', ...rows, ''].join('\n'));
    });

  program
    .command('report')
    .description('render every report format again from a saved matrix.json')
    .argument('<matrix.json>')
    .option('--report-dir <dir>', 'where to write (default: next to the matrix)')
    .option('--baseline <matrix.json>', 'show changes against an earlier run')
    .action(async (file: string, flags: { reportDir?: string; baseline?: string }) => {
      setExit(await reportCommand(file, flags, io.out));
    });

  program
    .command('compare')
    .description('what changed between two runs: new failures, fixes, changed values, new and vanished models and checks (exit 1 on any new failure)')
    .argument('<old.json>')
    .argument('<new.json>')
    .option('--json', 'machine-readable output')
    .action(async (oldFile: string, newFile: string, flags: { json?: boolean }) => {
      setExit(await compareCommand(oldFile, newFile, flags, io.out));
    });

  program
    .command('merge')
    .description('merge matrices of shards or regions into one matrix (and every report)')
    .argument('<matrix.json...>')
    .option('--report-dir <dir>', 'where to write the merged reports', 'reports')
    .action(async (files: string[], flags: { reportDir: string }) => {
      setExit(await mergeCommand(files, flags, io.out));
    });

  program
    .command('bless')
    .description('accept a run\'s observed values into the expectations file (only values that differ; review the diff)')
    .argument('[matrix.json]', 'the run to accept', 'reports/matrix.json')
    .option('--expectations <file>', 'the expectations file to write (default: ./suites/expectations.yaml)')
    .option('--catalog <file>', 'the catalog (default: the one the run used)')
    .option('--all', 'also write observations of models and checks that have no stated expectation')
    .action(async (file: string, flags: { expectations?: string; catalog?: string; all?: boolean }) => {
      setExit(await blessCommand(file, flags, PROJECT_ROOT, io.out));
    });

  program
    .command('table')
    .description('a model x API capability table from one or more runs (one per region), with provenance per cell')
    .argument('<matrix.json...>')
    .addOption(new Option('--format <format>', 'output format').choices(['markdown', 'csv', 'json']).default('markdown'))
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--long', 'csv and json: one row per model and capability instead of one row per model')
    .action(async (files: string[], flags: { format: string; out?: string; long?: boolean }) => {
      setExit(await tableCommand(files, flags, io.out));
    });

  program
    .command('fixtures')
    .description('record the bundled fixtures from the local emulator into <fixtures>/emulator/')
    .option('--suites <dir>', 'folder of *.suite.yaml files', 'suites')
    .option('--catalog <file>', 'model catalog (default: <suites>/models.yaml)')
    .option('--fixtures <dir>', 'fixtures root', 'fixtures')
    .action(async (flags: { suites: string; catalog?: string; fixtures: string }) => {
      setExit(await fixturesCommand(flags, PROJECT_ROOT, VERSION, io));
    });

  program
    .command('emulator')
    .description('serve the local Mantle emulator (Ctrl-C to stop)')
    .option('--port <n>', 'port on the host', '4010')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--catalog <file>', 'model catalog whose documented behavior to play', 'suites/models.yaml')
    .option('--api-key-env <name>', 'require the key in this environment variable (default: accept any)')
    .addOption(new Option('--unknown-models <mode>', 'answer unknown model ids with Mantle\'s 404 or as a conformant generic model').choices(['not-found', 'generic']).default('not-found'))
    .option('--latency <ms>', 'added to every answer', '0')
    .option('--quirk <model:path=value...>', 'switch a quirk, e.g. xai.grok-4.3:createdAt.chat=exponent or openai.gpt-oss-20b:stream.omitDone=true')
    .option('--random', 'real clock and random ids instead of deterministic ones')
    .action(async (flags: EmulatorFlags) => {
      const emulator = await startEmulatorFromFlags(flags);
      io.out.write(`Mantle emulator on ${emulator.url} (base URL for OpenAI SDKs: ${emulator.url}/v1 or ${emulator.url}/openai/v1; Anthropic: ${emulator.url}/anthropic)\nCtrl-C to stop.\n`);
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      await emulator.close();
    });

  program
    .command('schema')
    .description('write the JSON Schemas for editors (suites/schema/*.schema.json)')
    .action(async () => {
      for (const file of SCHEMA_FILES) {
        await writeFile(`${PROJECT_ROOT}/${file.path}`, schemaText(file.schema));
        io.out.write(`wrote ${file.path}\n`);
      }
    });

  return program;
}
