// DynamoDB attribute values as they travel in the JSON protocol, to and from plain JavaScript
// values, converted as the service's DocumentClient converts them (@aws-sdk/util-dynamodb's
// marshall with removeUndefinedValues, and unmarshall with its defaults) — the light client's
// callers see the very same items. test/unit/store/attribute-values.test.ts holds the two side by side.
// On the wire, binary values are base64 strings; here they are Uint8Arrays.
//
// Why hand-written rather than @aws-sdk/util-dynamodb (measured 2026-11, functions/authorizer.ts
// built with serverless.yml's esbuild settings: esm, minify, node22; import time of the built file
// in a fresh node, 40 runs each, minimum / median on a loaded 2-core machine):
//   this file:                          42.8 kB, 31 / 72 ms
//   util-dynamodb external (@aws-sdk/*  40.8 kB + the runtime's package, 74 / 98 ms: loading it
//     excluded, as serverless.yml does):  from node_modules costs ~40 ms of cold start
//   util-dynamodb bundled:              46.5 kB (+3.7 kB), 29 / 77 ms
// Deployed as configured (@aws-sdk/* external) it costs the authorizer ~40 ms of init, far over the
// "no measurable init time" bar; bundling it instead would need an exception to the exclude for
// one function and still leave the base64 step (util-dynamodb yields bytes, the JSON protocol
// carries base64) here. test/unit/store/attribute-values.test.ts keeps this file equal to util-dynamodb.

export type AttributeValue =
  | { S: string }
  | { N: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { B: string }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };

export type Item = Record<string, unknown>;
export type WireItem = Record<string, AttributeValue>;

const isBinary = (value: unknown): value is ArrayBuffer | ArrayBufferView => value instanceof ArrayBuffer || ArrayBuffer.isView(value);

function base64(value: ArrayBuffer | ArrayBufferView): string {
  const bytes = value instanceof ArrayBuffer ? Buffer.from(value) : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return bytes.toString('base64');
}

function numberText(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`Special numeric value ${value} is not allowed`);
  // Beyond 2^53 a JavaScript number is no longer exact; DynamoDB would store a number never written.
  if (value > Number.MAX_SAFE_INTEGER || value < Number.MIN_SAFE_INTEGER) {
    throw new Error(`Number ${value} is outside the safe integer range; pass a bigint.`);
  }
  return String(value);
}

/** Object literals and Object.create(null): the values that become maps (class instances do not). */
function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** A map's or list's members: undefined values and functions are dropped, as removeUndefinedValues does. */
const kept = (value: unknown) => value !== undefined && typeof value !== 'function';

function toSet(set: Set<unknown>): AttributeValue {
  const members = [...set].filter((member) => member !== undefined);
  if (!members.length) throw new Error('Pass a non-empty set.');
  const first = members[0];
  const all = <T>(check: (member: unknown) => member is T, kind: string): T[] => {
    if (!members.every(check)) throw new Error(`A set must hold one kind of value: ${kind}s only.`);
    return members as T[];
  };
  if (typeof first === 'string') return { SS: all((m): m is string => typeof m === 'string', 'string') };
  if (typeof first === 'number' || typeof first === 'bigint') {
    return {
      NS: all((m): m is number | bigint => typeof m === 'number' || typeof m === 'bigint', 'number').map((m) =>
        typeof m === 'number' ? numberText(m) : m.toString(),
      ),
    };
  }
  if (isBinary(first)) return { BS: all(isBinary, 'binary value').map(base64) };
  throw new Error('Only Number Set (NS), Binary Set (BS) or String Set (SS) are allowed.');
}

export function toAttributeValue(value: unknown): AttributeValue {
  if (value === null) return { NULL: true };
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'number':
      return { N: numberText(value) };
    case 'bigint':
      return { N: value.toString() };
    case 'boolean':
      return { BOOL: value };
    case 'object': {
      if (Array.isArray(value)) return { L: value.filter(kept).map(toAttributeValue) };
      if (value instanceof Set) return toSet(value);
      if (isBinary(value)) return { B: base64(value) };
      const entries = value instanceof Map ? [...(value as Map<unknown, unknown>)] : isPlainObject(value) ? Object.entries(value) : undefined;
      if (!entries) throw new Error(`Unsupported type passed: ${String(value)}; only plain objects become maps.`);
      const map: Record<string, AttributeValue> = {};
      for (const [key, member] of entries) if (kept(member)) map[String(key)] = toAttributeValue(member);
      return { M: map };
    }
    default:
      throw new Error(`Unsupported type passed: ${typeof value}`);
  }
}

/** Like the DocumentClient: a number beyond the safe integer range comes back as a bigint, not rounded. */
function fromNumberText(text: string): number | bigint {
  const value = Number(text);
  if ((value > Number.MAX_SAFE_INTEGER || value < Number.MIN_SAFE_INTEGER) && Number.isFinite(value)) {
    try {
      return BigInt(text);
    } catch {
      throw new Error(`${text} can't be converted to BigInt.`);
    }
  }
  return value;
}

const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

export function fromAttributeValue(attribute: AttributeValue): unknown {
  // Exactly one member is set; the first defined one decides, as in util-dynamodb.
  for (const [type, value] of Object.entries(attribute) as [string, unknown][]) {
    if (value === undefined) continue;
    switch (type) {
      case 'NULL':
        return null;
      case 'BOOL':
        return Boolean(value);
      case 'S':
        return value as string;
      case 'N':
        return fromNumberText(value as string);
      case 'B':
        return fromBase64(value as string);
      case 'L':
        return (value as AttributeValue[]).map(fromAttributeValue);
      case 'M':
        return fromWireItem(value as WireItem);
      case 'SS':
        return new Set(value as string[]);
      case 'NS':
        return new Set((value as string[]).map(fromNumberText));
      case 'BS':
        return new Set((value as string[]).map(fromBase64));
      default:
        throw new Error(`Unsupported type passed: ${type}`);
    }
  }
  throw new Error(`No value defined: ${JSON.stringify(attribute)}`);
}

/** A whole item (or key, or expression values): a map at the top, without the M wrapper. */
export function toWireItem(item: Item): WireItem {
  return (toAttributeValue(item) as { M: WireItem }).M;
}

export function fromWireItem(item: WireItem): Item {
  const out: Item = {};
  for (const [name, attribute] of Object.entries(item)) out[name] = fromAttributeValue(attribute);
  return out;
}
