// The key ring split in two: the verify-only keys (public, read-only, no secret) and the signer.
// What the verify side can do, how its cache refreshes, and that it sees what a signer of the same
// instance creates or rotates at once, while another instance finds it through its own reads.
import { beforeEach, describe, expect, it } from 'vitest';
import type { KeySet } from '../../../lib/domain/signing-key.ts';
import { createKeyEnvelope } from '../../../lib/tokens/key-envelope.ts';
import { createSigner, type Signer } from '../../../lib/tokens/signer.ts';
import { createVerificationKeys, type SigningKeyReads, UNKNOWN_KID_RELOAD_MS, type VerificationKeys } from '../../../lib/tokens/verification-keys.ts';
import { inProcessDataKeys } from '../../../scripts/local-kms/in-process.ts';
import { type TestClock, testClock } from '../../support/clock.ts';
import { memorySigningKeyStore } from '../../support/memory-signing-key-store.ts';

const CACHE_SECONDS = 300;

let clock: TestClock;
let store: ReturnType<typeof memorySigningKeyStore>;
/** Only `load`: the port a verifier is built from has no write method to call. */
let reads: SigningKeyReads & { loads: number };
let verificationKeys: VerificationKeys;
let signer: Signer;

beforeEach(() => {
  clock = testClock(Date.UTC(2026, 10, 23, 12, 0, 0));
  store = memorySigningKeyStore();
  reads = {
    loads: 0,
    load: async () => {
      reads.loads += 1;
      return store.load();
    },
  };
  verificationKeys = createVerificationKeys({ reads, clock, cacheSeconds: CACHE_SECONDS });
  const envelope = createKeyEnvelope(inProcessDataKeys(), { service: 'test', stage: 'unit' });
  signer = createSigner({ store, clock, envelope: () => envelope, verificationKeys, maxTokenLifetimeSeconds: 1800 });
});

describe('verify-only keys', () => {
  it('have no way to sign, rotate or write: only public-key methods and a read-only cache', () => {
    expect(Object.keys(verificationKeys).sort()).toEqual(['cachedVerificationKey', 'keySets', 'publicJwks', 'verificationKey']);
    expect(Object.keys(verificationKeys.keySets).sort()).toEqual(['cacheSeconds', 'get', 'isFresh', 'last', 'reload']);
    expect(verificationKeys).not.toHaveProperty('signingKey');
    expect(verificationKeys).not.toHaveProperty('rotate');
    expect(Object.keys(signer).sort()).toEqual(['ensureKeys', 'rotate', 'signingKey']);
  });

  it('hand out public keys only, though the set they read holds the encrypted private ones', async () => {
    const { kid } = await signer.signingKey();
    const key = await verificationKeys.verificationKey(kid);
    expect(key?.type).toBe('public');
    expect(verificationKeys.cachedVerificationKey(kid)?.type).toBe('public');
    for (const jwk of await verificationKeys.publicJwks()) expect(jwk).not.toHaveProperty('d');
  });

  it('never create keys: an empty table gives no key and no JWKS, and stays empty', async () => {
    expect(await verificationKeys.publicJwks()).toEqual([]);
    expect(await verificationKeys.verificationKey('anything')).toBeUndefined();
    expect((await store.load()).keys).toEqual([]);
  });
});

describe('the verify-only cache (as the single key ring had it)', () => {
  it('reads the set once per KEY_CACHE_SECONDS', async () => {
    await signer.signingKey();
    const before = reads.loads;
    await verificationKeys.publicJwks();
    await verificationKeys.publicJwks();
    expect(reads.loads).toBe(before);
    clock.advance(CACHE_SECONDS - 1);
    await verificationKeys.publicJwks();
    expect(reads.loads).toBe(before);
    clock.advance(1);
    await verificationKeys.publicJwks();
    expect(reads.loads).toBe(before + 1);
  });

  it('never caches a set without keys: the first signer may create them any moment', async () => {
    await verificationKeys.publicJwks();
    await verificationKeys.publicJwks();
    expect(reads.loads).toBe(2);
  });

  it('reloads for an unknown kid at most once a second', async () => {
    await signer.signingKey();
    const before = reads.loads;
    expect(await verificationKeys.verificationKey('junk')).toBeUndefined();
    expect(reads.loads).toBe(before);
    clock.advance(UNKNOWN_KID_RELOAD_MS / 1000);
    expect(await verificationKeys.verificationKey('junk')).toBeUndefined();
    expect(reads.loads).toBe(before + 1);
    expect(await verificationKeys.verificationKey('junk')).toBeUndefined();
    expect(reads.loads).toBe(before + 1);
  });

  it('answers the synchronous hot path only for an imported key in a fresh set', async () => {
    const { kid } = await signer.signingKey();
    expect(verificationKeys.cachedVerificationKey(kid)).toBeUndefined(); // not imported yet
    const key = await verificationKeys.verificationKey(kid);
    expect(verificationKeys.cachedVerificationKey(kid)).toBe(key);
    clock.advance(CACHE_SECONDS);
    expect(verificationKeys.cachedVerificationKey(kid)).toBeUndefined(); // the set is stale
  });
});

describe('rotation, as the verifier sees it', () => {
  it("a verifier sharing the signer's cache sees the first keys and every rotation at once, with no extra read", async () => {
    const { kid: first } = await signer.signingKey();
    expect(await verificationKeys.verificationKey(first)).toBeDefined();
    const { kid, nextKid, retiredKid } = await signer.rotate();
    const loads = reads.loads;
    // The clock has not moved: a cache of its own would still hold the set from before the rotation.
    expect((await verificationKeys.publicJwks()).map((k) => k.kid).sort()).toEqual([kid, nextKid, retiredKid].sort());
    expect(await verificationKeys.verificationKey(nextKid)).toBeDefined();
    expect(reads.loads).toBe(loads);
    expect((await signer.signingKey()).kid).toBe(kid);
  });

  it("another instance's verifier finds a key created after it loaded the set, through an unknown-kid reload", async () => {
    await signer.signingKey();
    const elsewhere = createVerificationKeys({ reads: { load: (): Promise<KeySet> => store.load() }, clock, cacheSeconds: CACHE_SECONDS });
    await elsewhere.publicJwks();
    await signer.rotate();
    const { nextKid } = await signer.rotate(); // created after `elsewhere` read the set
    expect(await elsewhere.verificationKey(nextKid)).toBeUndefined(); // within the second: no reload yet
    clock.advance(UNKNOWN_KID_RELOAD_MS / 1000);
    expect(await elsewhere.verificationKey(nextKid)).toBeDefined();
  });

  it('a retired key stays published for the cache time plus the longest token life, then goes', async () => {
    await signer.signingKey();
    const { retiredKid } = await signer.rotate();
    expect(await verificationKeys.verificationKey(retiredKid!)).toBeDefined();
    clock.advance(CACHE_SECONDS + 1800 + 60 - 1);
    expect(await verificationKeys.verificationKey(retiredKid!)).toBeDefined();
    clock.advance(1);
    expect(await verificationKeys.verificationKey(retiredKid!)).toBeUndefined();
    expect((await verificationKeys.publicJwks()).map((k) => k.kid)).not.toContain(retiredKid);
  });
});
