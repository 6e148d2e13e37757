// The kinds of values environment variables hold, as zod/mini schemas over the trimmed string, each
// with its messages (they read after the variable's name) and how the docs describe it.
import * as z from 'zod/mini';
import type { Kind } from './section.ts';

/** A problem found while turning a string into a value; the message reads after the variable's name. */
export function fail(ctx: z.core.ParsePayload, message: string): never {
  ctx.issues.push({ code: 'custom', message, input: ctx.value });
  return z.NEVER as never;
}

/**
 * A kind whose zod schema is built at its first use. Most variables are unset in a deployment, and
 * building every section's schemas at import cost about 6 ms of CPU (measured against the old
 * hand-written parsers), so a function pays only for the variables that are actually set.
 */
export function lazyKind<T>(spec: Omit<Kind<T>, 'schema'> & { build: () => Kind<T>['schema'] }): Kind<T> {
  const { build, ...described } = spec;
  let schema: Kind<T>['schema'] | undefined;
  return {
    ...described,
    get schema() {
      schema ??= build();
      return schema;
    },
  };
}

/** A whole number within [min, max]. */
export function wholeNumber(min: number, max: number): Kind<number> {
  const outOfRange = (issue: { input?: unknown }) => `must be between ${min} and ${max}, got ${issue.input}`;
  return lazyKind({
    build: () =>
      z.pipe(
        z.string().check(z.regex(/^\d+$/, { error: (issue) => `must be a whole number, got "${issue.input}"` })),
        z.pipe(
          z.transform((digits: string) => Number(digits)),
          z.number({ error: outOfRange }).check(z.minimum(min, { error: outOfRange }), z.maximum(max, { error: outOfRange })),
        ),
      ),
    allowed: `${min}–${max}`,
    show: String,
    range: { min, max },
  });
}

const TRUE = ['true', '1', 'yes'];
const FALSE = ['false', '0', 'no'];

/** A yes/no switch. */
export function flag(): Kind<boolean> {
  return lazyKind({
    build: () =>
      z.pipe(
        z.string().check(z.toLowerCase()),
        z.transform((value: string, ctx) => {
          if (TRUE.includes(value)) return true;
          if (FALSE.includes(value)) return false;
          return fail(ctx, `must be true or false, got "${value}"`);
        }),
      ),
    allowed: '`true` or `false` (also `1`/`0`, `yes`/`no`)',
    show: String,
  });
}

/** Any text. */
export function text(allowed = 'any text'): Kind<string> {
  return lazyKind({ build: () => z.string(), allowed, show: (value) => value });
}

/** A secret of at least `minLength` characters; the docs never show its value. */
export function secret(minLength: number): Kind<string> {
  return lazyKind({
    build: () => z.string().check(z.minLength(minLength, { error: `must be at least ${minLength} characters` })),
    allowed: `at least ${minLength} characters`,
    show: () => '[secret]',
  });
}

/** An absolute URL, without its trailing slash ("http://localhost:3000"). */
export function absoluteUrl(): Kind<string> {
  return lazyKind({
    build: () =>
      z.pipe(
        z.string(),
        z.transform((raw: string, ctx) => {
          try {
            return new URL(raw).toString().replace(/\/$/, '');
          } catch {
            return fail(ctx, `must be an absolute URL, got "${raw}"`);
          }
        }),
      ),
    allowed: 'an absolute URL',
    show: (value) => value,
  });
}

/** A comma-separated list, each item trimmed, empty items dropped. */
export const commaList = (raw: string, normalise = (item: string) => item) =>
  raw
    .split(',')
    .map((item) => normalise(item.trim()))
    .filter(Boolean);

/**
 * A comma list of names from `known`. `allWords` adds "all" and "none" (case-insensitive) for every
 * name and none of them. `noun` names the items in messages ("fields", "dialects").
 */
export function namesFrom<const T extends string>(
  known: readonly T[],
  options: { noun: string; knownWord: string; caseInsensitive?: boolean; allWords?: boolean },
): Kind<T[]> {
  const normalise = options.caseInsensitive ? (name: string) => name.toLowerCase() : (name: string) => name;
  const words = options.allWords ? ', or all / none' : '';
  return lazyKind({
    build: () =>
      z.pipe(
        z.string(),
        z.transform((raw: string, ctx) => {
          if (options.allWords && raw.toLowerCase() === 'all') return [...known];
          if (options.allWords && raw.toLowerCase() === 'none') return [];
          const names = commaList(raw, normalise);
          const unknown = names.filter((name) => !(known as readonly string[]).includes(name));
          if (unknown.length) return fail(ctx, `names unknown ${options.noun} ${unknown.join(', ')}; ${options.knownWord}: ${known.join(', ')}${words}`);
          return names as T[];
        }),
      ),
    allowed: `comma list of ${known.map((name) => `\`${name}\``).join(', ')}${options.allWords ? '; or `all` / `none`' : ''}`,
    show: (value) => (options.allWords && value.length === known.length ? 'all' : value.join(',')),
  });
}

/** One browser origin (scheme://host[:port]) or `*`, as the CORS middleware compares it. */
function origin(ctx: z.core.ParsePayload, item: string): string {
  if (item === '*') return item;
  let url: URL;
  try {
    url = new URL(item);
  } catch {
    return fail(ctx, `must list origins like https://app.example.com, got "${item}"`);
  }
  if (url.origin !== item.replace(/\/$/, '')) return fail(ctx, `"${item}" is not an origin (scheme://host[:port], no path)`);
  return url.origin;
}

/** A comma list of browser origins (scheme://host[:port]), or `*` for any. */
export function origins(): Kind<string[]> {
  return lazyKind({
    build: () =>
      z.pipe(
        z.string(),
        z.transform((raw: string, ctx) => {
          const parsed: string[] = [];
          // The first bad origin is reported; the ones after it are not parsed.
          for (const item of commaList(raw)) {
            const value = origin(ctx, item);
            if (ctx.issues.length) return z.NEVER;
            parsed.push(value);
          }
          return parsed;
        }),
      ),
    allowed: 'comma list of origins (`https://app.example.com`), or `*`',
    show: (value) => value.join(','),
  });
}

/** One of a few words, case-insensitive. */
export function oneOf<const T extends string>(words: readonly T[]): Kind<T> {
  return lazyKind({
    build: () =>
      z.pipe(
        z.string().check(z.toLowerCase()),
        z.enum(words as unknown as [T, ...T[]], { error: (issue) => `must be one of ${words.join(', ')}, got "${issue.input}"` }),
      ),
    allowed: words.map((word) => `\`${word}\``).join(', '),
    show: (value) => value,
  });
}

/**
 * A moment as an ISO 8601 date ("2027-03-31", midnight UTC) or date-time with a zone
 * ("2027-03-31T18:00:00Z", "…+02:00"), as epoch milliseconds. A time without a zone is refused:
 * which midnight it meant would depend on the machine.
 */
export function instant(): Kind<number> {
  return lazyKind({
    build: () =>
      z.pipe(
        z.string(),
        z.transform((raw: string, ctx) => {
          const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(raw);
          const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw);
          const ms = dateOnly || zoned ? Date.parse(dateOnly ? `${raw}T00:00:00Z` : raw) : Number.NaN;
          // Date.parse rolls 2027-02-30 over to March 2nd: a day that does not exist is a typo.
          const realDay = dateOnly ? !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(raw) : true;
          if (Number.isNaN(ms) || !realDay) return fail(ctx, `must be a date (2027-03-31) or a date-time with its zone (2027-03-31T18:00:00Z), got "${raw}"`);
          return ms;
        }),
      ),
    allowed: 'an ISO 8601 date (`2027-03-31`, midnight UTC) or date-time with its zone',
    show: (value) => new Date(value).toISOString(),
  });
}
