// Authlib (a strict Python OAuth/OpenID library, Debian's python3-authlib, which .ci/run installs)
// validates both discovery documents: RFC 8414's AuthorizationServerMetadata and OpenID Connect
// Discovery's OpenIDProviderMetadata. Authlib refused the document we served before the OAuth
// provider (no authorization_endpoint, token_endpoint, response_types_supported).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config/all.ts';
import { providerMetadata } from '../../../lib/use-cases/provider-metadata.ts';

// The system Python, where apt installs Authlib (another python3 on the PATH may lack it).
const PYTHON = '/usr/bin/python3';

const VALIDATE = `
import json, sys
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
from authlib.oidc.discovery import OpenIDProviderMetadata
document = json.load(sys.stdin)
kind = sys.argv[1]
try:
    (AuthorizationServerMetadata if kind == 'oauth' else OpenIDProviderMetadata)(document).validate()
except Exception as error:
    print('INVALID: %s' % error)
    sys.exit(1)
print('VALID')
`;

function authlib(kind: 'oauth' | 'oidc', document: unknown): { status: number | null; output: string } {
  const run = spawnSync(PYTHON, ['-c', VALIDATE, kind], { input: JSON.stringify(document), encoding: 'utf8' });
  if (run.error) throw new Error(`${PYTHON} did not run (${run.error.message}); install Debian's python3-authlib (.ci/run does).`);
  if (/No module named .?authlib/.test(run.stderr)) throw new Error(`Authlib is missing: apt-get install python3-authlib (.ci/run does). ${run.stderr}`);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

// Authlib requires https for the issuer and every endpoint, as RFC 8414 §2 does: a deployed stage.
const document = (mode: string) =>
  providerMetadata(
    loadConfig({ PUBLIC_URL: 'https://auth.example.com', TABLE_NAME: 't', AWS_REGION: 'us-east-1', KMS_KEY_ID: 'alias/t', OAUTH_DYNAMIC_REGISTRATION: mode }),
  );

describe('Authlib validates our discovery documents', () => {
  it.each(['off', 'token', 'open'])('as RFC 8414 and OpenID Connect Discovery metadata (registration %s)', (mode) => {
    expect(authlib('oauth', document(mode))).toEqual({ status: 0, output: 'VALID\n' });
    expect(authlib('oidc', document(mode))).toEqual({ status: 0, output: 'VALID\n' });
  });

  it('and refuses the document we served before, so the check can fail', () => {
    const before = {
      issuer: 'https://auth.example.com',
      jwks_uri: 'https://auth.example.com/.well-known/jwks.json',
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    };
    expect(authlib('oidc', before)).toMatchObject({ status: 1, output: expect.stringMatching(/INVALID: .*authorization_endpoint/) });
    expect(authlib('oauth', { ...document('off'), code_challenge_methods_supported: 'S256' })).toMatchObject({ status: 1 });
  });
});
