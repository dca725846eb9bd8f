// What scripts/build.mjs needs to precompile the suite, catalog and expectations file schemas, exactly as the
// bundle holds them.
export { PRECOMPILED_FILE_SCHEMAS } from '../src/run/precompiled-validators.ts';
