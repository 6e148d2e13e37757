// serve() sets the request's origin (lib/support/request-context.ts) for everything a handler
// calls: the channel of its Lambda (JSON API, hosted page, compatibility dialect), the client's
// network prefix and its user agent, cut and cleaned; outside a request, a bare fallback.
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { LambdaDeclaration, OperationDeclaration } from '../../../lib/http/declaration.ts';
import { channelOf, implement, serve } from '../../../lib/http/endpoint.ts';
import { json } from '../../../lib/http/response.ts';
import { COMPAT_LAMBDAS } from '../../../lib/routes/compat/declarations.ts';
import { NATIVE_LAMBDAS } from '../../../lib/routes/table.ts';
import { MAX_USER_AGENT_LENGTH, type RequestOrigin, requestOrigin } from '../../../lib/support/request-context.ts';
import { httpEvent } from '../../support/http-event.ts';
import { useTestConfig } from './config-env.ts';

useTestConfig();

const context = { awsRequestId: 'req-1' } as Context;

/** A Lambda whose one GET answers with the origin its handler sees. */
function originEcho(name: string, body: OperationDeclaration['success']['body']) {
  const operation: OperationDeclaration = {
    method: 'GET',
    path: '/test',
    tag: 'Test',
    summary: 'Echoes the origin.',
    auth: 'none',
    success: { status: 200, body },
  };
  const lambda: LambdaDeclaration = { name, file: 'test', httpApiPaths: ['/test'], dialect: 'problem', operations: [operation] };
  return serve(lambda, [implement(operation, async () => json(200, requestOrigin()))]);
}

async function originSeen(handler: ReturnType<typeof originEcho>, sourceIp: string, headers: Record<string, string> = {}): Promise<RequestOrigin> {
  const event = httpEvent({ method: 'GET', headers });
  event.requestContext.http.sourceIp = sourceIp;
  const result = await handler(event, context);
  expect(result.statusCode).toBe(200);
  return JSON.parse(result.body as string) as RequestOrigin;
}

describe('the request origin set by serve()', () => {
  it('gives a JSON endpoint the native channel, the /24 of the address and the user agent', async () => {
    const seen = await originSeen(originEcho('apiThing', 'Any'), '203.0.113.77', { 'user-agent': 'curl/8.5' });
    expect(seen).toEqual({ channel: 'native', ipPrefix: '203.0.113.0/24', userAgent: 'curl/8.5' });
    expect(JSON.stringify(seen)).not.toContain('203.0.113.77');
  });

  it('gives an html page the hosted channel, and a compatibility Lambda its dialect', async () => {
    expect((await originSeen(originEcho('accountPage', 'html'), '2001:db8:1:2::5')).channel).toBe('hosted');
    expect(await originSeen(originEcho('accountPage', 'html'), '2001:db8:1:2::5')).toEqual({ channel: 'hosted', ipPrefix: '2001:db8:1::/48' });
    expect((await originSeen(originEcho('compatTcap', 'Any'), '10.0.0.1')).channel).toBe('tcap');
    expect((await originSeen(originEcho('compatMinisass', 'Any'), '10.0.0.1')).channel).toBe('minisass');
  });

  it('names the dialect of every compatibility Lambda and the right door for the native ones', () => {
    expect(COMPAT_LAMBDAS.map(channelOf).sort()).toEqual(['eclecticiq', 'minisass', 'opentact', 'tcap']);
    const byName = new Map(NATIVE_LAMBDAS.map((lambda) => [lambda.name, channelOf(lambda)]));
    expect(byName.get('login')).toBe('native');
    expect(byName.get('meEvents')).toBe('native');
    expect(byName.get('account')).toBe('hosted');
    expect(byName.get('oauthLogin')).toBe('hosted');
  });

  it('cuts a long user agent and drops control characters; a missing one is left out', async () => {
    const long = `Agent\u0007/${'x'.repeat(1000)}`;
    const seen = await originSeen(originEcho('apiThing', 'Any'), 'not an address', { 'user-agent': long });
    expect(seen.userAgent).toHaveLength(MAX_USER_AGENT_LENGTH);
    expect(seen.userAgent?.startsWith('Agent/xx')).toBe(true);
    expect(seen).not.toHaveProperty('ipPrefix');
    expect(await originSeen(originEcho('apiThing', 'Any'), '198.51.100.2')).toEqual({ channel: 'native', ipPrefix: '198.51.100.0/24' });
  });

  it('is a bare origin of the fallback channel outside a request, and does not leak between requests', async () => {
    expect(requestOrigin()).toEqual({ channel: 'native' });
    expect(requestOrigin('admin')).toEqual({ channel: 'admin' });
    const handler = originEcho('apiThing', 'Any');
    const [first, second] = await Promise.all([
      originSeen(handler, '192.0.2.1', { 'user-agent': 'one' }),
      originSeen(handler, '192.0.2.200', { 'user-agent': 'two' }),
    ]);
    expect([first.userAgent, second.userAgent]).toEqual(['one', 'two']);
    expect(requestOrigin()).toEqual({ channel: 'native' });
  });
});
