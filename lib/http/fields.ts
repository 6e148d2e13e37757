// Building blocks for request schemas, so every endpoint words its field errors the same way.
import * as z from 'zod/mini';

/** A string field: "This field is required." when absent, "<field> must be a string." when not text. */
export function textField(field: string) {
  return z.string({
    error: (issue) => (issue.input === undefined ? 'This field is required.' : `${field} must be a string.`),
  });
}

/**
 * A whole number of seconds in [min, max], as a JSON number or, from a form, a digit string.
 * The messages name the field and the bound, e.g. "ttl must be at least 60 seconds."
 */
export function secondsField(field: string, min: number, max: number) {
  const notWhole = `${field} must be a whole number of seconds.`;
  return z.pipe(
    z.pipe(
      z.union([z.number(), z.string().check(z.regex(/^\s*-?\d{1,16}\s*$/, { error: notWhole }))], {
        error: (issue) => (issue.input === undefined ? 'This field is required.' : notWhole),
      }),
      z.transform((value: number | string) => Number(value)),
    ),
    z.int({ error: notWhole }).check(
      z.gte(min, { error: `${field} must be at least ${min} seconds.` }),
      z.lte(max, { error: `${field} must be at most ${max} seconds.` }),
    ),
  );
}
