// The local KMS endpoint's keys: key material by key id, and aliases, in one JSON file under its
// data directory (`.data/kms/keys.json` for `npm start`, a temporary directory in tests), or only
// in memory. The file is written with mode 0600 and replaced atomically (write, then rename).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface KeysFile {
  keys: Record<string, string>;
  aliases: Record<string, string>;
}

export interface LocalKeyStore {
  /** The key id an id, ARN, alias name or alias ARN names, or undefined. */
  resolve(keyIdOrAlias: string): string | undefined;
  material(keyId: string): Buffer | undefined;
  /** Makes sure the alias exists (with a new key if needed) and returns its key id. */
  ensureAlias(alias: string): string;
}

export function localKeyStore(dataDir: string | undefined): LocalKeyStore {
  const file = dataDir === undefined ? undefined : join(dataDir, 'keys.json');
  let state: KeysFile = { keys: {}, aliases: {} };
  if (file) {
    try {
      state = JSON.parse(readFileSync(file, 'utf8')) as KeysFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const save = () => {
    if (!file) return;
    mkdirSync(dataDir!, { recursive: true, mode: 0o700 });
    writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  };
  // arn:aws:kms:<region>:<account>:key/<id> or :alias/<name>: the part after the last ':'.
  const resource = (name: string) => (name.startsWith('arn:') ? name.slice(name.lastIndexOf(':') + 1) : name);

  return {
    resolve(keyIdOrAlias) {
      const name = resource(keyIdOrAlias);
      if (name.startsWith('alias/')) return state.aliases[name];
      const id = name.startsWith('key/') ? name.slice(4) : name;
      return state.keys[id] ? id : undefined;
    },
    material(keyId) {
      const encoded = state.keys[keyId];
      return encoded ? Buffer.from(encoded, 'base64') : undefined;
    },
    ensureAlias(alias) {
      const existing = state.aliases[alias];
      if (existing) return existing;
      const id = randomUUID();
      state.keys[id] = randomBytes(32).toString('base64');
      state.aliases[alias] = id;
      save();
      return id;
    },
  };
}
