// `npm run admin -- <command>`: account and key administration against the local stack or, with
// --stage, a deployment. This file only reads the command line and prints; the operations are in
// lib/admin/ (see `npm run admin -- help`).

import { deleteUserAccount, finishDeletions, formatAccountDeleted, formatDeletionsFinished } from '../lib/admin/account-deletion.ts';
import { createUser, disableUser, enableUser } from '../lib/admin/accounts.ts';
import { sdkDefaultRegion } from '../lib/admin/aws-region.ts';
import { runClientsCommand } from '../lib/admin/clients.ts';
import { type CommandLine, parseCommandLine } from '../lib/admin/command-line.ts';
import { adminTarget, type KeyAccess, withoutKeys } from '../lib/admin/environment.ts';
import { UsageError } from '../lib/admin/errors.ts';
import { eventsJson, formatUserEvents, listUserEvents } from '../lib/admin/events.ts';
import * as format from '../lib/admin/format.ts';
import { migrateSigningKeys, migrationReport } from '../lib/admin/key-migration.ts';
import { unlockUser } from '../lib/admin/login-lockout.ts';
import { formatFactorsReset, formatUserFactors, listUserFactors, resetUserFactors } from '../lib/admin/mfa.ts';
import { userOverview } from '../lib/admin/overview.ts';
import { readPassword } from '../lib/admin/password-input.ts';
import { grantPermission, revokePermission } from '../lib/admin/permissions.ts';
import { rotateSigningKeys } from '../lib/admin/signing-keys.ts';
import { USAGE } from '../lib/admin/usage.ts';
import { exportUsersToFile, formatExport } from '../lib/admin/user-export.ts';
import { runImport } from '../lib/admin/user-import.ts';
import { kmsDataKeys } from '../lib/aws/kms.ts';
import { loadConfig } from '../lib/config/all.ts';
import { keysConfig } from '../lib/config/sections/keys.ts';
import { signingKeyStore } from '../lib/store/signing-keys.ts';
import { userImportStore } from '../lib/store/user-imports.ts';
import { createKeyEnvelope } from '../lib/tokens/key-envelope.ts';
import { buildDependencies, type Dependencies } from '../lib/wiring/dependencies.ts';
import { LOCAL_KMS_ALIAS, LOCAL_TABLE_NAME, legacyKeyEncryptionSecret } from './local-data.ts';

async function run(line: CommandLine, deps: Dependencies, env: Record<string, string | undefined>): Promise<string> {
  const { args } = line;
  switch (line.command) {
    case 'create': {
      if (line.password.from === 'argv') console.error('Warning: --password is visible in shell history and the process list.');
      const password = await readPassword(line.password, { stdin: process.stdin, stderr: process.stderr });
      return format.created(await createUser({ username: args.username!, email: args.email!, password, profile: line.profile }, deps));
    }
    case 'disable':
      return format.disabled(await disableUser(args.user!, deps));
    case 'enable':
      return format.enabled(await enableUser(args.user!, deps));
    case 'unlock':
      return format.unlocked(await unlockUser(args.user!, deps));
    case 'grant':
      return format.granted(await grantPermission(args.user!, args.permission!, deps));
    case 'revoke':
      return format.revoked(await revokePermission(args.user!, args.permission!, deps));
    case 'list': {
      const view = await userOverview(args.user!, deps);
      return line.json ? JSON.stringify(view, null, 2) : format.overview(view);
    }
    case 'mfa': {
      if (args.action === 'reset') return formatFactorsReset(await resetUserFactors(args.user!, deps));
      const factors = await listUserFactors(args.user!, deps);
      return line.json ? JSON.stringify(factors.factors, null, 2) : formatUserFactors(factors);
    }
    case 'accounts':
      return args.action === 'delete' ? formatAccountDeleted(await deleteUserAccount(args.user!, deps)) : formatDeletionsFinished(await finishDeletions(deps));
    case 'events': {
      const found = await listUserEvents(args.user!, line.events, deps);
      return line.json ? JSON.stringify(eventsJson(found), null, 2) : formatUserEvents(found);
    }
    case 'rotate-keys':
      return format.rotated(await rotateSigningKeys(deps));
    case 'keys': {
      const { config } = deps;
      const outcomes = await migrateSigningKeys(
        {
          store: signingKeyStore(deps.db, config.tableName),
          envelope: createKeyEnvelope(kmsDataKeys(config), config.keyContext),
          // The one reader of KEY_ENCRYPTION_SECRET left.
          legacySecret: keysConfig(env).keyEncryptionSecret,
        },
        { dryRun: line.dryRun },
      );
      return migrationReport(outcomes, { dryRun: line.dryRun, kmsKeyId: config.kmsKeyId });
    }
    case 'migrate-identifiers':
      return format.migrated(await deps.users.migrateIdentifierClaims());
    case 'export':
      return formatExport(args.file!, await exportUsersToFile({ file: args.file!, stderr: process.stderr }, deps));
    case 'import': {
      // Ctrl-C: the rows in flight finish and the summary says how far it got; a second Ctrl-C kills.
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      const { text, exitCode } = await runImport(
        { file: args.file!, dryRun: line.dryRun, ...line.import },
        // Only what the import uses: spreading deps would build every lazily made dependency.
        { config: deps.config, clock: deps.clock, userNumbers: deps.userNumbers, imports: userImportStore(deps.db, deps.config.tableName) },
        { stderr: process.stderr, signal: stop.signal },
      );
      process.exitCode = exitCode;
      return text;
    }
    case 'clients':
      return runClientsCommand(line.clients!, { json: line.json }, deps);
    case 'help':
      return USAGE;
  }
}

try {
  const line = parseCommandLine(process.argv.slice(2));
  if (line.command === 'help') {
    console.log(USAGE);
  } else {
    const keyAccess: KeyAccess = line.command === 'keys' ? 'migrate' : line.command === 'rotate-keys' ? 'kms' : 'none';
    const target = await adminTarget({
      stage: line.stage,
      keyAccess,
      env: process.env,
      local: { tableName: LOCAL_TABLE_NAME, kmsKeyId: LOCAL_KMS_ALIAS, legacySecret: legacyKeyEncryptionSecret },
      defaultRegion: sdkDefaultRegion,
    });
    console.error(`auth-service admin: ${target.description}`);
    const deps = buildDependencies(loadConfig(target.env));
    console.log(await run(line, keyAccess === 'none' ? withoutKeys(deps) : deps, target.env));
  }
} catch (error) {
  console.error(`Error: ${format.failure(error)}`);
  if (error instanceof UsageError) console.error(`\n${USAGE}`);
  process.exitCode = 1;
}
