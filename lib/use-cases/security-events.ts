// Recording security events (lib/domain/security-event.ts): what happened, to whom, when, and
// where the request came from (lib/support/request-context.ts). A use case records after the
// change it describes has been made; a change that has a transaction of its own writes the event
// in it instead (newSecurityEvent + the store's securityEventPut), so the two cannot part.
import { randomUUID } from 'node:crypto';
import { TooManyRequestsError, ValidationError } from '../domain/errors.ts';
import { MAX_EVENTS_PAGE, type SecurityEvent, type SecurityEventDetails, type SecurityEventPage, type SecurityEventType } from '../domain/security-event.ts';
import type { User } from '../domain/user.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { log } from '../support/log.ts';
import { countMetric } from '../support/metrics.ts';
import { type Channel, requestOrigin } from '../support/request-context.ts';
import type { Dependencies } from './dependencies.ts';

export type SecurityEventDeps = Pick<Dependencies, 'securityEvents' | 'clock' | 'config'>;

export interface EventFacts {
  details?: SecurityEventDetails;
  /** The OAuth client the act went through, when there was one. */
  clientId?: string;
  /** The channel outside a request (the admin CLI says `admin`). */
  channel?: Channel;
}

const DAY_SECONDS = 86_400;

/** An event about `userId`, now, from the current request, kept SECURITY_EVENT_RETENTION_DAYS. */
export function newSecurityEvent(userId: string, type: SecurityEventType, deps: Pick<Dependencies, 'clock' | 'config'>, facts: EventFacts = {}): SecurityEvent {
  const at = deps.clock.now();
  const origin = requestOrigin(facts.channel);
  return {
    id: randomUUID(),
    userId,
    type,
    at,
    channel: origin.channel,
    ...(facts.clientId ? { clientId: facts.clientId } : {}),
    ...(origin.ipPrefix ? { ipPrefix: origin.ipPrefix } : {}),
    ...(origin.userAgent ? { userAgent: origin.userAgent } : {}),
    ...(facts.details && Object.keys(facts.details).length ? { details: facts.details } : {}),
    expiresAt: toEpochSeconds(at) + deps.config.events.retentionDays * DAY_SECONDS,
  };
}

/**
 * Appends an event. It never fails the request: the change it records has already been made, and
 * answering an error would make the client retry a change that succeeded. A failure is logged
 * and counted (SecurityEventWriteFailures, which an alarm watches).
 */
export async function recordSecurityEvent(userId: string, type: SecurityEventType, deps: SecurityEventDeps, facts: EventFacts = {}): Promise<void> {
  try {
    await deps.securityEvents.append(newSecurityEvent(userId, type, deps, facts));
  } catch (error) {
    log.error('could not record a security event', { userId, type, error });
    countMetric('SecurityEventWriteFailures');
  }
}

export interface SecurityEventListQuery {
  /** 1..MAX_EVENTS_PAGE; DEFAULT_EVENTS_PAGE when absent. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  /** Only these kinds (all when absent or empty). */
  types?: SecurityEventType[];
  /** Only events at or after this time (epoch milliseconds). */
  since?: number;
}

/** The page size when the caller names none. */
export const DEFAULT_EVENTS_PAGE = 25;

/**
 * One page of the user's own events, newest first (GET /me/events, the account page, the export).
 * A limit out of 1..MAX_EVENTS_PAGE is refused naming `limit`; a foreign cursor naming `cursor`.
 */
export async function listSecurityEvents(
  user: Pick<User, 'id'>,
  query: SecurityEventListQuery,
  deps: Pick<Dependencies, 'securityEvents' | 'clock'>,
): Promise<SecurityEventPage> {
  const limit = query.limit ?? DEFAULT_EVENTS_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS_PAGE) {
    throw new ValidationError([{ field: 'limit', message: `Give a whole number from 1 to ${MAX_EVENTS_PAGE}.` }]);
  }
  return deps.securityEvents.list(
    user.id,
    {
      limit,
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      ...(query.types?.length ? { types: query.types } : {}),
      ...(query.since !== undefined ? { since: query.since } : {}),
    },
    toEpochSeconds(deps.clock.now()),
  );
}

/**
 * Waits for a login attempt's reservation; when the throttle refuses it (the account is locked
 * out), records `login_locked_out` for the account first. `userId` resolves to undefined for an
 * unknown login name, which gets no event (there is no account to tell).
 */
/**
 * For a name nobody has, where an account would get an event: the same write, storing nothing
 * (SecurityEventStore.appendNothing). Never fails the request.
 */
export async function recordNothing(deps: Pick<Dependencies, 'securityEvents'>): Promise<void> {
  await deps.securityEvents.appendNothing().catch((error: unknown) => log.warn('the decoy event write failed', { error }));
}

export async function reservedOrLockedOut<T>(
  reservation: Promise<T>,
  userId: () => Promise<string | undefined>,
  deps: SecurityEventDeps,
  facts: EventFacts = {},
): Promise<T> {
  try {
    return await reservation;
  } catch (error) {
    if (error instanceof TooManyRequestsError) {
      const id = await userId().catch(() => undefined);
      // A name nobody has costs the same write, so a lockout does not tell the two apart by time.
      if (id) await recordSecurityEvent(id, 'login_locked_out', deps, facts);
      else await recordNothing(deps);
    }
    throw error;
  }
}
