// The local stand-ins for the deployed publishing (scripts/local-events/): the relay keeps what the
// deployed stream filter keeps, the log line names the event without secrets, and the viewer lists
// newest first, filters its JSON by user, escapes what it shows, and answers only GET.
import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { afterEach, describe, expect, it } from 'vitest';
import type { SecurityEvent } from '../../../lib/domain/security-event.ts';
import { securityEventDetail } from '../../../lib/events/security-event-detail.ts';
import { localSink, securityEventLine } from '../../../scripts/local-events/local-sink.ts';
import { passesFilter } from '../../../scripts/local-events/stream-relay.ts';
import { type EventsViewer, startEventsViewer } from '../../../scripts/local-events/viewer.ts';

const event = (index: number, extra: Partial<SecurityEvent> = {}): SecurityEvent => ({
  id: `event-${index}`,
  userId: `user-${index % 2}`,
  type: 'login_failed',
  at: Date.UTC(2026, 10, 30, 6, 0, index),
  channel: 'native',
  ipPrefix: '203.0.113.0/24',
  userAgent: 'Mozilla/5.0',
  details: { reason: 'wrong_password' },
  expiresAt: 2_000_000_000,
  ...extra,
});

describe('the stream relay filter', () => {
  const record = (eventName: StreamRecord['eventName'], type: string): StreamRecord => ({ eventName, dynamodb: { NewImage: { type: { S: type } } } });
  it('passes inserted security events only, as serverless.yml filterCriteria does', () => {
    expect(passesFilter(record('INSERT', 'securityEvent'))).toBe(true);
    expect(passesFilter(record('MODIFY', 'securityEvent'))).toBe(false);
    expect(passesFilter(record('REMOVE', 'securityEvent'))).toBe(false);
    expect(passesFilter(record('INSERT', 'pseudonymisedEvent'))).toBe(false);
    expect(passesFilter(record('INSERT', 'user'))).toBe(false);
    expect(passesFilter({ eventName: 'INSERT', dynamodb: {} })).toBe(false);
  });
});

describe('the local sink', () => {
  it('prints one line per event with its facts, never the user agent', () => {
    const line = securityEventLine(securityEventDetail(event(3, { clientId: 'spa' })));
    expect(line).toBe('security event login_failed user=user-1 channel=native client=spa ip=203.0.113.0/24 reason=wrong_password id=event-3');
    expect(line).not.toContain('Mozilla');
  });
});

describe('the events viewer', () => {
  let viewer: EventsViewer | undefined;
  afterEach(async () => {
    await viewer?.close();
  });

  it('lists newest first, filters JSON by user_id, escapes HTML, and answers only GET', async () => {
    viewer = await startEventsViewer(0);
    const lines: string[] = [];
    const sink = localSink({ log: (line) => lines.push(line), show: (detail) => viewer!.show(detail) });
    expect(await sink.put([event(0), event(1), event(2, { userAgent: '<script>alert(1)</script>' })])).toEqual(new Set());
    expect(lines).toHaveLength(3);

    const all = (await (await fetch(`${viewer.url}events.json`)).json()) as { events: { id: string }[] };
    expect(all.events.map((shown) => shown.id)).toEqual(['event-2', 'event-1', 'event-0']);
    const mine = (await (await fetch(`${viewer.url}events.json?user_id=user-0`)).json()) as { events: { id: string }[] };
    expect(mine.events.map((shown) => shown.id)).toEqual(['event-2', 'event-0']);

    const page = await fetch(viewer.url);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&#60;script&#62;');
    expect((await fetch(viewer.url, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${viewer.url}nothing`)).status).toBe(404);
  });
});
