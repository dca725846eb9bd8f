/**
 * @module map-values
 * A copy of a plain object with each value converted, keys in order. A key named `__proto__` stays an own property,
 * as JSON.parse and lossless-json store it (assignment would set the prototype instead). Shared by the lossless
 * views of parsed JSON (transport), the schema modes (checks) and the rendering of a case's templates (suite).
 */
export function mapValues(value: Record<string, unknown>, convert: (item: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') Object.defineProperty(out, key, { value: convert(value[key]), writable: true, enumerable: true, configurable: true });
    else out[key] = convert(value[key]);
  }
  return out;
}
