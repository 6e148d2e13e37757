// SERVICES: the registry of downstream services, a JSON array in one environment variable. Each
// entry is checked on its own, and no id or name may stand for two services.
import * as z from 'zod/mini';
import { SERVICE_ID, type Service } from '../domain/services.ts';
import { fail, lazyKind } from './kinds.ts';
import type { Kind } from './section.ts';

const EXAMPLE = '[{"id":"hash-verification","name":"Hash Verification"}]';
const ID_RULE = 'must be lowercase letters, digits, ".", "_" or "-" (at most 64)';
const NAME_RULE = 'is required';
const PERMISSION_RULE = 'must be a non-empty string when given';

function registry() {
  const entry = z.pipe(
    z.object(
      {
        id: z.string({ error: ID_RULE }).check(z.regex(SERVICE_ID, { error: ID_RULE })),
        name: z.string({ error: NAME_RULE }).check(z.trim(), z.minLength(1, { error: NAME_RULE })),
        permission: z.optional(z.nullable(z.string({ error: PERMISSION_RULE }).check(z.minLength(1, { error: PERMISSION_RULE })))),
      },
      { error: 'must be an object like {"id":"reports","name":"Reports"}' },
    ),
    z.transform(({ id, name, permission }): Service => ({ id, name, ...(typeof permission === 'string' ? { permission } : {}) })),
  );
  return z.array(entry, { error: 'must be a JSON array' }).check(
    // A service is found by id or by name, so neither may match another service's id or name.
    z.superRefine((services, ctx) => {
      const seen = new Set<string>();
      services.forEach(({ id, name }, index) => {
        for (const key of new Set([id, name.toLowerCase()])) {
          if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `"${key}" is listed twice`, path: [index], input: services });
          seen.add(key);
        }
      });
    }),
  );
}

/** The service registry: a JSON array of {id, name, permission?}. */
export function serviceRegistry(): Kind<Service[]> {
  return lazyKind({
    build: () =>
      z.pipe(
        z.pipe(
          z.string(),
          z.transform((raw: string, ctx) => {
            try {
              return JSON.parse(raw) as unknown;
            } catch {
              return fail(ctx, `must be a JSON array like ${EXAMPLE}`);
            }
          }),
        ),
        registry(),
      ),
    allowed: 'JSON array of `{"id", "name", "permission"?}`; `id` is lowercase letters, digits, `.`, `_`, `-` (at most 64)',
    show: (value) => JSON.stringify(value),
  });
}
