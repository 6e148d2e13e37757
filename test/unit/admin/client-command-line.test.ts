// The `clients` command line of the admin CLI (lib/admin/client-command-line.ts): each action's
// arguments and options, list options that repeat, and usage errors that name the problem.
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../lib/admin/command-line.ts';
import { UsageError } from '../../../lib/admin/errors.ts';

const parse = (line: string) => parseCommandLine(line.split(' '));
const usage = (argv: string[]) => {
  try {
    parseCommandLine(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
};

describe('clients command line', () => {
  it('reads create with repeated and space-separated options', () => {
    const line = parseCommandLine([
      'clients',
      'create',
      '--name',
      'My SPA',
      '--auth-method',
      'none',
      '--redirect-uri',
      'https://a.example.com/cb',
      '--redirect-uri',
      'http://127.0.0.1/cb',
      '--scope',
      'openid profile',
      '--scope',
      'email',
      '--first-party',
      '--json',
      '--stage',
      'prod',
    ]);
    expect(line).toMatchObject({ command: 'clients', stage: 'prod', json: true });
    expect(line.clients).toEqual({
      action: 'create',
      changes: {
        name: 'My SPA',
        tokenEndpointAuthMethod: 'none',
        redirectUris: ['https://a.example.com/cb', 'http://127.0.0.1/cb'],
        scopes: ['openid', 'profile', 'email'],
        firstParty: true,
      },
      ttlSeconds: 3600,
    });
  });

  it('reads the client id of show, update, delete and rotate-secret', () => {
    for (const action of ['show', 'delete', 'rotate-secret']) expect(parse(`clients ${action} c_x`).clients).toMatchObject({ action, clientId: 'c_x' });
    expect(parse('clients update c_x --third-party').clients).toMatchObject({ action: 'update', clientId: 'c_x', changes: { firstParty: false } });
  });

  it('reads registration-token with its lifetime, an hour by default', () => {
    expect(parse('clients registration-token --ttl 600').clients).toMatchObject({ ttlSeconds: 600 });
    expect(parse('clients registration-token').clients).toMatchObject({ ttlSeconds: 3600 });
    expect(usage(['clients', 'registration-token', '--ttl', '10m'])).toMatch(/--ttl takes a whole number/);
  });

  it.each([
    [['clients'], /takes an action/],
    [['clients', 'frobnicate'], /Unknown clients action "frobnicate"/],
    [['clients', 'show'], /"clients show" takes <client_id>; got none/],
    [['clients', 'list', 'extra'], /"clients list" takes no arguments/],
    [['clients', 'create', '--auth-method', 'none'], /needs --name/],
    [['clients', 'update', 'c_x'], /at least one option/],
    [['clients', 'delete', 'c_x', '--name', 'x'], /does not take --name/],
    [['clients', 'update', 'c_x', '--first-party', '--third-party'], /not both/],
    [['create', 'jane', 'jane@example.com', '--redirect-uri', 'https://a.example.com/'], /"create" does not take --redirect-uri/],
  ])('refuses %j', (argv, message) => {
    expect(usage(argv)).toMatch(message);
  });
});
