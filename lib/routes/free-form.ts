// Free-form objects in request bodies (miniSASS's additional_fields): their keys become attribute
// names inside a stored DynamoDB map, so they are checked like any other input, never passed on as
// sent: DynamoDB refuses an empty name (a 500 before this check), and a key is a name, not a payload.
import * as z from 'zod/mini';

/** Keys per object: far more than any client's extra registration data, few enough to list. */
export const MAX_FREE_FORM_KEYS = 50;
/** Characters per key. */
export const MAX_FREE_FORM_KEY_LENGTH = 100;
/**
 * Prefixes no key may start with: `__` is JavaScript's (`__proto__`, `__defineGetter__`) and kept
 * for our own use, so a stored key can never be read as something other than data.
 */
export const RESERVED_KEY_PREFIXES = ['__'] as const;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** A UTF-16 surrogate without its partner: not Unicode text, and not storable as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `key` cannot be a key of a free-form object, or undefined when it can. */
export function freeFormKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'has an empty key; every key needs at least one character.';
  if (key.length > MAX_FREE_FORM_KEY_LENGTH) return `has a key longer than ${MAX_FREE_FORM_KEY_LENGTH} characters.`;
  if (LONE_SURROGATE.test(key) || CONTROL.test(key)) return 'has a key with control characters or broken Unicode.';
  const reserved = RESERVED_KEY_PREFIXES.find((prefix) => key.startsWith(prefix));
  if (reserved) return `has a key starting with "${reserved}", which is reserved.`;
  return undefined;
}

/** Why `value`'s keys are not acceptable (count, then the first bad key), or undefined. */
export function freeFormKeysProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length > MAX_FREE_FORM_KEYS) return `has more than ${MAX_FREE_FORM_KEYS} keys.`;
  for (const key of keys) {
    const problem = freeFormKeyProblem(key);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * An object of `values` under checked keys, for schemas (the OpenAPI document shows the key rules
 * as propertyNames). A handler that wants the precise reason calls freeFormKeysProblem first.
 */
export function freeFormObject<V extends z.ZodMiniType>(values: V) {
  const key = z.string().check(
    z.minLength(1),
    z.maxLength(MAX_FREE_FORM_KEY_LENGTH),
    z.refine((k) => freeFormKeyProblem(k) === undefined),
  );
  return z.record(key, values).check(z.refine((object) => Object.keys(object).length <= MAX_FREE_FORM_KEYS));
}
