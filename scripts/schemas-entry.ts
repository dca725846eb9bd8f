// What scripts/build.mjs needs to precompile the project's schemas, exactly as the bundle holds them: the object
// schemas, the schema checks (one per object kind) and the lenient transform; the suite, catalog and expectations
// file schemas.
export { PROJECT_SCHEMAS, schemaChecks } from '../src/checks/schema.ts';
export { lenient } from '../src/checks/schema-modes.ts';
export { PRECOMPILED_FILE_SCHEMAS } from '../src/run/precompiled-validators.ts';
