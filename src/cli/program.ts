/**
 * @module cli/program
 * The commands and their flags. Each action sets the exit code through `setExit`; errors propagate to main, which
 * maps them to exit codes. An action loads what it needs when it runs (`--help` and `checks` load no SDK, schema
 * compiler or test runner), so the command line answers at once.
 */
import { Command, Option } from 'commander';
import { refuseEmptyPaths } from './empty-paths.ts';
import { withParentOptions } from './parent-options.ts';
import type { EmulatorFlags } from './emulator-command.ts';
import { PROJECT_ROOT, VERSION, type Io } from './project.ts';
import type { RunCommandFlags } from './run-command.ts';
import { HarnessError } from '../errors.ts';
import { STOPPING_SIGNALS } from '../signals.ts';
import { DEFAULTS } from '../run/run-config.ts';
import { describeRange, EMULATOR_LATENCY, EMULATOR_PORT, HISTORY_LAST, intFlag, RUN_RANGES, type NumericRange } from './run-options.ts';


/** A numeric flag: its range and default are part of its help, the same words as the README's flags table. */
function numeric(flags: string, description: string, range: NumericRange, fallback: number, shown = String(fallback)): Option {
  return new Option(flags, `${description} (${describeRange(range)})`).default(String(fallback), shown);
}

/** A flag whose default is not a value (it depends on other flags): shown in the help as the README states it. */
function withDefault(flags: string, description: string, shown: string): Option {
  return new Option(flags, `${description} (default: ${shown})`);
}

function runOptions(command: Command): Command {
  return command
    .addOption(new Option('--mode <mode>', 'live: send to the endpoint; record: send and write fixtures; replay: answer from fixtures').choices(['live', 'record', 'replay']).default('replay'))
    .addOption(withDefault('--region <regions>', 'Mantle region(s), comma separated (endpoint https://bedrock-mantle.<region>.api.aws); in replay, which recorded region folders to use (region names only: replay another recorded target with --targets or --target-name)', 'replay: every folder under --fixtures'))
    .option('--endpoint <url>', 'any OpenAI-compatible base URL instead (gateway, PrivateLink name, local server)')
    .addOption(withDefault('--surface <surface>', 'mantle, runtime or custom: the endpoint surface of --region/--endpoint targets (routes, SigV4 service, documented claims); runtime: https://bedrock-runtime.<region>.amazonaws.com', 'from the host: mantle, runtime, else custom'))
    .option('--targets <list>', 'surfaces and regions in one run, comma separated: surface:region (mantle:us-east-1,runtime:us-east-1) or surface:name=URL for a local endpoint; in replay surface:name')
    .addOption(withDefault('--target-name <name>', 'name of the target column and fixture folder', 'the region, or host_port of --endpoint'))
    .addOption(withDefault('--models <ids>', 'model ids, comma separated; ids not in the catalog are probed with no expectations; listed: every id the target lists; catalog+listed: those and the catalog', 'every catalog model'))
    .addOption(withDefault('--checks <ids>', 'check ids or prefixes like stream.*, comma separated', 'all'))
    .addOption(withDefault('--suites <dir>', 'folder of *.suite.yaml files', './suites, else the bundled suites'))
    .addOption(withDefault('--catalog <file>', 'model catalog', '<--suites>/models.yaml; without --suites ./suites/models.yaml, else the bundled catalog'))
    .addOption(withDefault('--expectations <file>', 'reviewed expectations', 'with --suites: its expectations.yaml, when present; without: ./suites/expectations.yaml when it is a file, else the bundled one while the catalog is the bundled one'))
    .option('--no-expectations', 'ignore the expectations file: judge against the catalog and the references only')
    .option('--baseline <matrix.json>', 'compare with an earlier run; exit 1 on any new failure, or when nothing was compared (no cell of the run has a result in it)')
    .addOption(withDefault('--fixtures <dir>', 'fixtures root for record and replay; record writes ./fixtures (made if missing), never the bundled fixtures unless --fixtures names them', './fixtures; replay: else the bundled fixtures'))
    .addOption(withDefault('--report-dir <dir>', 'where the reports go (matrix.json, matrix.md, matrix.html, junit.xml); checked writable before anything is sent', 'reports'))
    .option('--history <dir>', 'append the run to this history folder (one file per run; read it with mantle-conformance history); checked writable before anything is sent')
    .addOption(new Option('--auth <kind>', 'how to authenticate live requests (none: a local server)').choices(['bearer', 'sigv4', 'token', 'none']).default('bearer'))
    .addOption(withDefault('--api-key-env <name>', 'environment variable holding the Bedrock API key', 'AWS_BEARER_TOKEN_BEDROCK'))
    .addOption(withDefault('--profile <name>', 'AWS profile for --auth sigv4 / token', 'default chain'))
    .option('--project <id>', 'send OpenAI-Project: <id>')
    .option('--header-env <header=ENV...>', 'send a header whose value is in an environment variable (gateway keys); never stored')
    .addOption(numeric('--timeout <ms>', 'per-request deadline in milliseconds (headers and body)', RUN_RANGES['--timeout'], DEFAULTS.timeoutMs))
    .addOption(numeric('--idle-timeout <ms>', 'longest silence between two reads of a body once it began; past it the answer is stalled (a verdict, not an error; a record run keeps the earlier recording), 0: none', RUN_RANGES['--idle-timeout'], DEFAULTS.idleTimeoutMs))
    .addOption(numeric('--concurrency <n>', 'requests in flight at most, whole run', RUN_RANGES['--concurrency'], DEFAULTS.concurrency))
    .addOption(numeric('--model-concurrency <n>', 'requests in flight at most per (target, model)', RUN_RANGES['--model-concurrency'], DEFAULTS.modelConcurrency))
    .addOption(numeric('--tpm <tokens>', 'token budget per model per minute, 0: none', RUN_RANGES['--tpm'], DEFAULTS.tpm))
    .addOption(numeric('--retries <n>', 'retries for 429, 5xx, timeouts and resets', RUN_RANGES['--retries'], DEFAULTS.retries))
    .addOption(numeric('--retry-delay <ms>', 'first retry backoff, doubled each retry (Retry-After wins)', RUN_RANGES['--retry-delay'], DEFAULTS.retryDelayMs))
    .addOption(numeric('--max-requests <n>', 'stop sending after this many requests, 0: no cap', RUN_RANGES['--max-requests'], DEFAULTS.maxRequests))
    .addOption(numeric('--max-tokens-total <n>', 'a ceiling on tokens: a request goes only when its --tpm estimate fits in what is left (usage as reported; an answer that reports none counts its estimate), 0: no cap', RUN_RANGES['--max-tokens-total'], DEFAULTS.maxTokensTotal))
    .addOption(numeric('--give-up-after <n>', 'stop sending to a target after this many requests in a row got no answer at all (timeouts, refused or reset connections, after their retries) and it answered nothing for --timeout; its checks not yet sent are error and the run partial, 0: never', RUN_RANGES['--give-up-after'], DEFAULTS.giveUpAfter))
    .addOption(numeric('--max-body-bytes <n>', 'largest response body kept in memory, counted after decoding gzip/deflate/br', RUN_RANGES['--max-body-bytes'], DEFAULTS.maxBodyBytes, '8388608 (8 MiB)'))
    .addOption(numeric('--repeat <n>', 'independent trials of every case whose checks depend on model behaviour; 3 is recommended for live gating (replay repeats what was recorded)', RUN_RANGES['--repeat'], DEFAULTS.repeat))
    .addOption(numeric('--max-errors <n>', 'cells with no stated expectation that may be error before the gate fails', RUN_RANGES['--max-errors'], DEFAULTS.maxErrors))
    .option('--overwrite-failures', 'record only: replace a case\'s fixture even when its new exchanges hold an infrastructure failure, a stall or a denial; without it the previous fixture is kept')
    .addOption(new Option('--source <source>', 'record only: provenance written into recorded fixtures').choices(['live', 'emulator']).default('live'))
    .addOption(withDefault('--run-id <id>', 'run id (give every shard of one run the same id)', 'generated'))
    .addOption(withDefault('--openapi <file>', 'validate OpenAI objects against this OpenAPI document (same transform and tolerances as the bundled schemas)', 'bundled schemas'));
}

/** Exit codes, word for word as the README's table states them (a test compares). */
const EXIT_CODES_HELP = [
  'Exit codes:',
  '  0    nothing gates',
  '  1    the gate fails: a result gates (a replay\'s cell whose recording is missing or unusable among them, whatever --max-errors allows), a model observed nothing, more errors than --max-errors, a partial run (a model list not read whole included), a listed id the harness cannot use as a model id, or an incomplete merge, a new failure since --baseline, a --baseline that compared nothing (no cell of the run has a result in it: another endpoint, another model, other checks) or that did not finish before cells of the run (interrupted, a missing shard: not compared), or a record run that kept previous fixtures because the endpoint failed or kept a file at a case\'s path that is not a fixture it can read (run, merge, and report of a saved run, its gate recomputed); compare: something regressed (a new failure, a (target, model) pair the baseline observed that the newer run asked and observed nothing of, or a baseline target it observed that the newer run has no cell of), the newer run did not finish or the baseline did not reach cells of it (interrupted, a missing shard), or nothing was compared (no cell); compare --by surface: a surface did not observe a model of a pair, nothing was compared (no site run on both surfaces, or no check or model in common), or the run is a shard or did not finish; catalog --check: a finding on a catalog that loads; catalog diff: a new id listed, an id listed that the harness cannot use as a model id, or a model list not read whole',
  '  2    usage or configuration error (bad flag, bad suite/catalog/expectations file, with file:line:col; a bad matrix.json, with the file and the JSON path of the first bad field), missing or rejected credentials, unreachable endpoint; nothing was sent (or only the one preflight request), except when the credentials are rejected mid-run (a key that expired or was revoked): the run stops there and its partial matrix is written (the console names the partial reports and says their gate is not the exit code); and a report, a fixture or the command\'s output that could not be written (HARNESS_DISK_FULL, HARNESS_WRITE_FAILED: a full disk, standard output sent where it cannot be written; a reader that closes the pipe early, on standard output or standard error, is no error and decides nothing: what would be written there is dropped, and the command finishes its work and ends with its own exit code)',
  '  3    the harness itself broke (a bug: please report it with the command line)',
  '  130  interrupted with Ctrl-C or SIGTERM; once the run has started, the partial matrix was written and its gate says interrupted (report of that matrix exits 130 too); before that (files, model lists, the credentials check) no reports are written',
].join('\n');

export function buildProgram(io: Io, vitestArgs: string[], setExit: (code: number) => void): Command {
  const program = new Command('mantle-conformance')
    .description('Conformance test harness for Amazon Bedrock Mantle and other OpenAI-compatible endpoints')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) })
    .showSuggestionAfterError(true)
    // `catalog diff` has its own --catalog: a parent's options are read only before a subcommand's name.
    .enablePositionalOptions()
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n`)
    .hook('preAction', (_program, command) => refuseEmptyPaths(command));

  runOptions(
    program
      .command('run')
      .description('run the suites and write the compatibility matrix (default: replay the bundled recordings)')
      .argument('[filters...]', 'model filters: model ids or parts of them (e.g. grok), as vitest file filters')
      .option('--ui', 'run on vitest and open its UI')
      .option('--shard <i/n>', 'run shard i of n, 1 <= i <= n (by target and model: the selected (target, model) pairs in name order)')
      .option('-t, --test-name-pattern <pattern>', 'only checks whose name ("<model> <check>") matches this regular expression (vitest -t)')
      .option('--plain', 'plain progress lines even on a terminal')
      .option('--quiet', 'no progress or summary output')
      .addOption(withDefault('--threads <n>', `replay only: threads that judge the recordings (this one and n - 1 worker threads) (${describeRange(RUN_RANGES['--threads'])})`, String(DEFAULTS.threads)))
      .addHelpText('after', `\nArguments after -- run the checks on vitest and go to it as they are, e.g. -- --reporter=verbose\n${EXIT_CODES_HELP}\n`),
  ).action(async (filters: string[], flags: RunCommandFlags) => {
    const { runCommand } = await import('./run-command.ts');
    const outcome = await runCommand(filters, { ...flags, vitestArgs }, PROJECT_ROOT, VERSION, io);
    setExit(outcome.exitCode);
  });

  program
    .command('validate')
    .description('check suites and catalog and exit (2 on any problem, with file:line:col)')
    .addOption(withDefault('--suites <dir>', 'folder of *.suite.yaml files', './suites, else the bundled suites'))
    .addOption(withDefault('--catalog <file>', 'model catalog', '<--suites>/models.yaml; without --suites ./suites/models.yaml, else the bundled catalog'))
    .addOption(withDefault('--expectations <file>', 'expectations file', 'with --suites: its expectations.yaml, when present; without: ./suites/expectations.yaml when it is a file, else the bundled one while the catalog is the bundled one'))
    .action(async (flags: { suites?: string; catalog?: string; expectations?: string }) => {
      await (await import('./validate-command.ts')).validateCommand(flags, io);
    });

  const catalogCommand = program
    .command('catalog')
    .description('list the catalog\'s models; --check reviews every claim for its source (exit 1 listing findings); `catalog diff` compares it with the endpoints\' model lists')
    .addOption(withDefault('--catalog <file>', 'model catalog', './suites/models.yaml, else the bundled catalog'))
    .option('--check', 'list claims without a source or with an unknown or unused one, unverified sources not marked, unknown regions, claims on APIs a model does not serve')
    .addHelpText('after', '\nExit codes: 0 nothing found, 1 findings (--check), 2 the file cannot be read, is not YAML or does not load (every finding still listed).')
    .action(async (flags: { catalog?: string; check?: boolean }) => {
      const { catalogCommand } = await import('./catalog-command.ts');
      setExit(await catalogCommand({ ...flags, catalog: await catalogOf(flags) }, io.out));
    });

  program
    .command('checks')
    .description('list every check: id, what it observes, its vocabulary')
    .addOption(new Option('--format <format>', 'output format').choices(['markdown', 'json']).default('markdown'))
    .action(async (flags: { format: string }) => {
      const [{ ALL_CHECKS }, { describeVocabulary }, { printedJson }] = await Promise.all([import('../checks/registry.ts'), import('../suite/check-signature.ts'), import('../report/inert-text.ts')]);
      if (flags.format === 'json') {
        // One type per field for tooling that iterates it: a number check's vocabulary is no list of words, so it is
        // an empty list, and `observedType` says what its observed value is.
        const listed = ALL_CHECKS.map((c) => {
          const number = c.vocabulary === 'number-or-null';
          return { id: c.id, title: c.title, api: c.api, vocabulary: number ? [] : c.vocabulary, observedType: number ? 'number' : 'word', reference: c.reference ?? null, dependsOnModel: c.dependsOnModel ?? false };
        });
        io.out.write(printedJson(listed));
        return;
      }
      const rows = ALL_CHECKS.map((c) => `| \`${c.id}\` | ${c.title.replace(/\|/g, '\\|')} | ${describeVocabulary(c).replace(/"/g, '`')} | ${c.reference ? `\`${String(c.reference.value)}\`` : '–'} | ${c.dependsOnModel ? 'model' : 'endpoint'} |`);
      io.out.write(['| check | observes | observed | reference | behaviour of |', '|---|---|---|---|---|', ...rows, ''].join('\n'));
    });

  program
    .command('report')
    .description('render every report format again from a saved matrix.json; exits with its gate (recomputed, with --baseline against that run)')
    .argument('<matrix.json>')
    .addOption(withDefault('--report-dir <dir>', 'where to write', 'next to the matrix'))
    .option('--baseline <matrix.json>', 'show changes against an earlier run; exit 1 on a new failure, or when nothing was compared')
    .action(async (file: string, flags: { reportDir?: string; baseline?: string }) => {
      const { reportCommand } = await import('./report-commands.ts');
      setExit(await reportCommand(file, flags, io.out, io.err));
    });

  program
    .command('compare')
    .description('what changed between two runs: new failures, fixes, changed values, new and vanished models and checks (exit 1 on any new failure, when the newer run did not finish, or when nothing was compared); --by surface: what changes for an app moving from Mantle to bedrock-runtime, from one run of both surfaces (or one run of each)')
    .argument('<matrix.json...>', 'old.json new.json; with --by surface, one or more runs')
    .option('--json', 'machine-readable output')
    .addOption(new Option('--by <dimension>', 'surface: the migration view, per model the cells that differ between Mantle and bedrock-runtime of one site').choices(['surface']))
    .action(async (files: string[], flags: { json?: boolean; by?: 'surface' }) => {
      const { compareCommand, compareSurfacesCommand } = await import('./report-commands.ts');
      if (flags.by === 'surface') {
        setExit(await compareSurfacesCommand(files, flags, io.out));
        return;
      }
      if (files.length !== 2) throw new HarnessError('HARNESS_USAGE', `compare: give two matrix.json files (old, new); got ${files.length}. For the migration view of one run, add --by surface`);
      setExit(await compareCommand(files[0]!, files[1]!, flags, io.out, io.err));
    });

  program
    .command('merge')
    .description('merge matrices of shards or regions into one matrix (and every report)')
    .argument('<matrix.json...>')
    .option('--report-dir <dir>', 'where to write the merged reports', 'reports')
    .option('--expect-targets <ids>', 'comma-separated target ids the merge must hold (one run per region): one no input has makes it partial, exit 1')
    .action(async (files: string[], flags: { reportDir: string; expectTargets?: string }) => {
      const { mergeCommand } = await import('./report-commands.ts');
      setExit(await mergeCommand(files, flags, io.out, io.err));
    });

  program
    .command('bless')
    .description('accept a run\'s observed values into the expectations file (only values that differ; review the diff)')
    .argument('[matrix.json]', 'the run to accept', 'reports/matrix.json')
    .addOption(withDefault('--expectations <file>', 'the expectations file to write', './suites/expectations.yaml'))
    .addOption(withDefault('--catalog <file>', 'the catalog', 'the one the run used'))
    .option('--all', 'also write every observed value the file does not state, not only those that differ')
    .action(async (file: string, flags: { expectations?: string; catalog?: string; all?: boolean }) => {
      const { blessCommand } = await import('./bless-command.ts');
      setExit(await blessCommand(file, flags, PROJECT_ROOT, io.out));
    });

  program
    .command('table')
    .description('a model x API capability table from one or more runs (one per region), with provenance per cell')
    .argument('<matrix.json...>')
    .addOption(new Option('--format <format>', 'output format').choices(['markdown', 'csv', 'json']).default('markdown'))
    .addOption(withDefault('--out <file>', 'write to a file', 'stdout'))
    .option('--long', 'csv and json: one row per model and capability instead of one row per model')
    .action(async (files: string[], flags: { format: string; out?: string; long?: boolean }) => {
      const { tableCommand } = await import('./report-commands.ts');
      setExit(await tableCommand(files, flags, io.out));
    });

  program
    .command('history')
    .description('what changed across the runs of a history folder (run --history DIR): history.json, history.html and history.md, a digest of the last N runs')
    .argument('<dir>', 'the history folder')
    .option('--report-dir <dir>', 'where to write history.json, history.html and history.md', 'reports')
    .addOption(numeric('--last <n>', 'the digest covers each target\'s last n runs', HISTORY_LAST.range, HISTORY_LAST.default))
    .action(async (dir: string, flags: { reportDir: string; last?: string }) => {
      const { historyCommand } = await import('./history-command.ts');
      setExit(await historyCommand(dir, flags, io.out));
    });

  catalogCommand
    .command('diff')
    .description('what each target\'s model list holds against the catalog: new ids (listed, not catalogued) and catalogued ids not listed; exit 1 when something new is listed')
    .addOption(new Option('--mode <mode>', 'live: ask the endpoint (GET <prefix>/models, no tokens); replay: the recorded lists').choices(['live', 'replay']).default('live'))
    .option('--target <spec>', 'one target as --targets takes it: surface:region or surface:name=URL; in replay also a recorded target\'s id, as run --target-name takes it')
    .option('--targets <list>', 'several, comma separated')
    .addOption(withDefault('--region <regions>', 'Mantle region(s) instead', 'none'))
    .option('--endpoint <url>', 'any base URL instead')
    .addOption(new Option('--surface <surface>', 'the surface of --region/--endpoint').choices(['mantle', 'runtime', 'custom']))
    .addOption(withDefault('--catalog <file>', 'model catalog', './suites/models.yaml, else the bundled catalog'))
    .addOption(withDefault('--fixtures <dir>', 'fixtures root (replay)', './fixtures, else the bundled fixtures'))
    .addOption(new Option('--auth <kind>', 'how to authenticate').choices(['bearer', 'sigv4', 'token', 'none']).default('bearer'))
    .addOption(withDefault('--api-key-env <name>', 'environment variable holding the Bedrock API key', 'AWS_BEARER_TOKEN_BEDROCK'))
    .addOption(withDefault('--profile <name>', 'AWS profile for --auth sigv4 / token', 'default chain'))
    .option('--json', 'machine-readable output')
    .action(async (flags: import('./catalog-diff-command.ts').CatalogDiffFlags, diff: Command) => {
      // `catalog --catalog F diff`: the parent's option, read before the subcommand's name, must not be dropped
      // silently (the diff would read another catalog). It is the diff's own unless both are given and disagree.
      if (catalogCommand.getOptionValueSource('check') === 'cli') throw new HarnessError('HARNESS_USAGE', 'catalog --check diff: --check reviews the catalog and diff compares it with model lists; run `catalog --check` and `catalog diff` one after the other');
      flags = withParentOptions(catalogCommand, diff, flags, ['catalog']);
      const { catalogDiffCommand } = await import('./catalog-diff-command.ts');
      setExit(await catalogDiffCommand(flags, PROJECT_ROOT, VERSION, io.out, io.err));
    });

  const fixturesCommand = program
    .command('fixtures')
    .description('record the bundled fixtures from the local emulator into <fixtures>/emulator/ (Mantle) and <fixtures>/runtime.emulator/ (bedrock-runtime); `fixtures prune` removes the recordings of cases the suites no longer have')
    .addOption(withDefault('--suites <dir>', 'folder of *.suite.yaml files', './suites, else the bundled suites'))
    .addOption(withDefault('--catalog <file>', 'model catalog', '<--suites>/models.yaml; without --suites ./suites/models.yaml, else the bundled catalog'))
    .option('--fixtures <dir>', 'fixtures root', 'fixtures')
    .action(async (flags: { suites?: string; catalog?: string; fixtures: string }) => {
      const { fixturesCommand } = await import('./fixtures-command.ts');
      const { resolveSuitesAndCatalog } = await import('./input-files.ts');
      const inputs = await resolveSuitesAndCatalog(flags, PROJECT_ROOT);
      setExit(await fixturesCommand({ ...flags, suites: flags.suites ?? inputs.suitesDir, catalog: flags.catalog ?? inputs.catalogFile }, PROJECT_ROOT, VERSION, io));
    });

  fixturesCommand
    .command('prune')
    .description('remove the recordings of cases the suites no longer have, in every target and model folder of the fixtures root, and list them: only recordings made from this --suites folder (another folder\'s, those that name no folder and files the harness did not make are listed and kept)')
    .addOption(withDefault('--suites <dir>', 'folder of *.suite.yaml files', './suites, else the bundled suites'))
    .option('--fixtures <dir>', 'fixtures root (never the bundled fixtures: a package is not pruned)', 'fixtures')
    .option('--dry-run', 'list what would be removed, remove nothing')
    .action(async (flags: { suites?: string; fixtures: string; dryRun?: boolean }, prune: Command) => {
      if (fixturesCommand.getOptionValueSource('catalog') === 'cli') throw new HarnessError('HARNESS_USAGE', 'fixtures --catalog ... prune: prune reads no catalog (it compares recordings with the suites\' cases); drop --catalog');
      flags = withParentOptions(fixturesCommand, prune, flags, ['suites', 'fixtures']);
      const { fixturesPruneCommand } = await import('./fixtures-prune-command.ts');
      const { resolveSuitesDir } = await import('./input-files.ts');
      setExit(await fixturesPruneCommand({ ...flags, suites: await resolveSuitesDir(flags, PROJECT_ROOT) }, PROJECT_ROOT, io.out));
    });

  program
    .command('emulator')
    .description('serve the local Mantle emulator (Ctrl-C or SIGTERM to stop)')
    .addOption(numeric('--port <n>', 'port on the host, 0: any free port', EMULATOR_PORT.range, EMULATOR_PORT.default))
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .addOption(withDefault('--catalog <file>', 'model catalog whose documented behavior to play', './suites/models.yaml, else the bundled catalog'))
    .addOption(withDefault('--api-key-env <name>', 'require the key in this environment variable', 'accept any key'))
    .addOption(new Option('--unknown-models <mode>', 'answer unknown model ids with Mantle\'s 404 or as a conformant generic model').choices(['not-found', 'generic']).default('not-found'))
    .addOption(numeric('--latency <ms>', 'added to every answer, in milliseconds', EMULATOR_LATENCY.range, EMULATOR_LATENCY.default))
    .option('--quirk <model:path=value...>', 'switch a quirk, e.g. xai.grok-4.3:createdAt.chat=exponent or openai.gpt-oss-20b:stream.omitDone=true')
    .option('--random', 'real clock and random ids instead of deterministic ones')
    .option('--quiet', 'no log line per request')
    .addOption(new Option('--surface <surface>', 'the surface to play: mantle, or runtime (bedrock-runtime: OpenAI APIs on /openai/v1 only, background answered at once, no server-side tools, profile ids served, OpenAI-Project ignored)').choices(['mantle', 'runtime']).default('mantle'))
    .addHelpText('after', '\nQuirk paths and values are checked against the profile (a misspelt one is exit 2 naming the closest); the README lists them.\nExit codes: 0 stopped with Ctrl-C or SIGTERM (answers still open are cut short), 2 a bad flag, quirk or catalog, or the port is in use.')
    .action(async (flags: EmulatorFlags) => {
      // The range check is here so that a bad port is exit 2 naming the flag, before the catalog is read.
      intFlag('--port', flags.port, EMULATOR_PORT.default, EMULATOR_PORT.range);
      intFlag('--latency', flags.latency, EMULATOR_LATENCY.default, EMULATOR_LATENCY.range);
      const { startEmulatorFromFlags, emulatorBanner } = await import('./emulator-command.ts');
      const emulator = await startEmulatorFromFlags({ ...flags, catalog: await catalogOf(flags) }, flags.quiet ? undefined : (line) => io.out.write(`${line}\n`));
      io.out.write(emulatorBanner(emulator, flags));
      // SIGTERM (docker stop, a CI job's end) stops it as Ctrl-C does; the listeners stay until it is closed, so a second
      // signal meanwhile is no death by signal. Closing cuts open answers short, with their pending delays.
      let onSignal = () => {};
      await new Promise<void>((resolve) => {
        onSignal = resolve;
        for (const signal of STOPPING_SIGNALS) process.on(signal, onSignal);
      });
      await emulator.close().finally(() => {
        for (const signal of STOPPING_SIGNALS) process.off(signal, onSignal);
      });
    });

  program
    .command('schema')
    .description('write the JSON Schemas for editors into <--suites>/schema (suite, catalog, expectations, matrix, history-run, fixture), beside your suite files')
    .addOption(withDefault('--suites <dir>', 'folder of your *.suite.yaml files; the schemas go into its schema/ folder, made when missing', './suites'))
    .action(async (flags: { suites?: string }) => {
      setExit(await (await import('./schema-command.ts')).schemaCommand(flags, io.out));
    });

  return program;
}

/** The catalog a catalog-only command reads: --catalog as given, else ./suites/models.yaml, else the bundled one. */
async function catalogOf(flags: { catalog?: string }): Promise<string> {
  if (flags.catalog !== undefined) return flags.catalog;
  const [{ resolveCatalogFile }, { shownPath }] = await Promise.all([import('./input-files.ts'), import('../shown-path.ts')]);
  return shownPath(await resolveCatalogFile({}, '', PROJECT_ROOT));
}
