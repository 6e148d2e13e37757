// How each documented API shapes its errors, so a client written for it reads ours unchanged.
//  - Django REST Framework (TCAP, miniSASS): 400 {"field": ["message"]}, otherwise {"detail": "..."}.
//  - Opentact: every answer in {success, payload}; errors {success: false, error: {...}}.
// The status codes, and headers such as WWW-Authenticate and Retry-After, stay ours.
import { TOKEN_EXPIRED_MESSAGE } from '../../domain/errors.ts';
import { json } from '../../http/response.ts';
import type { HttpError } from '../../http/status.ts';
import type { HttpResult } from '../../http/types.ts';

export function drfError(error: HttpError): HttpResult {
  if (error.status === 400 && error.errors?.length) {
    // No prototype: a field named "constructor" or "toString" must be a plain key, not Object's.
    const byField: Record<string, string[]> = Object.create(null);
    for (const { field, message } of error.errors) {
      const name = field === '(body)' ? 'non_field_errors' : field;
      byField[name] = [...(byField[name] ?? []), message];
    }
    return json(400, byField, error.headers);
  }
  return json(error.status, { detail: error.message, code: error.code }, error.headers);
}

/**
 * TCAP's documented answer to an expired token: 403 with exactly this text, which its clients match
 * to know when to fetch a new token. Other errors as Django REST Framework shapes them.
 */
export function tcapError(error: HttpError): HttpResult {
  if (error.code === 'token_expired') {
    return { statusCode: 403, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: TOKEN_EXPIRED_MESSAGE };
  }
  return drfError(error);
}

export const opentactSuccess = (status: number, payload: unknown): HttpResult => json(status, { success: true, payload });

export function opentactError(error: HttpError): HttpResult {
  return json(
    error.status,
    { success: false, error: { code: error.code, message: error.message, ...(error.errors?.length ? { errors: error.errors } : {}) } },
    error.headers,
  );
}
