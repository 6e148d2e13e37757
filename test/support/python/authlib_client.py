# A relying party written with Authlib (Debian's python3-authlib, over python3-requests), driven by
# test/e2e/oauth-authlib.test.ts: everything it learns comes from the discovery document. It reads
# one JSON job on stdin and prints one JSON result; any exception is printed as {"error": ...}.
import json
import sys

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt
from authlib.oidc.core import CodeIDToken


def discover(issuer):
    return requests.get(issuer + '/.well-known/openid-configuration', timeout=10).json()


def code_flow(job, meta):
    # The callback URL as /oauth/authorize sends it (code, state, iss: RFC 9207).
    client = OAuth2Session(job['client_id'], job['client_secret'], scope='openid profile email',
                           redirect_uri=job['redirect_uri'], code_challenge_method='S256',
                           token_endpoint_auth_method='client_secret_basic')
    token = client.fetch_token(meta['token_endpoint'], authorization_response=job['callback'],
                               code_verifier=job['code_verifier'], state=job['state'])
    keys = JsonWebKey.import_key_set(requests.get(meta['jwks_uri'], timeout=10).json())
    claims = jwt.decode(token['id_token'], keys, claims_cls=CodeIDToken,
                        claims_options={'iss': {'essential': True, 'value': meta['issuer']}},
                        claims_params={'nonce': job['nonce'], 'client_id': job['client_id'],
                                       'access_token': token['access_token']})
    claims.validate()
    userinfo = client.get(meta['userinfo_endpoint']).json()
    refreshed = client.refresh_token(meta['token_endpoint'], refresh_token=token['refresh_token'])
    introspected = client.introspect_token(meta['introspection_endpoint'], token=refreshed['access_token']).json()
    revoked = client.revoke_token(meta['revocation_endpoint'], token=refreshed['refresh_token'],
                                  token_type_hint='refresh_token')
    # Authlib raises on an error answer; the raw request shows the status and OAuth error body.
    after = requests.post(meta['token_endpoint'], auth=(job['client_id'], job['client_secret']),
                          data={'grant_type': 'refresh_token', 'refresh_token': refreshed['refresh_token']}, timeout=10)
    return {
        'token_type': token['token_type'],
        'id_token_claims': dict(claims),
        'userinfo': userinfo,
        'rotated': refreshed['refresh_token'] != token['refresh_token'],
        'introspected': introspected,
        'revoke_status': revoked.status_code,
        'refresh_after_revoke': {'status': after.status_code, 'body': after.json()},
    }


def client_credentials(job, meta):
    client = OAuth2Session(job['client_id'], job['client_secret'], token_endpoint_auth_method='client_secret_post')
    token = client.fetch_token(meta['token_endpoint'], grant_type='client_credentials', resource=job['resource'],
                               scope=job['scope'])
    return {'token_type': token['token_type'], 'scope': token.get('scope'), 'access_token': token['access_token'],
            'refresh_token': token.get('refresh_token')}


def main():
    job = json.load(sys.stdin)
    meta = discover(job['issuer'])
    try:
        result = code_flow(job, meta) if job['flow'] == 'code' else client_credentials(job, meta)
    except Exception as error:  # reported to the test, which shows it
        result = {'error': '%s: %s' % (type(error).__name__, error)}
    print(json.dumps(result))


main()
