// Request validation with zod schemas: one error per field, in the API's words. Unknown fields are
// refused by name (schemas are strict objects), so a typo never passes silently.
import type * as z from 'zod/mini';
import { ValidationError, type FieldError } from '../errors.ts';

function toFieldErrors(error: z.core.$ZodError): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.push({ field: [...issue.path, key].join('.'), message: 'Unknown field.' });
    } else {
      errors.push({ field: issue.path.join('.') || '(body)', message: issue.message });
    }
  }
  return errors;
}

/** Validates `input` against `schema`, throwing a 400 ValidationError that names every bad field. */
export function validate<S extends z.ZodMiniType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(toFieldErrors(result.error));
  return result.data;
}
