// `npm run admin -- <command>`: account and key administration against the local stack or, with
// --stage, a deployment. This file only reads the command line and prints; the operations are in
// lib/admin/ (see `npm run admin -- help`).

import { createUser, disableUser, enableUser } from '../lib/admin/accounts.ts';
import { sdkDefaultRegion } from '../lib/admin/aws-region.ts';
import { type CommandLine, parseCommandLine } from '../lib/admin/command-line.ts';
import { adminTarget, withoutKeys } from '../lib/admin/environment.ts';
import { UsageError } from '../lib/admin/errors.ts';
import * as format from '../lib/admin/format.ts';
import { unlockUser } from '../lib/admin/login-lockout.ts';
import { userOverview } from '../lib/admin/overview.ts';
import { readPassword } from '../lib/admin/password-input.ts';
import { grantPermission, revokePermission } from '../lib/admin/permissions.ts';
import { rotateSigningKeys } from '../lib/admin/signing-keys.ts';
import { USAGE } from '../lib/admin/usage.ts';
import { loadConfig } from '../lib/config/all.ts';
import { buildDependencies, type Dependencies } from '../lib/wiring/dependencies.ts';
import { keyEncryptionSecret, LOCAL_TABLE_NAME } from './local-data.ts';

async function run(line: CommandLine, deps: Dependencies): Promise<string> {
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
    case 'rotate-keys':
      return format.rotated(await rotateSigningKeys(deps));
    case 'migrate-identifiers':
      return format.migrated(await deps.users.migrateIdentifierClaims());
    case 'help':
      return USAGE;
  }
}

try {
  const line = parseCommandLine(process.argv.slice(2));
  if (line.command === 'help') {
    console.log(USAGE);
  } else {
    const needsKeySecret = line.command === 'rotate-keys';
    const target = await adminTarget({
      stage: line.stage,
      needsKeySecret,
      env: process.env,
      local: { tableName: LOCAL_TABLE_NAME, keyEncryptionSecret },
      defaultRegion: sdkDefaultRegion,
    });
    console.error(`auth-service admin: ${target.description}`);
    const deps = buildDependencies(loadConfig(target.env));
    console.log(await run(line, needsKeySecret ? deps : withoutKeys(deps)));
  }
} catch (error) {
  console.error(`Error: ${format.failure(error)}`);
  if (error instanceof UsageError) console.error(`\n${USAGE}`);
  process.exitCode = 1;
}
