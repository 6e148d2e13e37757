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

  it('never writes second-factor secrets: TOTP codes and URIs, recovery codes, sealed secrets (issue 17)', () => {
    const redacted = JSON.stringify(
      redactForLog({
        body: { mfa_token: 'mt', code: '123456', recovery_code: '7kq2-m9xd' },
        enrolment: { secret: 'JBSWY3DP', otpauthUri: 'otpauth://totp/x?secret=JBSWY3DP', recoveryCodes: ['abcd-efgh'] },
        sealed: { ciphertext: 'kms1.iv.ct', wrappedDataKey: 'wdk' },
        userId: 'u-1',
      }),
    );
    for (const secret of ['"mt"', '123456', '7kq2', 'JBSWY3DP', 'abcd-efgh', 'kms1.', 'wdk']) expect(redacted).not.toContain(secret);
    expect(redacted).toContain('u-1');
  });
});
