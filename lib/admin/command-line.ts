// The admin CLI's command line: which commands exist, what each takes, and turning argv into one
// checked request. Anything unknown, missing or extra is a UsageError naming it.
import { parseArgs } from 'node:util';
import { PROFILE_FIELDS, type ProfileField } from '../domain/profile.ts';
import { CLIENT_OPTIONS, type ClientsCommand, parseClientsCommand } from './client-command-line.ts';
import { UsageError } from './errors.ts';

export const COMMANDS = {
  create: { args: ['username', 'email'], options: ['password-stdin', 'password', ...PROFILE_FIELDS.map(optionName)] },
  disable: { args: ['user'], options: [] },
  enable: { args: ['user'], options: [] },
  unlock: { args: ['user'], options: [] },
  grant: { args: ['user', 'permission'], options: [] },
  revoke: { args: ['user', 'permission'], options: [] },
  list: { args: ['user'], options: ['json'] },
  mfa: { args: ['action', 'user'], options: ['json'] },
  // `accounts delete <user>` or `accounts finish-deletions`: parsed apart (parseAccountsCommand).
  accounts: { args: ['action', 'user'], options: [] },
  events: { args: ['user'], options: ['type', 'since', 'limit', 'json'] },
  'rotate-keys': { args: [], options: [] },
  keys: { args: ['action'], options: ['dry-run'] },
  'migrate-identifiers': { args: [], options: [] },
  export: { args: ['file'], options: [] },
  import: { args: ['file'], options: ['dry-run', 'concurrency', 'firebase-scrypt'] },
  // Its actions, arguments and options are in ./client-command-line.ts.
  clients: { args: ['action'], options: [] },
  help: { args: [], options: [] },
} as const satisfies Record<string, { args: readonly string[]; options: readonly string[] }>;

export type CommandName = keyof typeof COMMANDS;

export interface CommandLine {
  command: CommandName;
  /** The positional arguments by name, e.g. { user: 'jane', permission: 'reports:read' }. */
  args: Record<string, string>;
  stage: string | undefined;
  json: boolean;
  /** `keys migrate --dry-run`: say what would be done, write nothing. */
  dryRun: boolean;
  password: { from: 'prompt' } | { from: 'stdin' } | { from: 'argv'; value: string };
  profile: Partial<Record<ProfileField, string>>;
  /** For `events <user>`: the filters as typed (checked by lib/admin/events.ts). */
  events: { type?: string; since?: string; limit?: string };
  /** For `import <file>`: the options as typed (checked by lib/admin/user-import.ts). */
  import: { concurrency?: string; firebaseScrypt?: string };
  /** For `clients <action>`: the action and what it was given. */
  clients?: ClientsCommand;
}

/** --first-name for first_name: options are spelled with hyphens. */
function optionName(field: ProfileField): string {
  return field.replaceAll('_', '-');
}

const OPTIONS = {
  stage: { type: 'string' },
  json: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  password: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  type: { type: 'string' },
  since: { type: 'string' },
  limit: { type: 'string' },
  concurrency: { type: 'string' },
  'firebase-scrypt': { type: 'string' },
  ...Object.fromEntries(PROFILE_FIELDS.map((field) => [optionName(field), { type: 'string' }])),
  ...CLIENT_OPTIONS,
} as const;

const HELP: CommandLine = {
  command: 'help',
  args: {},
  stage: undefined,
  json: false,
  dryRun: false,
  password: { from: 'prompt' },
  profile: {},
  events: {},
  import: {},
};

export function parseCommandLine(argv: string[]): CommandLine {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // node:util's messages name the option, e.g. "Unknown option '--pasword'. To specify a positional...".
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, '.'));
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const [command, ...given] = parsed.positionals;
  if (values.help || command === undefined || command === 'help') return HELP;
  if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`Unknown command "${command}".`);
  if (values.stage !== undefined && !String(values.stage).trim()) throw new UsageError('--stage needs a stage name.');
  if (command === 'clients') {
    const clients = parseClientsCommand(given, parsed.values as Record<string, string | boolean | string[] | undefined>);
    return { ...HELP, command: 'clients', args: { action: clients.action }, stage: values.stage as string | undefined, json: values.json === true, clients };
  }
  if (command === 'accounts') return parseAccountsCommand(given, values);
  const spec = COMMANDS[command as CommandName];

  if (given.length !== spec.args.length) {
    const expected = spec.args.length ? spec.args.map((arg) => `<${arg}>`).join(' ') : 'no arguments';
    throw new UsageError(`"${command}" takes ${expected}; got ${given.length ? given.map((arg) => `"${arg}"`).join(' ') : 'none'}.`);
  }
  const misplaced = Object.keys(values).filter(
    (option) => values[option] !== undefined && !['stage', 'help'].includes(option) && !(spec.options as readonly string[]).includes(option),
  );
  if (misplaced.length) throw new UsageError(`"${command}" does not take ${misplaced.map((option) => `--${option}`).join(', ')}.`);
  if (values.password !== undefined && values['password-stdin']) throw new UsageError('Give --password or --password-stdin, not both.');
  if (values.stage !== undefined && !String(values.stage).trim()) throw new UsageError('--stage needs a stage name.');
  if (command === 'keys' && given[0] !== 'migrate') throw new UsageError(`"keys" takes one action: migrate; got "${given[0]}".`);
  if (command === 'mfa' && given[0] !== 'list' && given[0] !== 'reset') throw new UsageError(`"mfa" takes list or reset; got "${given[0]}".`);

  const profile: CommandLine['profile'] = {};
  for (const field of PROFILE_FIELDS) {
    const value = values[optionName(field)];
    if (typeof value === 'string') profile[field] = value;
  }
  return {
    command: command as CommandName,
    args: Object.fromEntries(spec.args.map((arg, index) => [arg, given[index]!])),
    stage: values.stage as string | undefined,
    json: values.json === true,
    dryRun: values['dry-run'] === true,
    password:
      typeof values.password === 'string' ? { from: 'argv', value: values.password } : values['password-stdin'] ? { from: 'stdin' } : { from: 'prompt' },
    profile,
    events: Object.fromEntries((['type', 'since', 'limit'] as const).flatMap((name) => (typeof values[name] === 'string' ? [[name, values[name]]] : []))),
    import: {
      ...(typeof values.concurrency === 'string' ? { concurrency: values.concurrency } : {}),
      ...(typeof values['firebase-scrypt'] === 'string' ? { firebaseScrypt: values['firebase-scrypt'] } : {}),
    },
  };
}

/** `accounts delete <user>` and `accounts finish-deletions`, which take different arguments. */
function parseAccountsCommand(given: string[], values: Record<string, string | boolean | undefined>): CommandLine {
  const extra = Object.keys(values).filter((option) => values[option] !== undefined && !['stage', 'help'].includes(option));
  if (extra.length) throw new UsageError(`"accounts" does not take ${extra.map((option) => `--${option}`).join(', ')}.`);
  const [action, ...rest] = given;
  const line = { ...HELP, command: 'accounts' as const, stage: values.stage as string | undefined };
  if (action === 'delete' && rest.length === 1) return { ...line, args: { action, user: rest[0]! } };
  if (action === 'finish-deletions' && rest.length === 0) return { ...line, args: { action } };
  throw new UsageError(`"accounts" takes delete <user> or finish-deletions; got ${given.length ? given.map((arg) => `"${arg}"`).join(' ') : 'none'}.`);
}
