// Request fields read as Django REST Framework's serializers read them, for the Django dialects
// (TCAP, miniSASS): bodies are plain objects whose unknown keys are dropped (DRF ignores them; the
// parser has already refused __proto__ and its kind, so nothing reaches a prototype), and each
// field answers absent, null, blank and non-text input in DRF's words.
import * as z from 'zod/mini';
import { fitsInKey } from '../../domain/identity.ts';
import { MAX_PASSWORD_LENGTH } from '../../passwords/limits.ts';

/** rest_framework.fields.CharField's error texts (DRF 3.14). */
export const DRF_TEXTS = {
  required: 'This field is required.',
  null: 'This field may not be null.',
  blank: 'This field may not be blank.',
  invalid: 'Not a valid string.',
  nullCharacters: 'Null characters are not allowed.',
  maxLength: (max: number) => `Ensure this field has no more than ${max} characters.`,
} as const;

export interface CharFieldOptions {
  /** Absent is "This field is required." (default true). */
  required?: boolean;
  /** null is accepted and given as null (DRF's allow_null; default false). */
  allowNull?: boolean;
  /** "" is accepted (DRF's allow_blank; default false). */
  allowBlank?: boolean;
  /** Surrounding white space is removed before the blank check (DRF's trim_whitespace; default true; false for passwords). */
  trim?: boolean;
  maxLength?: number;
  /** A last check of the text, with DRF-style wording of its own. */
  refine?: { test: (text: string) => boolean; message: string };
}

/**
 * A DRF CharField: text, or a number given as its text (as DRF's `str(data)`); booleans, objects
 * and arrays are "Not a valid string.". The output is the text, null (allowNull) or undefined (absent, not required).
 */
export function drfChar(options: CharFieldOptions = {}) {
  const { required = true, allowNull = false, allowBlank = false, trim = true, maxLength, refine } = options;
  const field = z
    .pipe(
      z.unknown(),
      z.transform((input: unknown, ctx): string | null | undefined => {
        const fail = (message: string) => {
          ctx.issues.push({ code: 'custom', message, input });
          return z.NEVER;
        };
        if (input === undefined) return required ? fail(DRF_TEXTS.required) : undefined;
        if (input === null) return allowNull ? null : fail(DRF_TEXTS.null);
        if (typeof input !== 'string' && !(typeof input === 'number' && Number.isFinite(input))) return fail(DRF_TEXTS.invalid);
        const text = trim ? String(input).trim() : String(input);
        if (text === '') return allowBlank ? '' : fail(DRF_TEXTS.blank);
        if (maxLength !== undefined && text.length > maxLength) return fail(DRF_TEXTS.maxLength(maxLength));
        if (text.includes('\0')) return fail(DRF_TEXTS.nullCharacters);
        if (refine && !refine.test(text)) return fail(refine.message);
        return text;
      }),
    )
    .register(z.globalRegistry, {
      description: `Text${allowNull ? ' or null' : ''}${allowBlank ? ', may be blank' : ''}${required ? '' : ', optional'}${maxLength ? `, at most ${maxLength} characters` : ''}.`,
    });
  // An optional key that is absent is skipped (a required one reaches the transform as undefined: "required").
  return required ? field : z.optional(field);
}

/** A username or email to log in with: at most 254 characters that fit in a table key once normalised. */
export function drfLogin(options: Omit<CharFieldOptions, 'maxLength' | 'refine'> = {}) {
  return drfChar({ ...options, maxLength: 254, refine: { test: fitsInKey, message: 'Ensure this field has fewer or simpler characters.' } });
}

/** A password as simplejwt's PasswordField reads it: not trimmed; bounded as our own (argon2 is not fed 64 KiB). */
export function drfPassword(options: Omit<CharFieldOptions, 'maxLength' | 'trim'> = {}) {
  return drfChar({ ...options, trim: false, maxLength: MAX_PASSWORD_LENGTH * 4 });
}

/** A body schema as a DRF serializer: declared fields only, unknown keys dropped rather than refused. */
export const drfBody = z.object;
