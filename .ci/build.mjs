// `npm run build` (after the typecheck): the published package's dist/, from src/.
//  1. esbuild bundles the CLI (dist/cli/bin.js), the worker threads of a large replay (dist/run/replay-thread.js),
//     the threads `history` reads run files on (dist/history/read-worker.js) and the module vitest's workers import
//     on a run on vitest (dist/run/model-spec.js) with their dependencies, split at every dynamic import, so a
//     command loads only what it uses and Node opens a few files instead of thousands. vitest itself stays outside:
//     a run on vitest must use the installed one.
//  2. The project's JSON Schemas become standalone ajv validators built from the same source, so a run compiles
//     none: draft-07's meta-schema (dist/checks/meta-schema-validator.cjs), the suite, catalog and expectations file schemas (dist/suite/precompiled-validators.cjs), the fixture
//     schema (dist/transport/precompiled-validators.cjs) and the
//     roots of the object schema documents the schema.* checks read, per vendor and mode
//     (dist/checks/precompiled-validators.cjs; the documents themselves are copied to dist/checks/schemas/).
//  3. The bundled YAML files (suites, catalog, expectations), parsed, so that a run with them parses none
//     (dist/suite/parsed-yaml.cjs, by the hash of each file's text).
//  4. uPlot's minified script and stylesheet, which history.html inlines, go to dist/history/uplot/.
//  5. The licenses of the bundled packages go to dist/THIRD-PARTY-LICENSES.txt.
// Usage: node .ci/build.mjs [dist folder, default ./dist]
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** Whether process `pid` exists (EPERM: it does, and is someone else's). */
function running(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

const dist = resolve(process.argv[2] ?? join(root, 'dist'));
const external = ['vitest', 'vitest/*', '@vitest/ui'];

rmSync(dist, { recursive: true, force: true });
const bundled = await build({
  absWorkingDir: root,
  entryPoints: {
    'cli/bin': 'src/cli/bin.ts',
    'run/model-spec': 'src/run/model-spec.ts',
    'run/replay-thread': 'src/run/replay-thread.ts',
    'history/read-worker': 'src/history/read-worker.ts',
  },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  external,
  // Bundled CommonJS packages call require(); in an ES module it has to be made.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

// The schemas, from a throwaway bundle of the modules that define them (the same source the CLI bundle holds),
// kept below the checkout's node_modules so that its imports resolve there.
// A build killed while its scratch folder existed (about a second) left it behind: the next build removes it once
// it is a minute old and its build's pid is not running. A pid now someone else's keeps it until that process ends;
// the age spares a live build whose pid this process cannot see (another pid namespace sharing the checkout).
const cache = join(root, 'node_modules', '.cache');
for (const name of existsSync(cache) ? readdirSync(cache) : []) {
  const pid = Number(/^mantle-conformance-build-(\d+)$/.exec(name)?.[1]);
  if (!pid || pid === process.pid || running(pid)) continue;
  const folder = join(cache, name);
  if (statSync(folder, { throwIfNoEntry: false })?.mtimeMs < Date.now() - 60_000) rmSync(folder, { recursive: true, force: true });
}
const scratch = join(cache, `mantle-conformance-build-${process.pid}`);
let schemaModule;
try {
  await build({ absWorkingDir: root, entryPoints: { schemas: '.ci/build-schemas-entry.ts' }, outdir: scratch, bundle: true, format: 'esm', platform: 'node', packages: 'external', logLevel: 'warning' });
  schemaModule = await import(pathToFileURL(join(scratch, 'schemas.js')).href);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const { PRECOMPILED_FILE_SCHEMAS, ANTHROPIC_COMPONENTS, OPENAPI_COMPONENTS, documentsFor, DOCUMENT_AJV_OPTIONS, FixtureSchema, FIXTURE_AJV_OPTIONS, REQUEST_SCHEMA_AJV_OPTIONS, parsesToBundle } = schemaModule;
const require = createRequire(import.meta.url);
const { Ajv } = require('ajv');
const standaloneCode = require('ajv/dist/standalone').default;

/** Standalone validators as one CommonJS file, ajv's small runtime helpers inlined (no ajv needed to load it). */
async function writeValidators(file, code) {
  const out = await build({ stdin: { contents: code, resolveDir: root, sourcefile: 'precompiled-validators.cjs', loader: 'js' }, bundle: true, format: 'cjs', platform: 'node', minifyWhitespace: true, write: false, metafile: true, logLevel: 'warning' });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `// Generated by .ci/build.mjs; do not edit.\n${out.outputFiles[0].text}`);
  return Object.keys(out.metafile.inputs);
}

// The suite, catalog and expectations file schemas, with the options of src/suite/yaml-source.ts.
const files = new Ajv({ allErrors: true, strict: false, verbose: true, code: { source: true } });
for (const [name, schema] of Object.entries(PRECOMPILED_FILE_SCHEMAS)) files.addSchema(schema, name);
const inputs = await writeValidators(join(dist, 'suite/precompiled-validators.cjs'), standaloneCode(files, Object.fromEntries(Object.keys(PRECOMPILED_FILE_SCHEMAS).map((name) => [name, name]))));

// The fixture schema, which every replay checks every fixture against, with the options of
// src/transport/fixture-schema.ts.
const fixtures = new Ajv({ ...FIXTURE_AJV_OPTIONS, code: { source: true } });
fixtures.addSchema(FixtureSchema, 'fixture');
inputs.push(...(await writeValidators(join(dist, 'transport/precompiled-validators.cjs'), standaloneCode(fixtures, { fixture: 'fixture' }))));

// Draft-07's meta-schema, which every schema a request sends (tool parameters, structured output) is checked
// against before it is compiled, with the options of src/checks/json-schema.ts.
const requestSchemas = new Ajv({ ...REQUEST_SCHEMA_AJV_OPTIONS, code: { source: true } });
inputs.push(...(await writeValidators(join(dist, 'checks/meta-schema-validator.cjs'), standaloneCode(requestSchemas, { draft07: 'http://json-schema.org/draft-07/schema' }))));

// The object schema documents the schema.* checks read (src/checks/schemas/schema-set.ts), and their roots'
// validators per vendor and mode, with the options of src/checks/json-schema.ts.
mkdirSync(join(dist, 'checks/schemas'), { recursive: true });
const read = (name) => {
  copyFileSync(join(root, 'src/checks/schemas', `${name}.schema.json`), join(dist, 'checks/schemas', `${name}.schema.json`));
  const parsed = JSON.parse(readFileSync(join(root, 'src/checks/schemas', `${name}.schema.json`), 'utf8'));
  return { source: parsed.source, components: parsed.components };
};
const documentFor = documentsFor({ openai: read('openai'), anthropic: read('anthropic') });
const roots = { openai: Object.values(OPENAPI_COMPONENTS), anthropic: Object.values(ANTHROPIC_COMPONENTS) };
const sources = [];
let count = 0;
for (const [vendor, components] of Object.entries(roots)) {
  for (const mode of ['strict', 'lenient']) {
    const ajv = new Ajv({ ...DOCUMENT_AJV_OPTIONS, code: { ...DOCUMENT_AJV_OPTIONS.code, source: true } });
    ajv.addSchema(documentFor(vendor, mode), 'document');
    const names = Object.fromEntries(components.map((component) => [`${vendor}_${mode}_${component}`, `document#/components/schemas/${component}`]));
    count += components.length;
    // Each standalone module is self-contained; wrapped so that several share one file.
    sources.push(`Object.assign(module.exports, (() => { const module = { exports: {} }; const exports = module.exports; ${standaloneCode(ajv, names)}; return module.exports; })());`);
  }
}
inputs.push(...(await writeValidators(join(dist, 'checks/precompiled-validators.cjs'), sources.join('\n'))));

// The bundled suites, catalog and expectations file, parsed (src/suite/bundled-yaml.ts reads them by their text's hash).
const yamlTexts = readdirSync(join(root, 'suites')).filter((name) => name.endsWith('.yaml')).sort().map((name) => readFileSync(join(root, 'suites', name), 'utf8'));
const parses = parsesToBundle(yamlTexts);
writeFileSync(join(dist, 'suite/parsed-yaml.cjs'), `// Generated by .ci/build.mjs; do not edit.\nmodule.exports = ${JSON.stringify(parses)};\n`);

// uPlot, the chart history.html inlines (src/history/uplot-asset.ts reads these copies from the package).
mkdirSync(join(dist, 'history/uplot'), { recursive: true });
for (const name of ['uPlot.iife.min.js', 'uPlot.min.css']) copyFileSync(join(root, 'node_modules/uplot/dist', name), join(dist, 'history/uplot', name));
inputs.push('node_modules/uplot/dist/uPlot.iife.min.js');

// Every package whose code is in the bundle, with its license text.
const packages = new Map();
for (const input of [...Object.keys(bundled.metafile.inputs), ...inputs]) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (!match) continue;
  const dir = join(root, input.slice(0, match.index + match[0].length));
  if (packages.has(dir)) continue;
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)/i.test(name));
  packages.set(dir, `${manifest.name}@${manifest.version} (${manifest.license ?? 'see below'})\n${file ? readFileSync(join(dir, file), 'utf8').trim() : `no license file; the package declares ${manifest.license}`}`);
}
const notices = [...packages.values()].sort();
writeFileSync(join(dist, 'THIRD-PARTY-LICENSES.txt'), `mantle-conformance bundles these packages:\n\n${notices.join('\n\n---\n\n')}\n`);
if (!existsSync(join(dist, 'cli/bin.js'))) throw new Error('the bundle has no cli/bin.js');
console.log(`built ${dist}: ${Object.keys(bundled.metafile.outputs).length} files, ${Object.keys(PRECOMPILED_FILE_SCHEMAS).length + 2 + count} precompiled validators, ${Object.keys(parses).length} of ${yamlTexts.length} YAML files parsed, ${notices.length} bundled packages`);
