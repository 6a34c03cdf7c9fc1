// Our bounded JSON schema (types.ts) as node-llama-cpp's GbnfJsonSchema, for
// llama.createGrammarForJsonSchema. node-llama-cpp has no integer ranges, so a range becomes the
// enum of its values; objects get `additionalProperties: false` (its default, said explicitly).
// Pure; the schema must have passed checkSchema.
import type { GbnfJsonSchema } from 'node-llama-cpp';
import type { JsonSchema } from './types.js';

export function toGbnfJsonSchema(schema: JsonSchema): GbnfJsonSchema {
  if ('oneOf' in schema) return { oneOf: schema.oneOf.map(toGbnfJsonSchema) };
  if ('const' in schema) return { const: schema.const };
  if ('enum' in schema) return { enum: [...schema.enum] };
  switch (schema.type) {
    case 'object':
      return {
        type: 'object',
        properties: Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, toGbnfJsonSchema(v)])),
        additionalProperties: false,
      };
    case 'array':
      return { type: 'array', items: toGbnfJsonSchema(schema.items), minItems: schema.minItems ?? 0, maxItems: schema.maxItems };
    case 'string':
      return { type: 'string', minLength: schema.minLength ?? 0, maxLength: schema.maxLength };
    case 'integer': {
      const values: number[] = [];
      for (let v = schema.minimum; v <= schema.maximum; v++) values.push(v);
      return values.length === 1 ? { const: values[0] as number } : { enum: values };
    }
    case 'boolean':
      return { type: 'boolean' };
    case 'null':
      return { type: 'null' };
  }
}
