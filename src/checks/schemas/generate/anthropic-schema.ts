/**
 * The Anthropic Message and its stream events as JSON Schema, read from the @anthropic-ai/sdk type declarations
 * (the SDK is generated from Anthropic's API specification, so its response types are the reference): every
 * property, optional (`?`) or required, `| null` as a null type, string literal unions as enums, unions tagged by
 * `type` as discriminated `oneOf`. Dev-time only (it needs the TypeScript compiler): `npm run schemas` writes the
 * result to src/checks/schemas/anthropic.schema.json, and a test fails when that file is stale.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';

type Schema = Record<string, unknown>;

/** The components the schema.anthropic-* checks start from. */
export const ANTHROPIC_ROOTS = { message: 'Message', event: 'MessageStreamEvent' } as const;

/**
 * Numbers the API reference documents as integers (the SDK types every number as `number`): token and request
 * counts, indexes, page and line numbers, exit codes. A number of any other name stays a JSON number.
 */
const INTEGER_NAME = /(_tokens|_requests|_index|_number|_code|_lines|_line|_start|^index)$/;

/**
 * Events the streaming guide documents that the SDK's stream reader handles outside RawMessageStreamEvent: `ping`,
 * and `error`, whose data is the SDK's ErrorResponse.
 */
const PING_EVENT: Schema = { type: 'object', properties: { type: { const: 'ping' } }, required: ['type'] };

/** Where the SDK's declarations are, and its version. */
export function sdkDeclarations(): { root: string; version: string } {
  const require = createRequire(import.meta.url);
  // The package's exports map does not expose package.json; its main entry sits at the package root.
  const root = dirname(require.resolve('@anthropic-ai/sdk'));
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  return { root, version };
}

class SchemaWriter {
  readonly components: Record<string, Schema> = {};
  readonly #names = new Map<ts.Symbol, string>();

  constructor(private readonly checker: ts.TypeChecker) {}

  /** A component for a named type (interface or alias), written once; its `$ref` otherwise. */
  named(symbol: ts.Symbol, type: ts.Type): Schema {
    let name = this.#names.get(symbol);
    if (!name) {
      name = this.#nameOf(symbol);
      this.#names.set(symbol, name);
      this.components[name] = {};
      this.components[name] = this.#structure(type);
    }
    return { $ref: `#/components/schemas/${name}` };
  }

  #nameOf(symbol: ts.Symbol): string {
    // RawMessageDeltaEvent.Delta, not "…/messages".RawMessageDeltaEvent.Delta.
    const base = this.checker.getFullyQualifiedName(symbol).replace(/^"[^"]*"\./, '');
    let name = base;
    for (let n = 2; Object.values(this.components).length && name in this.components; n++) name = `${base}${n}`;
    return name;
  }

  schema(type: ts.Type, property?: string): Schema {
    const alias = type.aliasSymbol;
    if (alias && !type.aliasTypeArguments?.length && !(type.flags & ts.TypeFlags.Boolean)) return this.named(alias, type);
    const symbol = type.getSymbol();
    if (symbol && symbol.flags & ts.SymbolFlags.Interface && !this.checker.isArrayType(type)) return this.named(symbol, type);
    return this.#structure(type, property);
  }

  #structure(type: ts.Type, property?: string): Schema {
    const flags = type.flags;
    if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (flags & ts.TypeFlags.Null) return { type: 'null' };
    if (flags & ts.TypeFlags.StringLiteral) return { const: (type as ts.StringLiteralType).value };
    if (flags & ts.TypeFlags.NumberLiteral) return { const: (type as ts.NumberLiteralType).value };
    if (flags & ts.TypeFlags.BooleanLiteral) return { const: this.checker.typeToString(type) === 'true' };
    if (flags & ts.TypeFlags.String) return { type: 'string' };
    if (flags & ts.TypeFlags.Number) return { type: property && INTEGER_NAME.test(property) ? 'integer' : 'number' };
    if (flags & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (type.isUnion()) return this.#union(type.types, property);
    // `string & {}` (an open string enum, as in `Model`).
    if (type.isIntersection() && type.types.some((t) => t.flags & ts.TypeFlags.String)) return { type: 'string' };
    if (this.checker.isArrayType(type)) {
      const [item] = this.checker.getTypeArguments(type as ts.TypeReference);
      return { type: 'array', items: item ? this.schema(item, property) : {} };
    }
    return this.#object(type);
  }

  #union(members: readonly ts.Type[], property?: string): Schema {
    const kept = members.filter((t) => !(t.flags & ts.TypeFlags.Undefined));
    const nullable = kept.some((t) => t.flags & ts.TypeFlags.Null);
    let rest = kept.filter((t) => !(t.flags & ts.TypeFlags.Null));
    // boolean is true | false.
    if (rest.length >= 2 && rest.filter((t) => t.flags & ts.TypeFlags.BooleanLiteral).length === 2) rest = [...rest.filter((t) => !(t.flags & ts.TypeFlags.BooleanLiteral)), this.checker.getBooleanType()];
    // An open string enum (`(string & {}) | 'a' | 'b'`) is a string.
    if (rest.some((t) => t.isIntersection() && t.types.some((m) => m.flags & ts.TypeFlags.String))) rest = rest.filter((t) => !(t.flags & ts.TypeFlags.StringLiteral));
    let schema: Schema;
    if (rest.length > 0 && rest.every((t) => t.flags & ts.TypeFlags.StringLiteral)) schema = { enum: rest.map((t) => (t as ts.StringLiteralType).value) };
    else if (rest.length === 1) schema = this.schema(rest[0]!, property);
    else schema = this.#alternatives(rest, property);
    return nullable ? { anyOf: [schema, { type: 'null' }] } : schema;
  }

  /** Object members tagged by a literal `type` make a discriminated oneOf; anything else an anyOf. */
  #alternatives(members: readonly ts.Type[], property?: string): Schema {
    const branches = members.map((t) => this.schema(t, property));
    const tags = members.map((t) => {
      const tag = t.getProperty('type');
      const tagType = tag && this.checker.getTypeOfSymbol(tag);
      return tagType && tagType.flags & ts.TypeFlags.StringLiteral && !(tag.flags & ts.SymbolFlags.Optional) ? (tagType as ts.StringLiteralType).value : undefined;
    });
    const distinct = tags.every((tag) => tag !== undefined) && new Set(tags).size === tags.length;
    return distinct ? { oneOf: branches, discriminator: { propertyName: 'type' } } : { anyOf: branches };
  }

  #object(type: ts.Type): Schema {
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const member of this.checker.getPropertiesOfType(type)) {
      const memberType = this.checker.getTypeOfSymbol(member);
      properties[member.name] = this.schema(memberType, member.name);
      if (!(member.flags & ts.SymbolFlags.Optional)) required.push(member.name);
    }
    const index = this.checker.getIndexInfoOfType(type, ts.IndexKind.String);
    const schema: Schema = { type: 'object', properties };
    if (required.length) schema.required = required;
    if (index) schema.additionalProperties = this.schema(index.type);
    return schema;
  }
}

/** The components the Message and its stream events reach, sorted by name. */
export function anthropicComponents(root = sdkDeclarations().root): Record<string, Schema> {
  const files = { messages: join(root, 'resources/messages/messages.d.ts'), shared: join(root, 'resources/shared.d.ts') };
  const program = ts.createProgram(Object.values(files), { strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext });
  const checker = program.getTypeChecker();
  const exported = (file: string, name: string): ts.Symbol => {
    const source = program.getSourceFile(file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    const symbol = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === name);
    if (!symbol) throw new Error(`${file} exports no ${name}; update src/checks/schemas/generate/anthropic-schema.ts for this SDK version`);
    return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  };
  const writer = new SchemaWriter(checker);
  for (const [file, name] of [[files.messages, 'Message'], [files.messages, 'RawMessageStreamEvent'], [files.shared, 'ErrorResponse']] as const) {
    const symbol = exported(file, name);
    writer.named(symbol, checker.getDeclaredTypeOfSymbol(symbol));
  }
  const streamEvents = writer.components.RawMessageStreamEvent!;
  const components: Record<string, Schema> = { ...writer.components, PingEvent: PING_EVENT };
  components[ANTHROPIC_ROOTS.event] = {
    oneOf: [...(streamEvents.oneOf as Schema[]), { $ref: '#/components/schemas/PingEvent' }, { $ref: '#/components/schemas/ErrorResponse' }],
    discriminator: { propertyName: 'type' },
  };
  return Object.fromEntries(Object.keys(components).sort().map((name) => [name, components[name]!]));
}
