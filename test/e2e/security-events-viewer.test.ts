// The local stack publishes security events as the deployed one does, through the table's stream:
// an action over HTTP shows in GET /me/events and, moments later, in the local events viewer (the
// stream relay running the deployed publisher's code), with user_id, and nothing secret in it.
import { describe, expect, inject, it } from 'vitest';
import { waitUntil } from '../../scripts/wait-until.ts';
import { api, loggedInUser } from './helpers.ts';

const viewerUrl = () => inject('eventsUrl');

async function viewerEvents(userId: string): Promise<{ type: string; id: string; user_id: string; details?: Record<string, unknown> }[]> {
  const res = await fetch(`${viewerUrl()}events.json?user_id=${encodeURIComponent(userId)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { events: never[] }).events;
}

describe('the local events viewer', () => {
  it('shows the events an action made, as GET /me/events does, with the user id', async () => {
    const session = await loggedInUser('viewer');
    expect((await api('/login', { json: { username: session.user.username, password: 'wrong password' } })).status).toBe(401);
    const mine = await api('/me/events', { headers: { authorization: `Bearer ${session.accessToken}` } });
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body.events.map((event: { type: string }) => event.type)).toEqual(['login_failed', 'login_succeeded']);
    const userId = (await api('/me', { headers: { authorization: `Bearer ${session.accessToken}` } })).body.user.id as string;

    // The relay polls the stream: bounded polling, no sleeping a fixed time.
    let published: Awaited<ReturnType<typeof viewerEvents>> = [];
    await waitUntil(
      'the events in the viewer',
      async () => {
        published = await viewerEvents(userId);
        return published.length >= 2;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(published.map((event) => event.type)).toEqual(['login_failed', 'login_succeeded']);
    expect(published.map((event) => event.id)).toEqual(mine.body.events.map((event: { id: string }) => event.id));
    expect(published[0]).toMatchObject({ user_id: userId, channel: 'native', details: { reason: 'wrong_password' } });
    const text = JSON.stringify(published);
    expect(text).not.toContain(session.user.password);
    expect(text).not.toContain(session.user.email);

    const page = await fetch(viewerUrl());
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain(userId);
  });
});
