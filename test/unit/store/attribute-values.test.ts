// The light client's attribute-value conversion against @aws-sdk/util-dynamodb, which the
// service's DocumentClient uses (marshall with removeUndefinedValues, unmarshall with defaults):
// for any item, the same wire JSON out and the same JavaScript values back.
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromAttributeValue, fromWireItem, toAttributeValue, toWireItem, type WireItem } from '../../../lib/aws/light-dynamodb/attribute-values.ts';

/** util-dynamodb holds binary values as bytes; the JSON protocol as base64 text. */
function bytesToBase64(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(bytesToBase64);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bytesToBase64(v)]));
  return value;
}
function base64ToBytes(wire: unknown, key?: string): unknown {
  if (key === 'B' && typeof wire === 'string') return new Uint8Array(Buffer.from(wire, 'base64'));
  if (key === 'BS' && Array.isArray(wire)) return wire.map((b: string) => new Uint8Array(Buffer.from(b, 'base64')));
  if (Array.isArray(wire)) return wire.map((v) => base64ToBytes(v));
  if (wire && typeof wire === 'object') return Object.fromEntries(Object.entries(wire).map(([k, v]) => [k, base64ToBytes(v, k)]));
  return wire;
}

const safeNumber = fc.oneof(
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }),
);
const bytes = fc.uint8Array({ maxLength: 24 });
const scalar = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  safeNumber,
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
  fc.boolean(),
  fc.constant(null),
  bytes,
);
const nonEmptySet = fc.oneof(
  fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 5 }).map((v) => new Set(v)),
  fc.uniqueArray(fc.integer(), { minLength: 1, maxLength: 5 }).map((v) => new Set(v)),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, nonEmptySet, tie('list'), tie('map'), fc.constant(undefined)),
  list: fc.array(tie('value'), { maxLength: 4 }),
  map: fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 5 }),
}));
const item = fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), value, { maxKeys: 8 });

describe('toWireItem: the DocumentClient marshalling', () => {
  it('writes what util-dynamodb marshall writes, for any item', () => {
    fc.assert(
      fc.property(item, (it) => {
        expect(toWireItem(it)).toEqual(bytesToBase64(marshall(it, { removeUndefinedValues: true })));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps keys and expression values exactly as the stores pass them', () => {
    expect(toWireItem({ pk: 'USER#1', sk: 'APITOKEN#2' })).toEqual({ pk: { S: 'USER#1' }, sk: { S: 'APITOKEN#2' } });
    expect(toWireItem({ ':now': 1_763_880_000_123, ':cutoff': 0, ':prefix': '' })).toEqual({
      ':now': { N: '1763880000123' },
      ':cutoff': { N: '0' },
      ':prefix': { S: '' },
    });
  });

  it('refuses what the DocumentClient refuses', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53 + 2, -(2 ** 53) - 2, new Set(), new Date(0), Symbol('s')]) {
      expect(() => toAttributeValue(bad)).toThrow();
      expect(() => marshall({ a: bad }, { removeUndefinedValues: true })).toThrow();
    }
  });

  it('drops functions and undefined members, as the DocumentClient does', () => {
    const it = { a: () => 1, b: undefined, c: [undefined, 1, () => 2], d: new Set([undefined, 'x']) };
    expect(toWireItem(it)).toEqual(marshall(it, { removeUndefinedValues: true }));
    expect(toWireItem(it)).toEqual({ c: { L: [{ N: '1' }] }, d: { SS: ['x'] } });
  });
});

describe('fromWireItem: the DocumentClient unmarshalling', () => {
  it('reads what util-dynamodb unmarshall reads, for any item', () => {
    fc.assert(
      fc.property(item, (it) => {
        const wire = bytesToBase64(marshall(it, { removeUndefinedValues: true })) as WireItem;
        expect(fromWireItem(wire)).toEqual(unmarshall(base64ToBytes(wire) as Parameters<typeof unmarshall>[0]));
      }),
      { numRuns: 500 },
    );
  });

  it('gives bigints beyond the safe integer range, not rounded numbers', () => {
    expect(fromAttributeValue({ N: '9007199254740993' })).toBe(9007199254740993n);
    expect(fromAttributeValue({ N: '-12.5' })).toBe(-12.5);
    expect(fromAttributeValue({ NS: ['1', '2'] })).toEqual(new Set([1, 2]));
    expect(fromAttributeValue({ B: 'AAEC' })).toEqual(new Uint8Array([0, 1, 2]));
  });

  it('refuses an attribute type it does not know, or none', () => {
    expect(() => fromAttributeValue({ X: 'y' } as never)).toThrow(/Unsupported type/);
    expect(() => fromAttributeValue({} as never)).toThrow(/No value/);
  });
});
