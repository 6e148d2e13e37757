// The `clients` commands of the admin CLI (`npm run admin -- clients <action> ...`): which actions
// exist, the arguments and options each takes, and turning them into one checked request.
// Metadata options map to RFC 7591's fields; their rules are the registry's, not checked here.
import type { ClientChanges } from '../use-cases/oauth-client-registry.ts';
import { REGISTRATION_TOKEN_DEFAULT_TTL_SECONDS } from '../use-cases/oauth-client-registry.ts';
import { UsageError } from './errors.ts';

const METADATA_OPTIONS = ['name', 'redirect-uri', 'post-logout-redirect-uri', 'scope', 'grant-type', 'auth-method', 'resource', 'client-uri'] as const;

export const CLIENT_ACTIONS = {
  create: { args: [], options: [...METADATA_OPTIONS, 'first-party', 'json'] },
  list: { args: [], options: ['json'] },
  show: { args: ['client_id'], options: ['json'] },
  update: { args: ['client_id'], options: [...METADATA_OPTIONS, 'first-party', 'third-party', 'json'] },
  delete: { args: ['client_id'], options: [] },
  'rotate-secret': { args: ['client_id'], options: ['json'] },
  'registration-token': { args: [], options: ['ttl'] },
} as const satisfies Record<string, { args: readonly string[]; options: readonly string[] }>;

export type ClientAction = keyof typeof CLIENT_ACTIONS;

/** Every option a clients action may take, for node:util's parseArgs. */
export const CLIENT_OPTIONS = {
  name: { type: 'string' },
  'redirect-uri': { type: 'string', multiple: true },
  'post-logout-redirect-uri': { type: 'string', multiple: true },
  scope: { type: 'string', multiple: true },
  'grant-type': { type: 'string', multiple: true },
  'auth-method': { type: 'string' },
  resource: { type: 'string', multiple: true },
  'client-uri': { type: 'string' },
  'first-party': { type: 'boolean' },
  'third-party': { type: 'boolean' },
  ttl: { type: 'string' },
} as const;

export interface ClientsCommand {
  action: ClientAction;
  clientId?: string;
  /** For create and update: the metadata given; a list option replaces the stored list as a whole. */
  changes: ClientChanges;
  /** For registration-token: seconds. */
  ttlSeconds: number;
}

type Values = Record<string, string | boolean | string[] | undefined>;

/** The defaults of `clients create`: a client that signs users in and keeps them signed in. */
export const CREATE_DEFAULTS = { grantTypes: ['authorization_code', 'refresh_token'], tokenEndpointAuthMethod: 'client_secret_basic' } as const;

/** `--scope "openid profile" --scope email` and the like: every scope value, in order. */
function scopeValues(values: string[] | undefined): string[] | undefined {
  return values?.flatMap((value) => value.split(/\s+/)).filter((scope) => scope !== '');
}

function metadata(values: Values): ClientChanges {
  const list = (option: string) => values[option] as string[] | undefined;
  const text = (option: string) => values[option] as string | undefined;
  if (values['first-party'] && values['third-party']) throw new UsageError('Give --first-party or --third-party, not both.');
  const firstParty = values['first-party'] ? true : values['third-party'] ? false : undefined;
  const changes: ClientChanges = {
    name: text('name'),
    tokenEndpointAuthMethod: text('auth-method'),
    redirectUris: list('redirect-uri'),
    postLogoutRedirectUris: list('post-logout-redirect-uri'),
    scopes: scopeValues(list('scope')),
    grantTypes: list('grant-type'),
    resources: list('resource'),
    clientUri: text('client-uri'),
    firstParty,
  };
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as ClientChanges;
}

function ttl(value: string | undefined): number {
  if (value === undefined) return REGISTRATION_TOKEN_DEFAULT_TTL_SECONDS;
  if (!/^\d{1,9}$/.test(value)) throw new UsageError(`--ttl takes a whole number of seconds; got "${value}".`);
  return Number(value);
}

/** `clients <action> [<client_id>] [options]`, after the shared options (--stage, --help) are taken out. */
export function parseClientsCommand(positionals: readonly string[], values: Values): ClientsCommand {
  const [action, ...given] = positionals;
  const actions = Object.keys(CLIENT_ACTIONS).join(', ');
  if (action === undefined) throw new UsageError(`"clients" takes an action: ${actions}.`);
  if (!Object.hasOwn(CLIENT_ACTIONS, action)) throw new UsageError(`Unknown clients action "${action}"; the actions are ${actions}.`);
  const spec = CLIENT_ACTIONS[action as ClientAction];
  if (given.length !== spec.args.length) {
    const expected = spec.args.length ? spec.args.map((arg) => `<${arg}>`).join(' ') : 'no arguments';
    throw new UsageError(`"clients ${action}" takes ${expected}; got ${given.length ? given.map((arg) => `"${arg}"`).join(' ') : 'none'}.`);
  }
  const misplaced = Object.keys(values).filter(
    (option) => values[option] !== undefined && !['stage', 'help'].includes(option) && !(spec.options as readonly string[]).includes(option),
  );
  if (misplaced.length) throw new UsageError(`"clients ${action}" does not take ${misplaced.map((option) => `--${option}`).join(', ')}.`);
  const changes = metadata(values);
  if (action === 'create' && changes.name === undefined) throw new UsageError('"clients create" needs --name.');
  if (action === 'update' && Object.keys(changes).length === 0) throw new UsageError('"clients update" needs at least one option to change.');
  return {
    action: action as ClientAction,
    ...(given[0] === undefined ? {} : { clientId: given[0] }),
    changes,
    ttlSeconds: ttl(values.ttl as string | undefined),
  };
}
