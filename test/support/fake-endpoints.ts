// Endpoints that fail the way AWS or the network can, on this machine: a port nothing listens on,
// and an HTTP server answering every request with one canned (error) response, with DynamoDB's
// and SES's error bodies; and failureOf, to see what a call against them rejects with.
import http from 'node:http';
import net from 'node:net';

/** A port nothing listens on: bound by us for a moment, then released. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An HTTP server answering every request with one canned response, counting the requests. */
export async function cannedServer(status: number, body: string, contentType: string) {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': contentType }).end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A DynamoDB error body (JSON 1.0 protocol). */
export const dynamoError = (type: string, message: string) => JSON.stringify({ __type: type, message });

/** An SES error body (query protocol, XML). */
export const sesError = (code: string, message: string) =>
  `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>x</RequestId></ErrorResponse>`;

/** What a promise rejects with, or undefined if it resolves. */
export const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
