// The local events viewer (EVENTS_VIEWER_PORT, default SES port + 2): the security events the
// stream relay published, newest first, as a page for people and as JSON for tests
// (GET /events.json, optionally ?user_id=). Bound to loopback, kept in memory, the newest
// MAX_KEPT only: it shows what subscribers would get, it is not a store.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SecurityEventDetail } from '../../lib/events/security-event-detail.ts';

const MAX_KEPT = 1000;

export interface EventsViewer {
  url: string;
  show(detail: SecurityEventDetail): void;
  close(): Promise<void>;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function page(events: readonly SecurityEventDetail[]): string {
  const rows = events
    .map((event) => {
      const details = Object.entries(event.details ?? {})
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(' ');
      const cells = [event.at, event.type, event.user_id, event.channel, event.client_id ?? '', event.ip_prefix ?? '', event.user_agent ?? '', details];
      return `<tr>${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>Security events (local)</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5rem;color:#111}table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#eee}</style></head>
<body><main>
<h1>Security events</h1>
<p>What the deployed stack publishes to EventBridge, newest first (the last ${MAX_KEPT}; the page refreshes every 5 s). JSON: <a href="/events.json">/events.json</a>.</p>
<table><thead><tr><th scope="col">Time</th><th scope="col">Type</th><th scope="col">User</th><th scope="col">Channel</th><th scope="col">Client</th><th scope="col">Network</th><th scope="col">User agent</th><th scope="col">Details</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="8">No events yet: sign in, or fail to, to make one.</td></tr>'}
</tbody></table>
</main></body></html>`;
}

export async function startEventsViewer(port: number): Promise<EventsViewer> {
  const events: SecurityEventDetail[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    if (request.method !== 'GET') {
      response.writeHead(405, { ...headers, allow: 'GET' }).end();
    } else if (url.pathname === '/events.json') {
      const userId = url.searchParams.get('user_id');
      const shown = userId ? events.filter((event) => event.user_id === userId) : events;
      response.writeHead(200, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify({ events: shown }));
    } else if (url.pathname === '/') {
      response.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(page(events));
    } else {
      response.writeHead(404, headers).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    // The bound port: 0 (any free one) in unit tests.
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    show(detail) {
      events.unshift(detail);
      events.length = Math.min(events.length, MAX_KEPT);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
