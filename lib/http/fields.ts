// Building blocks for request schemas, so every endpoint words its field errors the same way.
import * as z from 'zod/mini';

/** A string field: "This field is required." when absent, "<field> must be a string." when not text. */
export function textField(field: string) {
  return z.string({
    error: (issue) => (issue.input === undefined ? 'This field is required.' : `${field} must be a string.`),
  });
}
