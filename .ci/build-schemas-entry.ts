// What .ci/build.mjs needs to precompile the project's schemas, exactly as the bundle holds them: the suite,
// catalog and expectations file schemas; the fixture schema and its ajv options; the object schema documents as the schema.* checks validate against them
// (the transform), their roots, and the ajv options they are compiled with; and the parse of the bundled YAML.
export { PRECOMPILED_FILE_SCHEMAS } from '../src/run/precompiled-validators.ts';
export { ANTHROPIC_COMPONENTS, documentsFor } from '../src/checks/schemas/schema-set.ts';
export { OPENAPI_COMPONENTS } from '../src/checks/schemas/from-openapi.ts';
export { DOCUMENT_AJV_OPTIONS, REQUEST_SCHEMA_AJV_OPTIONS } from '../src/checks/json-schema.ts';
export { FIXTURE_AJV_OPTIONS, FixtureSchema } from '../src/transport/fixture-schema.ts';
export { parsesToBundle } from '../src/suite/yaml-source.ts';
