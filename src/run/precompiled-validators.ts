/**
 * @module run/precompiled-validators
 * The bundle carries the validators of the suite, catalog and expectations file schemas compiled ahead of time
 * (.ci/build.mjs writes dist/suite/precompiled-validators.cjs from these very schema objects), so a run does not
 * compile them at start-up. From source, where the schemas may be newer than any build, ajv compiles them as before.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { fromSource, packageRoot } from '../package-root.ts';
import { CatalogSchema } from '../suite/catalog-schema.ts';
import { ExpectationsSchema } from '../suite/expectations-schema.ts';
import { SuiteSchema } from '../suite/suite-schema.ts';
import { usePrecompiledValidator } from '../suite/yaml-source.ts';

/** The file schemas by the name their validator is exported under. */
export const PRECOMPILED_FILE_SCHEMAS: Readonly<Record<string, object>> = { suite: SuiteSchema, catalog: CatalogSchema, expectations: ExpectationsSchema };

let registered = false;

/** Hands the bundle's precompiled validators to the YAML loaders (once; nothing from source or without them). */
export function usePrecompiledFileValidators(): void {
  if (registered || fromSource(import.meta.url)) return;
  registered = true;
  let validators: Record<string, ValidateFunction>;
  try {
    validators = createRequire(import.meta.url)(join(packageRoot(import.meta.url), 'dist/suite/precompiled-validators.cjs')) as Record<string, ValidateFunction>;
  } catch {
    return;
  }
  for (const [name, schema] of Object.entries(PRECOMPILED_FILE_SCHEMAS)) {
    const validate = validators[name];
    if (validate) usePrecompiledValidator(schema, validate);
  }
}
