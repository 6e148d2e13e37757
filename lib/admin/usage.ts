// The admin CLI's help text (`npm run admin -- help`), also printed after a usage error.

export const USAGE = `Usage: npm run admin -- <command> [arguments] [--stage <name>]

Manages accounts and signing keys directly in the service's table. <user> is a
username, an email address, a user id, or the id the account had in the system it
was imported or migrated from.

Commands:
  create <username> <email>   Create an account, with the same validation, password
                              policy and hashing as POST /register. The password is
                              asked for (hidden) or read from stdin (--password-stdin).
                              --password <password> works too but is UNSAFE: it ends
                              up in shell history and the process list.
                              Profile fields: --first-name --last-name --country
                              --organisation-type --organisation-name --job-title
  disable <user>              Disable the account and, in the same write, end all its
                              sessions, refresh tokens, access tokens and API tokens.
  enable <user>               Let the account log in again. What disabling ended stays
                              ended.
  unlock <user>               End the account's failed-login wait (LOGIN_MAX_FAILURES
                              reached), e.g. once the user has proved who they are.
  grant <user> <permission>   Give a permission (what a service in SERVICES requires).
  revoke <user> <permission>  Take it away; service tokens it granted stop working.
  list <user> [--json]        Status, permissions, sessions and API tokens (no secrets).
  mfa list <user> [--json]    The user's second factors (TOTP, passkeys, recovery
                              codes left): metadata only, never a secret.
  mfa reset <user>            Remove every second factor and the recovery codes, end
                              every session, and mail the user (who lost them all).
  accounts delete <user>      Delete the account as DELETE /me does: frees its username
                              and email, removes its sessions, tokens, factors and
                              links, keeps its security events only under a pseudonym,
                              and mails the owner.
  accounts finish-deletions   Finish every deletion an interruption left unfinished.
  events <user> [--type <a,b>] [--since <2026-11-01|7d>] [--limit <n>] [--json]
                              The user's security events, newest first (default 50,
                              at most 1000): logins, failures, lockouts, factor and
                              token changes, sessions ended (docs/events.md).
  rotate-keys                 Promote the published next signing key and stage a new
                              one (what \`npm run rotate-keys\` does). Refuses, changing
                              nothing, if the current or next key does not open.
  migrate-identifiers         Give every account the canonical username and email keys
                              (full case folding, punycode domains; SECURITY.md,
                              "Identifiers"). Run once after upgrading; safe to repeat.
                              Names two old accounts now share are listed: both keep
                              logging in as before.
  export <file.jsonl>         Write every account (not those being deleted) to the file,
                              one JSON object per line in the format import reads
                              (docs/migration.md): password hashes in PHC or modular-
                              crypt form, null where there is no usable password. The
                              file is created with mode 0600 and never printed.
  import <file.jsonl> [--dry-run] [--concurrency <n>] [--firebase-scrypt <params>]
                              Bring users from another system with their password
                              hashes (docs/migration.md): one JSON object a line,
                              each checked with the registration rules; rows not
                              imported go to <file>.rejects.jsonl with the reasons.
                              Safe to repeat and to interrupt: accounts already
                              here are skipped. --concurrency: transactions in
                              flight (default 16, at most 64). --dry-run checks
                              every row and writes nothing. Firebase exports:
                              --firebase-scrypt signer-key=<b64>,salt-separator=<b64>,
                              rounds=<n>,mem-cost=<n>. Exit status 2: rows rejected.
  keys migrate [--dry-run]    Re-wrap signing keys encrypted under KEY_ENCRYPTION_SECRET
                              (deployments made before KMS) into KMS envelopes. Safe
                              to repeat and to interrupt; --dry-run writes nothing.
  clients <action>            OAuth clients (docs/operations.md), with the rules of
                              RFC 7591 registration plus what only an operator grants:
    create --name <name> [metadata options] [--first-party] [--json]
                              Register a client. Confidential by default
                              (client_secret_basic); --auth-method none makes a public
                              one (browser and native apps, PKCE, no secret). Grant
                              types default to authorization_code refresh_token. The
                              secret is printed once.
    list [--json]             Every client (no secrets).
    show <client_id> [--json] One client's registration.
    update <client_id> [metadata options] [--first-party | --third-party] [--json]
                              Change a client; a list option replaces the whole list.
                              A client stays public or confidential for life.
    delete <client_id>        Remove a client; its tokens stop refreshing.
    rotate-secret <client_id> [--json]
                              A new secret, printed once; the old one stops working.
    registration-token [--ttl <seconds>]
                              An initial access token for POST /oauth/register when
                              OAUTH_DYNAMIC_REGISTRATION=token (default 3600 s, at
                              most 86400); valid for any number of registrations.
    Metadata options: --redirect-uri <uri> (repeatable; exact match, http only on
    loopback) --post-logout-redirect-uri <uri> (repeatable) --scope "<scopes>"
    (default openid profile email; API scopes allowed) --grant-type
    authorization_code|refresh_token|client_credentials (repeatable) --auth-method
    none|client_secret_basic|client_secret_post --resource <uri> (repeatable; the
    audiences of client_credentials tokens) --client-uri <url>
  help                        This text.

Where it acts:
  (default)        The local stack of \`npm start\`: table auth-service-local on
                   DynamoDB Local at 127.0.0.1:$DYNAMODB_PORT (8000).
  --stage <name>   A deployment: table auth-service-<name>, with AWS credentials
                   and region from the usual AWS variables or profile (AWS_PROFILE,
                   AWS_REGION, ...). Needs DynamoDB read/write on that table.
  TABLE_NAME and DYNAMODB_ENDPOINT override the table and endpoint in both cases.

rotate-keys and keys migrate use KMS: locally the endpoint of \`npm start\`
(127.0.0.1:$KMS_PORT, 8006); for a stage the key alias/auth-service-<name> (or
KMS_KEY_ID), which needs kms:GenerateDataKey and kms:Decrypt on it.
KEY_ENCRYPTION_SECRET is read only by keys migrate: for a stage, export the secret
the stage was deployed with (a wrong one is refused before anything changes);
locally it defaults to .data/key-encryption-secret if an older \`npm start\` made
one. A rotation keeps the old key
published for ACCESS_TOKEN_TTL/SERVICE_TOKEN_TTL plus KEY_CACHE_SECONDS as set in
this shell: if the stage changed them, set the same values, or run
\`npx serverless invoke -f rotateKeys --stage <name>\` instead.
create validates against this shell's REQUIRED_PROFILE_FIELDS and hashes with its
ARGON2_* settings; grant reports the services of this shell's SERVICES.

Exit status: 0 on success (also when there was nothing to change), 1 on any error
(import: also when rows could not be written or it was interrupted; 2 when rows
were rejected).

Examples:
  npm run admin -- create jane jane@example.com --first-name Jane
  printf '%s' "$PASSWORD" | npm run admin -- create ci-bot ci@example.com --password-stdin
  npm run admin -- import users.jsonl --dry-run
  npm run admin -- grant jane reports:read
  npm run admin -- list jane@example.com
  npm run admin -- events jane --type login_failed,login_locked_out --since 7d
  npm run admin -- export users.jsonl --stage prod
  npm run admin -- clients create --name "My SPA" --auth-method none --first-party \\
      --redirect-uri https://app.example.com/callback
  AWS_PROFILE=prod npm run admin -- disable jane --stage prod
  KEY_ENCRYPTION_SECRET=... npm run admin -- keys migrate --dry-run --stage prod
`;
