import { describe, expect, it } from 'vitest';
import { redactForLog } from '../../lib/support/log.ts';

describe('log redaction', () => {
  it('never writes passwords, tokens, hashes, secrets or private key members', () => {
    const redacted = JSON.stringify(
      redactForLog({
        user: { username: 'jane', password: 'hunter22', passwordHash: '$argon2id$...' },
        headers: { authorization: 'Bearer eyJ...', 'x-auth-token': 'abc' },
        refresh_token: 'r',
        jwk: { kty: 'RSA', n: 'public', d: 'private', p: 'private', q: 'private' },
        keyEncryptionSecret: 'k',
      }),
    );
    for (const secret of ['hunter22', '$argon2id$', 'eyJ', '"abc"', '"r"', 'private', '"k"']) expect(redacted).not.toContain(secret);
    expect(redacted).toContain('jane');
    expect(redacted).toContain('public');
  });
});
