// The security event store (lib/store/security-events.ts) on DynamoDB Local: appending, listing
// newest first a page at a time, the type and since filters, expiry before DynamoDB's TTL runs,
// cursors the store did not give out, and an account deletion's pseudonymisation (complete,
// stripped, idempotent, and finished by a retry after an interruption).
import { randomUUID } from 'node:crypto';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config/all.ts';
import { ValidationError } from '../../lib/domain/errors.ts';
import type { SecurityEvent, SecurityEventType } from '../../lib/domain/security-event.ts';
import { createDb } from '../../lib/store/client.ts';
import { securityEventStore } from '../../lib/store/security-events.ts';
import { withRequestOrigin } from '../../lib/support/request-context.ts';
import { listSecurityEvents, newSecurityEvent, recordSecurityEvent } from '../../lib/use-cases/security-events.ts';
import { buildDependencies } from '../../lib/wiring/dependencies.ts';
import { testClock } from '../support/clock.ts';
import { stackEnv, testDependencies } from '../support/deps.ts';
import { injectFaults } from '../support/fault-injection.ts';

const START = Date.UTC(2026, 10, 20, 9, 0, 0);
const NOW_SECONDS = Math.floor(START / 1000) + 3600;

function event(userId: string, minute: number, type: SecurityEventType = 'login_succeeded', extra: Partial<SecurityEvent> = {}): SecurityEvent {
  return {
    id: randomUUID(),
    userId,
    type,
    at: START + minute * 60_000,
    channel: 'native',
    ipPrefix: '203.0.113.0/24',
    userAgent: 'Mozilla/5.0 test',
    details: { method: 'password' },
    expiresAt: NOW_SECONDS + 86_400,
    ...extra,
  };
}

async function appended(userId: string, count: number, typeOf: (index: number) => SecurityEventType = () => 'login_succeeded') {
  const deps = testDependencies();
  const events = Array.from({ length: count }, (_, index) => event(userId, index, typeOf(index)));
  for (const item of events) await deps.securityEvents.append(item);
  return { deps, events };
}

describe('the security event store', () => {
  it('appends an event once and lists it back as written', async () => {
    const userId = randomUUID();
    const { deps, events } = await appended(userId, 1);
    const page = await deps.securityEvents.list(userId, { limit: 10 }, NOW_SECONDS);
    expect(page).toEqual({ events });
    // Append-only: the same event (same key) cannot be written over.
    await expect(deps.securityEvents.append({ ...events[0]!, type: 'login_failed' })).rejects.toThrow();
    expect((await deps.securityEvents.list(userId, { limit: 10 }, NOW_SECONDS)).events[0]?.type).toBe('login_succeeded');
  });

  it('appendNothing does the round trip of an append and stores nothing (the decoy of an unknown login name)', async () => {
    const deps = testDependencies();
    const seen: string[] = [];
    const counting = {
      send: (command: { input: { Item?: { pk?: string } } }) => {
        seen.push(String(command.input.Item?.pk));
        return deps.db.send(command as never);
      },
    };
    await securityEventStore(counting as never, deps.config.tableName).appendNothing();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^DECOY#/);
    const { Items } = await deps.db.send(
      new ScanCommand({
        TableName: deps.config.tableName,
        FilterExpression: 'begins_with(pk, :decoy)',
        ExpressionAttributeValues: { ':decoy': 'DECOY#' },
        ConsistentRead: true,
      }),
    );
    expect(Items).toEqual([]);
  });

  it('lists newest first and pages with the cursor, each event once, until there is none', async () => {
    const userId = randomUUID();
    const { deps, events } = await appended(userId, 7);
    const seen: SecurityEvent[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await deps.securityEvents.list(userId, { limit: 3, ...(cursor ? { cursor } : {}) }, NOW_SECONDS);
      expect(page.events.length).toBeLessThanOrEqual(3);
      seen.push(...page.events);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen.map((item) => item.id)).toEqual([...events].reverse().map((item) => item.id));
    expect(pages).toBe(3);
    // Another user's partition is not reached.
    expect((await deps.securityEvents.list(randomUUID(), { limit: 10 }, NOW_SECONDS)).events).toEqual([]);
  });

  it('keeps only the types asked for, across pages that the filter thins out', async () => {
    const userId = randomUUID();
    const { deps, events } = await appended(userId, 9, (index) => (index % 3 === 0 ? 'login_failed' : 'login_succeeded'));
    const failed = [...events].reverse().filter((item) => item.type === 'login_failed');
    const first = await deps.securityEvents.list(userId, { limit: 2, types: ['login_failed'] }, NOW_SECONDS);
    expect(first.events.map((item) => item.id)).toEqual(failed.slice(0, 2).map((item) => item.id));
    expect(first.nextCursor).toBeDefined();
    const second = await deps.securityEvents.list(userId, { limit: 2, types: ['login_failed'], cursor: first.nextCursor! }, NOW_SECONDS);
    expect(second.events.map((item) => item.id)).toEqual(failed.slice(2).map((item) => item.id));
    const both = await deps.securityEvents.list(userId, { limit: 20, types: ['login_failed', 'login_succeeded'] }, NOW_SECONDS);
    expect(both.events).toHaveLength(9);
  });

  it('keeps only events at or after `since`', async () => {
    const userId = randomUUID();
    const { deps, events } = await appended(userId, 5);
    const page = await deps.securityEvents.list(userId, { limit: 10, since: events[3]!.at }, NOW_SECONDS);
    expect(page.events.map((item) => item.id)).toEqual([events[4]!.id, events[3]!.id]);
  });

  it('leaves out expired events before DynamoDB deletes them', async () => {
    const userId = randomUUID();
    const deps = testDependencies();
    const live = event(userId, 1);
    await deps.securityEvents.append(live);
    await deps.securityEvents.append(event(userId, 2, 'login_failed', { expiresAt: NOW_SECONDS }));
    expect((await deps.securityEvents.list(userId, { limit: 10 }, NOW_SECONDS)).events).toEqual([live]);
  });

  it('refuses a cursor it did not give out, naming `cursor`, whatever the text', async () => {
    const deps = testDependencies();
    const userId = randomUUID();
    const forged = [
      Buffer.from(JSON.stringify({ sk: 'PROFILE' })).toString('base64url'),
      Buffer.from(JSON.stringify({ pk: 'USER#x', sk: 'EVENT#' }))
        .toString('base64url')
        .replace(/./, '!'),
      'x'.repeat(600),
      '',
    ];
    const cursors = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom(...forged), fc.base64String({ maxLength: 60 }));
    await fc.assert(
      fc.asyncProperty(cursors, async (cursor) => {
        fc.pre(!JSON.stringify(safeDecode(cursor))?.includes('"sk":"EVENT#'));
        const outcome = await deps.securityEvents.list(userId, { limit: 5, cursor }, NOW_SECONDS).then(
          () => 'accepted',
          (error: unknown) => error,
        );
        expect(outcome).toBeInstanceOf(ValidationError);
        expect((outcome as ValidationError).errors?.map((problem) => problem.field)).toEqual(['cursor']);
      }),
      { numRuns: 150 },
    );
  });
});

function safeDecode(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

describe('pseudonymising an account’s events', () => {
  async function partition(deps: ReturnType<typeof testDependencies>, pk: string) {
    const { Items } = await deps.db.send(
      new QueryCommand({
        TableName: deps.config.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
      }),
    );
    return Items ?? [];
  }

  it('moves every event under the pseudonym, without user id, user agent or details, once', async () => {
    const userId = randomUUID();
    const pseudonym = randomUUID();
    const { deps, events } = await appended(userId, 30);
    expect(await deps.securityEvents.pseudonymise(userId, pseudonym)).toBe(30);
    expect(await partition(deps, `EVENTS#${userId}`)).toEqual([]);
    const copies = await partition(deps, `DELETEDEVENTS#${pseudonym}`);
    expect(copies).toHaveLength(30);
    expect(copies.map((item) => item.id).sort()).toEqual(events.map((item) => item.id).sort());
    for (const copy of copies) {
      expect(copy).toMatchObject({ type: 'pseudonymisedEvent', eventType: 'login_succeeded', channel: 'native', ipPrefix: '203.0.113.0/24', pseudonym });
      expect(copy).not.toHaveProperty('userId');
      expect(copy).not.toHaveProperty('userAgent');
      expect(copy).not.toHaveProperty('details');
      expect(JSON.stringify(copy)).not.toContain(userId);
    }
    // Idempotent: nothing left to move, the copies unchanged.
    expect(await deps.securityEvents.pseudonymise(userId, pseudonym)).toBe(0);
    expect(await partition(deps, `DELETEDEVENTS#${pseudonym}`)).toHaveLength(30);
  });

  it('finishes on the next run after an interruption at any of its writes', async () => {
    const config = loadConfig(stackEnv());
    const db = createDb(config);
    const deps = buildDependencies(config, testClock(START), db);
    const faults = injectFaults(db);
    const store = securityEventStore(db, config.tableName);
    try {
      // 30 events: two pages, each a copy batch then a delete batch (BatchWriteItem calls 1..4).
      for (let call = 1; call <= 4; call += 1) {
        const userId = randomUUID();
        const pseudonym = randomUUID();
        for (let index = 0; index < 30; index += 1) await store.append(event(userId, index));
        faults.clear();
        faults.inject({ fault: 'connection-refused', command: 'BatchWriteItem', call });
        await expect(store.pseudonymise(userId, pseudonym), `interrupted at write ${call}`).rejects.toThrow();
        faults.clear();
        await store.pseudonymise(userId, pseudonym);
        expect(await partition(deps, `EVENTS#${userId}`), `write ${call}`).toEqual([]);
        expect(await partition(deps, `DELETEDEVENTS#${pseudonym}`), `write ${call}`).toHaveLength(30);
      }
    } finally {
      faults.remove();
    }
  });
});

describe('recording and listing through the use cases', () => {
  it('records the request’s origin and the retention, and lists a bounded page', async () => {
    const clock = testClock(START);
    const deps = testDependencies(clock, { SECURITY_EVENT_RETENTION_DAYS: '30' });
    const userId = randomUUID();
    await withRequestOrigin({ channel: 'tcap', ipPrefix: '198.51.100.0/24', userAgent: 'curl/8' }, () =>
      recordSecurityEvent(userId, 'api_token_created', deps, { details: { token_id: 't1' }, clientId: 'app' }),
    );
    const page = await listSecurityEvents({ id: userId }, {}, deps);
    expect(page.events).toEqual([
      expect.objectContaining({
        userId,
        type: 'api_token_created',
        at: START,
        channel: 'tcap',
        clientId: 'app',
        ipPrefix: '198.51.100.0/24',
        userAgent: 'curl/8',
        details: { token_id: 't1' },
        expiresAt: Math.floor(START / 1000) + 30 * 86_400,
      }),
    ]);
    // Past the retention it is gone from the list, whether or not TTL has run.
    clock.advance(30 * 86_400);
    expect((await listSecurityEvents({ id: userId }, {}, deps)).events).toEqual([]);
    for (const limit of [0, 101, 1.5]) {
      await expect(listSecurityEvents({ id: userId }, { limit }, deps)).rejects.toMatchObject({ errors: [{ field: 'limit' }] });
    }
  });

  it('never fails the request when the event cannot be written', async () => {
    const deps = testDependencies(testClock(START));
    const failing = { ...deps, securityEvents: { ...deps.securityEvents, append: () => Promise.reject(new Error('table unavailable')) } };
    await expect(recordSecurityEvent(randomUUID(), 'login_failed', failing)).resolves.toBeUndefined();
    expect(newSecurityEvent('u', 'login_failed', deps).channel).toBe('native');
  });
});
