// `npm run admin -- keys migrate`: re-wraps signing keys encrypted under KEY_ENCRYPTION_SECRET (the
// `v1.` format of deployments made before KMS) into KMS envelopes, so that the secret can be
// removed from every function. Safe to repeat and to interrupt:
// - every old key is decrypted with the secret before anything is written, so a wrong secret
//   changes nothing;
// - each new envelope is opened again through KMS before it is stored, so nothing is stored that
//   the service could not read;
// - each key is rewritten by one conditional write that holds only while its old ciphertext is
//   still there: a run stopped halfway leaves every key either old (readable with the secret) or
//   migrated (readable through KMS), and the next run does the rest;
// - keys already in an envelope are left alone, so a second run changes nothing.
// `--dry-run` reads and checks the same way and writes nothing.
import type { SigningKeyStore } from '../domain/signing-key.ts';
import { isLegacySealed, type KeyEnvelope } from '../tokens/key-envelope.ts';
import { decryptPrivateKey } from '../tokens/legacy-key-encryption.ts';
import { AdminError } from './errors.ts';

export interface MigrationDeps {
  store: SigningKeyStore;
  envelope: KeyEnvelope;
  /** KEY_ENCRYPTION_SECRET; undefined when it is not set (fine if nothing needs migrating). */
  legacySecret: string | undefined;
}

export type KeyOutcome = { kid: string; status: string; outcome: 'migrated' | 'would-migrate' | 'already-kms' | 'migrated-meanwhile' };

export async function migrateSigningKeys(deps: MigrationDeps, options: { dryRun: boolean }): Promise<KeyOutcome[]> {
  const keys = await deps.store.loadSealed();
  const legacy = keys.filter(isLegacySealed);
  if (legacy.length && !deps.legacySecret) {
    throw new AdminError(
      `${legacy.length} signing key(s) are encrypted under KEY_ENCRYPTION_SECRET: set it to the secret they were made with. Nothing was changed.`,
    );
  }
  // All of them first: a wrong secret is found before the first write.
  const plaintexts = new Map<string, string>();
  for (const key of legacy) {
    try {
      plaintexts.set(key.kid, decryptPrivateKey(key.encryptedPrivateJwk, key.kid, deps.legacySecret!));
    } catch {
      throw new AdminError(
        `KEY_ENCRYPTION_SECRET does not decrypt signing key ${key.kid}: it is not the secret these keys were made with. Nothing was changed.`,
      );
    }
  }

  const outcomes: KeyOutcome[] = [];
  for (const key of keys) {
    const base = { kid: key.kid, status: key.status };
    if (!isLegacySealed(key)) {
      outcomes.push({ ...base, outcome: 'already-kms' });
      continue;
    }
    if (options.dryRun) {
      outcomes.push({ ...base, outcome: 'would-migrate' });
      continue;
    }
    const plaintext = plaintexts.get(key.kid)!;
    const sealed = await deps.envelope.seal(plaintext, key.kid);
    if ((await deps.envelope.open(sealed, key.kid)) !== plaintext)
      throw new AdminError(`The KMS envelope of ${key.kid} did not open to the same key. Nothing was written for it.`);
    const written = await deps.store.reseal(key.kid, key.encryptedPrivateJwk, sealed);
    outcomes.push({ ...base, outcome: written ? 'migrated' : 'migrated-meanwhile' });
  }
  return outcomes;
}

/** One line per key, then what to do next. */
export function migrationReport(outcomes: KeyOutcome[], options: { dryRun: boolean; kmsKeyId: string | undefined }): string {
  const words: Record<KeyOutcome['outcome'], string> = {
    migrated: `re-wrapped under KMS key ${options.kmsKeyId}`,
    'would-migrate': `would be re-wrapped under KMS key ${options.kmsKeyId}`,
    'already-kms': 'already in a KMS envelope: unchanged',
    'migrated-meanwhile': 'changed by another run meanwhile: left as it is',
  };
  const lines = outcomes.map(({ kid, status, outcome }) => `  ${kid} (${status}): ${words[outcome]}`);
  if (!outcomes.length) lines.push('  no signing keys yet: nothing to migrate');
  const pending = outcomes.filter((o) => o.outcome === 'would-migrate').length;
  if (options.dryRun) lines.push(pending ? `Dry run: nothing written. Run without --dry-run to re-wrap ${pending} key(s).` : 'Dry run: nothing to do.');
  else lines.push('Done. KEY_ENCRYPTION_SECRET is no longer needed: remove it from your shell and CI.');
  return [options.dryRun ? 'Signing keys (dry run):' : 'Signing keys:', ...lines].join('\n');
}
