// How a device proof travels: read from the Device-Proof header or the cookie, written as both,
// with the cookie's attributes (HttpOnly, Secure, SameSite=Strict, the route's own path).
import { describe, expect, it } from 'vitest';
import { shownDeviceProof, withDeviceProof } from '../../../lib/http/device-proof.ts';
import { json } from '../../../lib/http/response.ts';
import { httpEvent } from '../../support/http-event.ts';

const PROOF = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

describe('the proof a client shows', () => {
  it('is the Device-Proof header, else the cookie', () => {
    expect(shownDeviceProof(httpEvent({ headers: { 'device-proof': PROOF } }))).toBe(PROOF);
    expect(shownDeviceProof(httpEvent({ headers: { cookie: `theme=dark; __Secure-device_proof=${PROOF}; x=y` } }))).toBe(PROOF);
    expect(shownDeviceProof({ ...httpEvent({}), cookies: ['a=b', `__Secure-device_proof=${PROOF}`] })).toBe(PROOF);
    expect(shownDeviceProof(httpEvent({ headers: { 'device-proof': PROOF, cookie: '__Secure-device_proof=other.one.here' } }))).toBe(PROOF);
  });

  it('is none when absent or not shaped like one of ours', () => {
    expect(shownDeviceProof(httpEvent({}))).toBeUndefined();
    expect(shownDeviceProof(httpEvent({ headers: { 'device-proof': 'a b; c' } }))).toBeUndefined();
    expect(shownDeviceProof(httpEvent({ headers: { cookie: 'device_proof=x.y.z' } }))).toBeUndefined();
  });
});

describe('a login answer with a proof', () => {
  it('carries the header and a cookie kept from scripts and other sites, limited to the login route', () => {
    const result = withDeviceProof(json(200, { ok: true }), httpEvent({ method: 'POST', path: '/login' }), PROOF, 3600);
    expect(result.headers['device-proof']).toBe(PROOF);
    expect(result.cookies).toEqual([`__Secure-device_proof=${PROOF}; Path=/login; Max-Age=3600; HttpOnly; Secure; SameSite=Strict`]);
    expect(result.body).toBe('{"ok":true}');
  });
});
