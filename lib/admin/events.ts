// `npm run admin -- events <user> [--type a,b] [--since 2026-11-01|7d] [--limit N] [--json]`: an
// operator's reading of a user's security events, newest first (lib/domain/security-event.ts).
import { MAX_EVENTS_PAGE, SECURITY_EVENT_TYPES, type SecurityEvent, type SecurityEventType } from '../domain/security-event.ts';
import type { User } from '../domain/user.ts';
import { type SecurityEventDetail, securityEventDetail } from '../events/security-event-detail.ts';
import type { Dependencies } from '../use-cases/dependencies.ts';
import { listSecurityEvents } from '../use-cases/security-events.ts';
import { UsageError } from './errors.ts';
import { findUser } from './find-user.ts';

/** The options as typed; checked by {@link eventsQuery}. */
export interface EventsOptions {
  type?: string | undefined;
  since?: string | undefined;
  limit?: string | undefined;
}

export interface EventsQuery {
  types?: SecurityEventType[];
  /** Epoch milliseconds. */
  since?: number;
  limit: number;
}

export const DEFAULT_ADMIN_EVENTS = 50;
export const MAX_ADMIN_EVENTS = 1000;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Checks the options: --type a comma list of known types, --since a date or an age (30m, 12h, 7d), --limit 1..1000. */
export function eventsQuery(options: EventsOptions, nowMs: number): EventsQuery {
  const query: EventsQuery = { limit: DEFAULT_ADMIN_EVENTS };
  if (options.type !== undefined) {
    const names = options.type.split(',').map((name) => name.trim());
    const unknown = names.filter((name) => !(SECURITY_EVENT_TYPES as readonly string[]).includes(name));
    if (unknown.length || !names.length) {
      throw new UsageError(`--type: unknown event type ${unknown.map((name) => `"${name}"`).join(', ')}; known: ${SECURITY_EVENT_TYPES.join(', ')}.`);
    }
    query.types = [...new Set(names)] as SecurityEventType[];
  }
  if (options.since !== undefined) {
    const age = /^(\d{1,6})([mhd])$/.exec(options.since.trim());
    const since = age ? nowMs - Number(age[1]) * UNIT_MS[age[2] as keyof typeof UNIT_MS] : parseDate(options.since.trim());
    if (since === undefined) throw new UsageError(`--since takes a date (2026-11-01, or an ISO 8601 time) or an age (30m, 12h, 7d); got "${options.since}".`);
    query.since = since;
  }
  if (options.limit !== undefined) {
    const limit = /^\d{1,4}$/.test(options.limit) ? Number(options.limit) : 0;
    if (limit < 1 || limit > MAX_ADMIN_EVENTS) throw new UsageError(`--limit takes a whole number from 1 to ${MAX_ADMIN_EVENTS}; got "${options.limit}".`);
    query.limit = limit;
  }
  return query;
}

function parseDate(text: string): number | undefined {
  // A bare date is midnight UTC; a time must say its zone, so no operator's local time sneaks in.
  if (!/^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:\d\d))?$/.test(text)) return undefined;
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  return Number.isNaN(ms) ? undefined : ms;
}

export interface UserEvents {
  user: User;
  events: SecurityEvent[];
  /** More events match than were shown (raise --limit). */
  more: boolean;
}

/** The user's events matching the query, newest first, through as many store pages as the limit needs. */
export async function listUserEvents(
  reference: string,
  options: EventsOptions,
  deps: Pick<Dependencies, 'users' | 'securityEvents' | 'clock'>,
): Promise<UserEvents> {
  const query = eventsQuery(options, deps.clock.now());
  const user = await findUser(reference, deps);
  const events: SecurityEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await listSecurityEvents(
      user,
      {
        limit: Math.min(MAX_EVENTS_PAGE, query.limit - events.length),
        ...(cursor ? { cursor } : {}),
        ...(query.types ? { types: query.types } : {}),
        ...(query.since !== undefined ? { since: query.since } : {}),
      },
      deps,
    );
    events.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor && events.length < query.limit);
  return { user, events, more: cursor !== undefined };
}

export function eventsJson({ events }: UserEvents): SecurityEventDetail[] {
  return events.map(securityEventDetail);
}

function eventLine(event: SecurityEvent): string {
  const details = Object.entries(event.details ?? {}).map(([key, value]) => `${key}=${String(value)}`);
  const where = [event.channel, event.clientId ? `client ${event.clientId}` : undefined, event.ipPrefix].filter(Boolean).join(', ');
  const agent = event.userAgent ? `  "${event.userAgent}"` : '';
  return `  ${new Date(event.at).toISOString()}  ${event.type.padEnd(26)} ${[where, ...details].join('  ')}${agent}`;
}

export function formatUserEvents({ user, events, more }: UserEvents): string {
  const who = `${user.username} (id ${user.id})`;
  if (events.length === 0) return `No security events of ${who} match.`;
  const tail = more ? ['  ... more: raise --limit or narrow with --since / --type'] : [];
  return [`Security events of ${who}, newest first:`, ...events.map(eventLine), ...tail].join('\n');
}
