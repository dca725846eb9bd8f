/**
 * @module run/precompiled-validators
 * The bundle carries the validators of the suite, catalog and expectations file schemas compiled ahead of time
 * (.ci/build.mjs writes dist/suite/precompiled-validators.cjs from these very schema objects), so a run does not
 * compile them at start-up. From source, where the schemas may be newer than any build, ajv compiles them as before.
 */
import type { ValidateFunction } from 'ajv';
import { builtExports } from '../package-root.ts';
import { CatalogSchema } from '../suite/catalog-schema.ts';
import { ExpectationsSchema } from '../suite/expectations-schema.ts';
import { SuiteSchema } from '../suite/suite-schema.ts';
import { usePrecompiledValidator } from '../suite/yaml-source.ts';

/** The file schemas by the name their validator is exported under. */
export const PRECOMPILED_FILE_SCHEMAS: Readonly<Record<string, object>> = { suite: SuiteSchema, catalog: CatalogSchema, expectations: ExpectationsSchema };

let registered = false;

/** Hands the bundle's precompiled validators to the YAML loaders (once; nothing from source or without them). */
export function usePrecompiledFileValidators(): void {
  if (registered) return;
  registered = true;
  const validators = builtExports<ValidateFunction>(import.meta.url, 'dist/suite/precompiled-validators.cjs');
  if (!validators) return;
  for (const [name, schema] of Object.entries(PRECOMPILED_FILE_SCHEMAS)) {
    const validate = validators[name];
    if (validate) usePrecompiledValidator(schema, validate);
  }
}
