// Validation with zod schemas: one error per field, in the API's words. Unknown fields are
// refused by name (schemas are strict objects), so a typo never passes silently.
import type * as z from 'zod/mini';
import { type FieldError, ValidationError } from './errors.ts';

/** Enough to name every mistake a real client makes; a flood of junk keys is not echoed back whole. */
const MAX_ERRORS = 20;
const MAX_FIELD_NAME = 64;

const fieldName = (path: readonly PropertyKey[]) => {
  const name = path.map(String).join('.') || '(body)';
  return name.length > MAX_FIELD_NAME ? `${name.slice(0, MAX_FIELD_NAME)}…` : name;
};

/** The first problem of each field (a field that breaks two rules is told the first one). */
function toFieldErrors(error: z.core.$ZodError): FieldError[] {
  const byField = new Map<string, string>();
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) if (!byField.has(fieldName([...issue.path, key]))) byField.set(fieldName([...issue.path, key]), 'Unknown field.');
    } else if (!byField.has(fieldName(issue.path))) {
      byField.set(fieldName(issue.path), issue.message);
    }
  }
  return [...byField].slice(0, MAX_ERRORS).map(([field, message]) => ({ field, message }));
}

/** Checks `input` against `schema` and returns the value or every field's first problem. */
export function check<S extends z.ZodMiniType>(schema: S, input: unknown): { data?: z.output<S>; errors: FieldError[] } {
  const result = schema.safeParse(input);
  return result.success ? { data: result.data, errors: [] } : { errors: toFieldErrors(result.error) };
}

/** Validates `input` against `schema`, throwing a 400 ValidationError that names every bad field. */
export function validate<S extends z.ZodMiniType>(schema: S, input: unknown): z.output<S> {
  const { data, errors } = check(schema, input);
  if (errors.length) throw new ValidationError(errors);
  return data as z.output<S>;
}
