// What scripts/build.mjs needs to precompile the project's schemas: the schemas, the schema checks (one per
// object kind) and the lenient transform, exactly as the bundle holds them.
export { PROJECT_SCHEMAS, schemaChecks } from '../src/checks/schema.ts';
export { lenient } from '../src/checks/schema-modes.ts';
