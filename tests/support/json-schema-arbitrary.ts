/**
 * fast-check arbitraries from the zod schemas of the API, through zod 4's
 * `z.toJSONSchema` (the input side): values of the right shape (which the
 * route may still refuse: a wrong email, a role change that is not allowed),
 * and broken ones made from a valid one (a field left out, of the wrong
 * type, too long; a property that the schema does not know).
 *
 * Only the JSON Schema the routes' schemas produce is covered: object,
 * string (min/max length, enum), boolean, integer, array, record, anyOf, const.
 */
import fc from 'fast-check';
import { z } from 'zod';

type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
};

export interface Hints {
  /** Values a string property of this name takes now and then (known emails, ids), so that a valid shape also reaches real rows. */
  strings?: Record<string, readonly string[]>;
}

/** The longest string generated for an unbounded string, and the most items of a long list. */
const MAX_STRING = 300;
const MAX_ITEMS = 20;

function stringArb(schema: JsonSchema, name: string | undefined, hints: Hints): fc.Arbitrary<string> {
  if (schema.enum) return fc.constantFrom(...(schema.enum as string[]));
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? MAX_STRING, MAX_STRING);
  const plain = fc.string({ minLength, maxLength, unit: fc.oneof(fc.constant('x'), fc.constantFrom('a', ' ', '<', '"', "'", '\\', '\u0000', '😀', 'é', '%', '/'), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })) });
  const known = name ? hints.strings?.[name] : undefined;
  const arbs: Array<fc.Arbitrary<string>> = [plain];
  if (name === 'email') arbs.push(fc.emailAddress());
  if (known && known.length > 0) arbs.push(fc.constantFrom(...known));
  return fc.oneof(...arbs);
}

/** A value of the shape `schema` describes. */
export function validShaped(schema: JsonSchema, hints: Hints = {}, name?: string): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((branch) => validShaped(branch, hints, name)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  switch (schema.type) {
    case 'string':
      return stringArb(schema, name, hints);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.oneof(fc.integer({ min: schema.minimum ?? -1000, max: Math.min(schema.maximum ?? 1000, 1000) }), fc.constant(schema.maximum ?? Number.MAX_SAFE_INTEGER));
    case 'number':
      return fc.double({ noNaN: true });
    case 'array':
      return fc.array(validShaped(schema.items ?? {}, hints, name), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? MAX_ITEMS, MAX_ITEMS) });
    case 'object': {
      if (!schema.properties && typeof schema.additionalProperties === 'object') {
        return fc.dictionary(fc.string({ maxLength: 20 }), validShaped(schema.additionalProperties, hints), { maxKeys: 5 });
      }
      const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, value]) => [key, validShaped(value, hints, key)]));
      return fc.record(properties, { requiredKeys: schema.required ?? [] });
    }
    default:
      return fc.jsonValue();
  }
}

const WRONG_VALUES: unknown[] = [null, 0, -1, 1.5, 2 ** 53, true, false, '', ' ', [], {}, 'x'.repeat(10_000), ['a'], { $gt: '' }, '__proto__'];

/** A value built from a valid one and then broken in one place. */
export function broken(schema: JsonSchema, hints: Hints = {}): fc.Arbitrary<unknown> {
  const keys = Object.keys(schema.properties ?? {});
  const asObject = validShaped(schema, hints).map((value) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {}));
  const variants: Array<fc.Arbitrary<unknown>> = [
    fc.jsonValue(),
    asObject.chain((value) => fc.record({ key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'id', 'mapId', 'role')), extra: fc.jsonValue() }).map(({ key, extra }) => ({ ...value, [key]: extra }))),
  ];
  if (keys.length > 0) {
    variants.push(
      asObject.chain((value) => fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(value).filter(([k]) => k !== key)))),
      asObject.chain((value) => fc.record({ key: fc.constantFrom(...keys), wrong: fc.oneof(fc.constantFrom(...WRONG_VALUES), fc.jsonValue()) }).map(({ key, wrong }) => ({ ...value, [key]: wrong }))),
    );
  }
  return fc.oneof(...variants);
}

/** The input-side JSON Schema of a zod schema. */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}
