// A legacy system that answers as each test scripts it (node:http): what each request was (method,
// path, headers, JSON body), and per request a status and body, a hang, or a dropped connection.
import http from 'node:http';
import type net from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/** What the server does with one request: answer, never answer, or drop the connection. */
export type Reply = { status: number; body: unknown; raw?: boolean } | 'hang' | 'drop';

export interface FakeLegacy {
  url: string;
  seen: SeenRequest[];
  close: () => Promise<void>;
}

/** Serves `reply` for each request (its index counts from 0 over the server's life). */
export async function fakeLegacy(reply: (request: SeenRequest, index: number) => Reply): Promise<FakeLegacy> {
  const seen: SeenRequest[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {}
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      seen.push(request);
      const answer = reply(request, seen.length - 1);
      if (answer === 'hang') return;
      if (answer === 'drop') {
        req.socket.destroy();
        return;
      }
      const content = answer.raw ? String(answer.body) : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': answer.raw ? 'text/html' : 'application/json' }).end(content);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An unsigned JWT carrying `claims` (the clients read claims without verifying them). */
export const jwtWith = (claims: Record<string, unknown>) =>
  `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2lnbmF0dXJl`;
