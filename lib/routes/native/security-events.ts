// GET /me/events: the caller's security events, newest first. The declaration and the reading of
// its query parameters (every one bounded and named in a 400).
import { ValidationError } from '../../domain/errors.ts';
import { MAX_EVENTS_PAGE, SECURITY_EVENT_TYPES, type SecurityEventType } from '../../domain/security-event.ts';
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';
import type { HttpEvent } from '../../http/types.ts';
import type { SecurityEventListQuery } from '../../use-cases/security-events.ts';

const SECURITY_EVENT = {
  type: 'object',
  required: ['id', 'type', 'at', 'channel'],
  properties: {
    id: { type: 'string' },
    type: { type: 'string', enum: [...SECURITY_EVENT_TYPES] },
    at: { type: 'string', format: 'date-time' },
    channel: { type: 'string', enum: ['native', 'hosted', 'tcap', 'eclecticiq', 'opentact', 'minisass', 'admin'] },
    client_id: { type: 'string' },
    ip_prefix: { type: 'string' },
    user_agent: { type: 'string' },
    details: { type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] } },
  },
};

export const listMyEvents = operation({
  method: 'GET',
  path: '/me/events',
  tag: 'Account',
  summary: 'Your security events, newest first: ?limit=1..100 (25), ?cursor= (next_cursor of the previous page), ?type=a,b.',
  auth: 'bearer',
  success: {
    status: 200,
    body: { type: 'object', properties: { events: { type: 'array', items: SECURITY_EVENT }, next_cursor: { type: 'string' } } },
  },
});

export const meEventsLambda: LambdaDeclaration = {
  name: 'meEvents',
  file: 'me-events',
  httpApiPaths: ['/me/events'],
  dialect: 'problem',
  operations: [listMyEvents],
};

const PARAMETERS = new Set(['limit', 'cursor', 'type']);
/** Longer than any cursor the store gives out (it refuses those itself, naming `cursor`). */
const MAX_CURSOR_LENGTH = 512;
const MAX_TYPE_LENGTH = 1024;

/** The query of GET /me/events, or a ValidationError naming every bad parameter. */
export function eventsQuery(event: Pick<HttpEvent, 'queryStringParameters'>): SecurityEventListQuery {
  const parameters = event.queryStringParameters ?? {};
  const problems: { field: string; message: string }[] = [];
  for (const name of Object.keys(parameters)) {
    if (!PARAMETERS.has(name)) problems.push({ field: name, message: 'Unknown parameter: use limit, cursor or type.' });
  }
  const query: SecurityEventListQuery = {};
  const { limit, cursor, type } = parameters;
  if (limit !== undefined) {
    if (/^\d{1,3}$/.test(limit) && Number(limit) >= 1 && Number(limit) <= MAX_EVENTS_PAGE) query.limit = Number(limit);
    else problems.push({ field: 'limit', message: `limit must be a whole number from 1 to ${MAX_EVENTS_PAGE}.` });
  }
  if (cursor !== undefined) {
    if (cursor.length > 0 && cursor.length <= MAX_CURSOR_LENGTH) query.cursor = cursor;
    else problems.push({ field: 'cursor', message: 'This is not a cursor from a previous page.' });
  }
  if (type !== undefined) {
    const names = type.length <= MAX_TYPE_LENGTH ? type.split(',').map((name) => name.trim()) : [];
    const unknown = names.filter((name) => !(SECURITY_EVENT_TYPES as readonly string[]).includes(name));
    if (names.length === 0 || unknown.length) {
      problems.push({ field: 'type', message: `type must be a comma-separated list of: ${SECURITY_EVENT_TYPES.join(', ')}.` });
    } else query.types = [...new Set(names)] as SecurityEventType[];
  }
  if (problems.length) throw new ValidationError(problems);
  return query;
}
