// How each documented API shapes its errors, so a client written for it reads ours unchanged.
//  - Django REST Framework (TCAP, miniSASS): 400 {"field": ["message"]}, otherwise {"detail": "..."},
//    in DRF's own words where it has them; miniSASS adds simplejwt's token errors.
//  - Opentact: every answer in {success, payload}; errors {success: false, error: {...}}.
// The status codes, and headers such as WWW-Authenticate and Retry-After, stay ours.
import { TOKEN_EXPIRED_MESSAGE } from '../../domain/errors.ts';
import { json } from '../../http/response.ts';
import type { HttpError } from '../../http/status.ts';
import type { HttpResult } from '../../http/types.ts';

/** Django REST Framework's name for the JSON type a serializer got instead of an object. */
const PYTHON_TYPES = { array: 'list', string: 'str', integer: 'int', float: 'float', boolean: 'bool' } as const;

/** Django REST Framework's words for what is wrong with the request as a whole, where it has its own. */
function drfDetail(error: HttpError): string | undefined {
  const facts = error.facts ?? {};
  switch (error.code) {
    case 'method_not_allowed':
      return facts.method ? `Method "${facts.method}" not allowed.` : undefined;
    case 'unsupported_media_type':
      return facts.contentType !== undefined ? `Unsupported media type "${facts.contentType}" in request.` : undefined;
    case 'malformed_body':
      return facts.parseError ? `JSON parse error - ${facts.parseError}` : undefined;
    case 'missing_token':
      return 'Authentication credentials were not provided.';
    case 'too_many_requests': {
      // rest_framework.exceptions.Throttled; the status (429) and Retry-After are DRF's too.
      const wait = Number(error.headers['retry-after']);
      if (!Number.isFinite(wait)) return 'Request was throttled.';
      return `Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.`;
    }
    default:
      return undefined;
  }
}

/** 400 with each field's messages: `{"field": ["message"]}`, body-wide ones as non_field_errors. */
function fieldErrors(errors: NonNullable<HttpError['errors']>, headers: Record<string, string>): HttpResult {
  // No prototype: a field named "constructor" or "toString" must be a plain key, not Object's.
  const byField: Record<string, string[]> = Object.create(null);
  for (const { field, message } of errors) {
    const name = field === '(body)' ? 'non_field_errors' : field;
    byField[name] = [...(byField[name] ?? []), message];
  }
  return json(400, byField, headers);
}

/**
 * Django REST Framework's envelope: 400 `{"field": ["message"]}`, otherwise `{"detail": "..."}` in
 * DRF's words where DRF has its own (405, 415, parse errors, missing credentials, throttling), and
 * `code` beside our own texts.
 */
export function drfError(error: HttpError): HttpResult {
  if (error.status === 400 && error.errors?.length) return fieldErrors(error.errors, error.headers);
  const jsonType = error.code === 'malformed_body' ? error.facts?.jsonType : undefined;
  if (jsonType) {
    // A JSON null is "no data" to DRF; any other non-object is named by its Python type.
    const message = jsonType === 'null' ? 'No data provided' : `Invalid data. Expected a dictionary, but got ${PYTHON_TYPES[jsonType]}.`;
    return json(400, { non_field_errors: [message] }, error.headers);
  }
  const detail = drfDetail(error);
  if (detail !== undefined) return json(error.status, { detail }, error.headers);
  return json(error.status, { detail: error.message, code: error.code }, error.headers);
}

/** simplejwt's words for a refused token (rest_framework_simplejwt.exceptions.InvalidToken). */
export const SIMPLEJWT = {
  invalid: 'Token is invalid or expired',
  blacklisted: 'Token is blacklisted',
  wrongType: 'Token has wrong type',
  noTokenType: 'Given token not valid for any token type',
  noAccount: 'No active account found with the given credentials',
  badHeader: 'Authorization header must contain two space-delimited values',
} as const;

/** simplejwt's 401 for an access token that is invalid, expired or revoked, from JWTAuthentication. */
export function simplejwtAccessTokenError(message: string = SIMPLEJWT.invalid) {
  return {
    detail: SIMPLEJWT.noTokenType,
    code: 'token_not_valid',
    messages: [{ token_class: 'AccessToken', token_type: 'access', message }],
  };
}

/**
 * miniSASS (Django REST Framework + simplejwt): token problems as simplejwt answers them, so a
 * client that refreshes on `code === "token_not_valid"` and reads `messages[0]` works unchanged;
 * wrong credentials in simplejwt's words; everything else as DRF (drfError). A refresh token whose
 * session has ended is "blacklisted", an access token sent as one has the "wrong type".
 */
export function miniSassError(error: HttpError): HttpResult {
  switch (error.code) {
    case 'invalid_token':
    case 'token_expired': {
      const problem = error.facts?.tokenProblem;
      if (problem === 'bad_header') return json(401, { detail: SIMPLEJWT.badHeader, code: 'bad_authorization_header' }, error.headers);
      return json(401, simplejwtAccessTokenError(problem === 'wrong_type' ? SIMPLEJWT.wrongType : SIMPLEJWT.invalid), error.headers);
    }
    case 'invalid_refresh_token': {
      const problem = error.facts?.tokenProblem;
      const detail = problem === 'revoked' ? SIMPLEJWT.blacklisted : problem === 'wrong_type' ? SIMPLEJWT.wrongType : SIMPLEJWT.invalid;
      return json(401, { detail, code: 'token_not_valid' }, error.headers);
    }
    case 'invalid_credentials':
      return json(401, { detail: SIMPLEJWT.noAccount }, error.headers);
    default:
      return drfError(error);
  }
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
