import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { exampleFor, UnsupportedSchemaError } from '../src/index.js';

const ajv = new Ajv2020({ strict: false, validateFormats: false });

function expectConforming(schema: Record<string, unknown>): unknown {
  const value = exampleFor(schema, 'test-model');
  const validate = ajv.compile(schema);
  expect(validate(value), `${JSON.stringify(value)}: ${JSON.stringify(validate.errors)}`).toBe(true);
  return value;
}

describe('exampleFor', () => {
  it('when schemas come from zod, then the example conforms to each (ajv, draft 2020-12)', () => {
    const schemas = [
      z.object({ drafts: z.array(z.object({ text: z.string().min(1) })).length(5) }),
      z.object({ results: z.array(z.object({ label: z.enum(['negative', 'neutral', 'positive']), score: z.number().min(-1).max(1), confidence: z.number().min(0).max(1) })).min(2).max(2) }),
      z.object({ id: z.uuid(), at: z.iso.datetime(), email: z.email(), count: z.number().int().gt(3).lt(9), ok: z.boolean(), note: z.string().nullable() }),
      z.object({ kind: z.literal('x'), tags: z.array(z.string().min(20).max(30)).min(3), either: z.union([z.number().multipleOf(5).min(7), z.string()]) }),
      z.object({ nested: z.object({ deeper: z.object({ list: z.array(z.number().positive()).max(1) }) }), optional: z.string().optional() }),
    ];
    for (const schema of schemas) expectConforming(z.toJSONSchema(schema) as Record<string, unknown>);
  });

  it('when a schema refers to its $defs, then the reference is followed', () => {
    const value = expectConforming({
      type: 'object',
      properties: { post: { $ref: '#/$defs/post' } },
      required: ['post'],
      $defs: { post: { type: 'object', properties: { text: { type: 'string', maxLength: 12 } }, required: ['text'] } },
    });
    expect((value as { post: { text: string } }).post.text.length).toBeLessThanOrEqual(12);
  });

  it('when an array holds several strings, then they all differ (a list of drafts has no duplicates)', () => {
    const value = exampleFor(z.toJSONSchema(z.object({ drafts: z.array(z.object({ text: z.string() })).length(10) }))) as {
      drafts: Array<{ text: string }>;
    };
    expect(new Set(value.drafts.map((draft) => draft.text)).size).toBe(10);
  });

  it('when a schema cannot be satisfied, then it says why', () => {
    expect(() => exampleFor({ type: 'array', minItems: 3, maxItems: 1 })).toThrow(UnsupportedSchemaError);
    expect(() => exampleFor({ $ref: 'https://elsewhere.example/schema' })).toThrow(/only local references/);
    expect(() => exampleFor('json')).toThrow(/must be an object/);
  });
});
