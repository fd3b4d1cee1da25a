type Schema = Record<string, unknown>;

/** Raised for a schema the fake cannot satisfy; the server answers it as an invalid format. */
export class UnsupportedSchemaError extends Error {
  override readonly name = 'UnsupportedSchemaError';
}

interface Context {
  root: Schema;
  /** Tells generated strings apart: the model name and a counter. */
  label: string;
  strings: number;
  depth: number;
}

/**
 * A value that conforms to `schema` (the JSON Schema subset structured outputs use: type, properties,
 * required, items, min/maxItems, enum, const, min/maxLength, minimum/maximum, anyOf/oneOf/allOf, $ref
 * into $defs). Strings are distinct from one another, so a list of drafts holds no duplicates.
 */
export function exampleFor(schema: unknown, label = 'fake'): unknown {
  if (!isSchema(schema)) throw new UnsupportedSchemaError('a JSON Schema must be an object');
  return generate(schema, { root: schema, label, strings: 0, depth: 0 });
}

function generate(schema: Schema, context: Context): unknown {
  if (context.depth > 32) throw new UnsupportedSchemaError('schema nests too deeply (or refers to itself without end)');
  const inner = { ...context, depth: context.depth + 1 };
  const next = (child: Schema) => {
    const value = generate(child, inner);
    context.strings = inner.strings;
    return value;
  };

  if (typeof schema.$ref === 'string') return next(resolveRef(schema.$ref, context.root));
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) {
    if (schema.enum.length === 0) throw new UnsupportedSchemaError('enum without values');
    return schema.enum[0];
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const usable = options.filter(isSchema);
      const preferred = usable.find((option) => option.type !== 'null') ?? usable[0];
      if (!preferred) throw new UnsupportedSchemaError(`${key} without schemas`);
      return next(preferred);
    }
  }
  if (Array.isArray(schema.allOf)) {
    return next(Object.assign({}, ...schema.allOf.filter(isSchema), { ...schema, allOf: undefined }) as Schema);
  }

  switch (typeOf(schema)) {
    case 'object':
      return objectFor(schema, next);
    case 'array':
      return arrayFor(schema, next);
    case 'string':
      return stringFor(schema, context);
    case 'integer':
      return numberFor(schema, true);
    case 'number':
      return numberFor(schema, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      // `{}` accepts anything.
      return stringFor({}, context);
  }
}

function typeOf(schema: Schema): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((type) => type !== 'null') ?? 'null';
  if (isSchema(schema.properties)) return 'object';
  if (isSchema(schema.items)) return 'array';
  return undefined;
}

function objectFor(schema: Schema, next: (child: Schema) => unknown): Record<string, unknown> {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const value: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(properties)) {
    if (isSchema(child)) value[name] = next(child);
  }
  const required = Array.isArray(schema.required) ? schema.required : [];
  for (const name of required) {
    if (typeof name === 'string' && !(name in value)) value[name] = next({});
  }
  return value;
}

function arrayFor(schema: Schema, next: (child: Schema) => unknown): unknown[] {
  const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const max = typeof schema.maxItems === 'number' ? schema.maxItems : Math.max(min, 2);
  if (max < min) throw new UnsupportedSchemaError('maxItems is below minItems');
  const length = Math.max(min, Math.min(max, 2));
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems.filter(isSchema) : [];
  const items = isSchema(schema.items) ? schema.items : {};
  return Array.from({ length }, (_, index) => next(prefix[index] ?? items));
}

function stringFor(schema: Schema, context: Context): string {
  context.strings += 1;
  switch (schema.format) {
    case 'date-time':
      return new Date(Date.UTC(2025, 0, context.strings)).toISOString();
    case 'date':
      return new Date(Date.UTC(2025, 0, context.strings)).toISOString().slice(0, 10);
    case 'email':
      return `fake${context.strings}@example.com`;
    case 'uuid':
      return `00000000-0000-4000-8000-${String(context.strings).padStart(12, '0')}`;
    case 'uri':
    case 'url':
      return `https://example.com/${context.strings}`;
  }
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  if (max < min) throw new UnsupportedSchemaError('maxLength is below minLength');
  let text = `Sample text ${context.strings} from ${context.label}.`;
  while (text.length < min) text += ` More text ${context.strings}.`;
  return text.length > max ? text.slice(0, Math.max(min, max)) : text;
}

function numberFor(schema: Schema, integer: boolean): number {
  const low = bound(schema.minimum, schema.exclusiveMinimum, integer, 1);
  const high = bound(schema.maximum, schema.exclusiveMaximum, integer, -1);
  let value: number;
  if (low !== undefined && high !== undefined) {
    if (high < low) throw new UnsupportedSchemaError('maximum is below minimum');
    value = (low + high) / 2;
  } else value = low ?? high ?? 1;
  if (integer) {
    value = Math.floor(value);
    if (low !== undefined && value < low) value = Math.ceil(low);
  }
  const step = typeof schema.multipleOf === 'number' && schema.multipleOf > 0 ? schema.multipleOf : undefined;
  if (step !== undefined) {
    value = Math.ceil(value / step) * step;
    if (high !== undefined && value > high) value -= step;
  }
  return value;
}

function bound(inclusive: unknown, exclusive: unknown, integer: boolean, direction: 1 | -1): number | undefined {
  if (typeof exclusive === 'number') return integer ? exclusive + direction : exclusive + direction * 1e-6;
  return typeof inclusive === 'number' ? inclusive : undefined;
}

function resolveRef(ref: string, root: Schema): Schema {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) throw new UnsupportedSchemaError(`only local references are supported, got ${ref}`);
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    node = isSchema(node) ? node[key] : undefined;
  }
  if (!isSchema(node)) throw new UnsupportedSchemaError(`reference ${ref} points nowhere`);
  return node;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
