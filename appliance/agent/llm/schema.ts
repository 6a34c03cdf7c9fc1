// The bounded JSON-schema subset of types.ts: a check that a schema stays inside it (schemas may be
// built at run time from the service catalogue, so the type alone is not enough) and a validator
// of values against it. Pure functions.
import { LlmSchemaError, MAX_INTEGER_SPAN, type JsonSchema } from './types.js';

/** Caps that keep generation short even on a slow box. */
export const MAX_STRING_LENGTH = 1000;
export const MAX_ARRAY_ITEMS = 64;

const ALLOWED: Record<string, readonly string[]> = {
  object: ['type', 'properties', 'description'],
  array: ['type', 'items', 'maxItems', 'minItems', 'description'],
  stringEnum: ['type', 'enum', 'description'],
  string: ['type', 'maxLength', 'minLength', 'description'],
  integer: ['type', 'minimum', 'maximum', 'description'],
  boolean: ['type', 'description'],
  null: ['type', 'description'],
  enum: ['enum', 'description'],
  const: ['const', 'description'],
  oneOf: ['oneOf', 'description'],
};

function isScalar(v: unknown): v is string | number | boolean | null {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

function isCount(v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
}

/** What kind of schema this is, by its keywords; throws on anything outside the subset. */
function kindOf(schema: unknown, path: string): keyof typeof ALLOWED {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new LlmSchemaError('a schema must be an object', path);
  const s = schema as Record<string, unknown>;
  let kind: keyof typeof ALLOWED;
  if ('oneOf' in s) kind = 'oneOf';
  else if ('const' in s) kind = 'const';
  else if ('enum' in s && s.type === undefined) kind = 'enum';
  else if (s.type === 'string') kind = 'enum' in s ? 'stringEnum' : 'string';
  else if (s.type === 'object' || s.type === 'array' || s.type === 'integer' || s.type === 'boolean' || s.type === 'null') kind = s.type;
  else throw new LlmSchemaError(`unsupported type ${JSON.stringify(s.type)} (number is not supported: use a bounded integer)`, path);
  const extra = Object.keys(s).filter((k) => !(ALLOWED[kind] ?? []).includes(k));
  if (extra.length > 0) throw new LlmSchemaError(`unsupported keyword ${extra.join(', ')} for ${kind}`, path);
  return kind;
}

/** Throws LlmSchemaError when the schema is not inside the bounded subset. */
export function checkSchema(schema: JsonSchema, path = ''): void {
  const kind = kindOf(schema, path);
  const s = schema as unknown as Record<string, unknown>;
  switch (kind) {
    case 'object': {
      const props = s.properties;
      if (typeof props !== 'object' || props === null || Array.isArray(props)) throw new LlmSchemaError('properties must be an object', path);
      for (const [key, sub] of Object.entries(props)) checkSchema(sub as JsonSchema, `${path}.${key}`);
      return;
    }
    case 'array':
      if (!isCount(s.maxItems, MAX_ARRAY_ITEMS)) throw new LlmSchemaError(`maxItems must be an integer 0..${MAX_ARRAY_ITEMS}`, path);
      if (s.minItems !== undefined && !(isCount(s.minItems, s.maxItems) )) throw new LlmSchemaError('minItems must be an integer 0..maxItems', path);
      checkSchema(s.items as JsonSchema, `${path}[]`);
      return;
    case 'stringEnum':
      if (!Array.isArray(s.enum) || s.enum.length === 0 || !s.enum.every((v) => typeof v === 'string')) {
        throw new LlmSchemaError('a string enum must list at least one string', path);
      }
      return;
    case 'string':
      if (!isCount(s.maxLength, MAX_STRING_LENGTH)) throw new LlmSchemaError(`a free string needs maxLength 0..${MAX_STRING_LENGTH} (or use an enum)`, path);
      if (s.minLength !== undefined && !isCount(s.minLength, s.maxLength)) throw new LlmSchemaError('minLength must be an integer 0..maxLength', path);
      return;
    case 'integer': {
      const { minimum: min, maximum: max } = s;
      if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || (min as number) > (max as number)) {
        throw new LlmSchemaError('an integer needs integer minimum <= maximum', path);
      }
      if ((max as number) - (min as number) + 1 > MAX_INTEGER_SPAN) throw new LlmSchemaError(`an integer range may span at most ${MAX_INTEGER_SPAN} values`, path);
      return;
    }
    case 'boolean':
    case 'null':
      return;
    case 'enum':
      if (!Array.isArray(s.enum) || s.enum.length === 0 || !s.enum.every(isScalar)) throw new LlmSchemaError('enum must list at least one string, number, boolean or null', path);
      return;
    case 'const':
      if (!isScalar(s.const)) throw new LlmSchemaError('const must be a string, number, boolean or null', path);
      return;
    case 'oneOf':
      if (!Array.isArray(s.oneOf) || s.oneOf.length === 0) throw new LlmSchemaError('oneOf must list at least one schema', path);
      s.oneOf.forEach((sub, i) => checkSchema(sub as JsonSchema, `${path}|${i}`));
      return;
  }
}

/** Problems of `value` against `schema`, each prefixed with its path ('' is the root); empty when it fits. */
export function validateJson(schema: JsonSchema, value: unknown, path = ''): string[] {
  const at = (msg: string): string[] => [`${path || '(root)'}: ${msg}`];
  if ('oneOf' in schema) {
    return schema.oneOf.some((sub) => validateJson(sub, value, path).length === 0) ? [] : at('matches none of oneOf');
  }
  if ('const' in schema) return value === schema.const ? [] : at(`is not ${JSON.stringify(schema.const)}`);
  if ('enum' in schema) return (schema.enum as readonly unknown[]).includes(value) ? [] : at(`${JSON.stringify(value)} is not in the enum`);
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return at('is not an object');
      const obj = value as Record<string, unknown>;
      const problems: string[] = [];
      for (const [key, sub] of Object.entries(schema.properties)) {
        if (!(key in obj)) problems.push(`${path}.${key}: missing`);
        else problems.push(...validateJson(sub, obj[key], `${path}.${key}`));
      }
      for (const key of Object.keys(obj)) if (!(key in schema.properties)) problems.push(`${path}.${key}: not in the schema`);
      return problems;
    }
    case 'array': {
      if (!Array.isArray(value)) return at('is not an array');
      if (value.length > schema.maxItems || value.length < (schema.minItems ?? 0)) return at(`has ${value.length} items`);
      return value.flatMap((item, i) => validateJson(schema.items, item, `${path}[${i}]`));
    }
    case 'string': {
      if (typeof value !== 'string') return at('is not a string');
      // JSON Schema lengths count code points (as the grammar does), not UTF-16 units.
      const length = [...value].length;
      return length <= schema.maxLength && length >= (schema.minLength ?? 0) ? [] : at(`has length ${length}`);
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return at('is not an integer');
      return value >= schema.minimum && value <= schema.maximum ? [] : at(`${value} is outside ${schema.minimum}..${schema.maximum}`);
    case 'boolean':
      return typeof value === 'boolean' ? [] : at('is not a boolean');
    case 'null':
      return value === null ? [] : at('is not null');
  }
}
