// Validates event.parsedBody with the operation's zod schema (lib/http/validate.ts: 400 naming each
// bad field) and hands the handler the typed value as event.validBody.
import type { MiddlewareObj } from '@middy/core';
import type * as z from 'zod/mini';
import { validate } from '../../domain/validation.ts';
import type { HttpEvent, HttpResult } from '../types.ts';

/** The event a handler sees behind validate-body: `validBody` is the schema's output. */
export type WithValidBody<T> = HttpEvent & { validBody: T };

export interface BodyRule<S extends z.ZodMiniType = z.ZodMiniType> {
  schema: S;
  /**
   * When an empty body is acceptable: validBody is then undefined and the handler finds the input
   * elsewhere (login takes HTTP Basic credentials). Otherwise an empty body is validated like any
   * other, so the answer names every required field.
   */
  optional?: boolean | ((event: HttpEvent) => boolean);
}

const isEmpty = (body: Record<string, unknown>) => Object.keys(body).length === 0;

/** @param rule the operation's body rule, or a function choosing it per request (undefined: no validation). */
export function validateBody(rule: BodyRule | ((event: HttpEvent) => BodyRule | undefined)): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    name: 'validate-body',
    before: (request) => {
      const event = request.event;
      // Only requests whose body was parsed (POST, PUT, PATCH, DELETE) carry one to validate.
      if (event.parsedBody === undefined) return;
      const chosen = typeof rule === 'function' ? rule(event) : rule;
      if (!chosen) return;
      const body = event.parsedBody;
      const optional = typeof chosen.optional === 'function' ? chosen.optional(event) : chosen.optional === true;
      (event as WithValidBody<unknown>).validBody = optional && isEmpty(body) ? undefined : validate(chosen.schema, body);
    },
  };
}
