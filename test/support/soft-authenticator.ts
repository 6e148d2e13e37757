// A software WebAuthn authenticator for tests that run without a browser: ES256 credentials, 'none'
// attestation, a signature counter, and the JSON a browser's PublicKeyCredential.toJSON() gives
// (WebAuthn Level 3 §5.1, §6.1 authenticator data, §6.5 attestation object, §6.3.3 assertion
// signature). Chromium's virtual authenticator covers the real thing (test/browser/passkeys.test.ts).
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const b64url = (data: Uint8Array | string) => Buffer.from(data).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

/** §6.1 flags. */
const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;
const AT = 0x40;

export interface SoftCredential {
  id: Buffer;
  privateKey: KeyObject;
  publicJwk: { x: string; y: string };
  userHandle: string;
  counter: number;
}

export interface SoftAuthenticatorOptions {
  origin: string;
  rpId: string;
  /** Whether credentials are synced (backup eligible and backed up: a multi-device passkey). */
  synced?: boolean;
  /** Whether the user is verified (§6.2.3); default true. */
  userVerified?: boolean;
  /** Whether the counter moves (false: always 0, as synced passkeys do). */
  counts?: boolean;
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];

  constructor(readonly options: SoftAuthenticatorOptions) {}

  private flags(extra = 0): number {
    return UP | (this.options.userVerified === false ? 0 : UV) | (this.options.synced ? BE | BS : 0) | extra;
  }

  private authData(credential: SoftCredential, attested: boolean): Buffer {
    if (this.options.counts !== false) credential.counter += 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.options.counts === false ? 0 : credential.counter);
    const head = Buffer.concat([sha256(this.options.rpId), Buffer.from([this.flags(attested ? AT : 0)]), counter]);
    if (!attested) return head;
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const coseKey = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(credential.publicJwk.x, 'base64url')],
        [-3, Buffer.from(credential.publicJwk.y, 'base64url')],
      ]),
    );
    return Buffer.concat([head, Buffer.alloc(16), idLength, credential.id, Buffer.from(coseKey)]);
  }

  private clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin = this.options.origin): string {
    return b64url(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** navigator.credentials.create() for these options: a new credential, as RegistrationResponseJSON. */
  register(options: { challenge: string; user: { id: string } }, overrides: { origin?: string } = {}) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
    const credential: SoftCredential = { id: randomBytes(16), privateKey, publicJwk: jwk, userHandle: options.user.id, counter: 0 };
    this.credentials.push(credential);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', this.authData(credential, true)],
      ]) as never,
    );
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      response: {
        clientDataJSON: this.clientData('webauthn.create', options.challenge, overrides.origin),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** navigator.credentials.get() for this challenge with `credential` (the last one registered by default), as AuthenticationResponseJSON. */
  assert(challenge: string, credential = this.credentials.at(-1)!, overrides: { origin?: string } = {}) {
    const authenticatorData = this.authData(credential, false);
    const clientDataJSON = this.clientData('webauthn.get', challenge, overrides.origin);
    const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(Buffer.from(clientDataJSON, 'base64url'))]), credential.privateKey);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      response: { clientDataJSON, authenticatorData: b64url(authenticatorData), signature: b64url(signature), userHandle: credential.userHandle },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** A copy of a credential (same key) with its own counter: a cloned authenticator (§6.1.1). */
  clone(credential: SoftCredential, counter: number): SoftCredential {
    const copy = { ...credential, counter };
    this.credentials.push(copy);
    return copy;
  }
}
