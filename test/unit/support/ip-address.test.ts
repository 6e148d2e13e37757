// networkPrefix(): what security events and session lists keep of a client's address, a /24 or a
// /48, never the address itself (fast-check over every IPv4 and IPv6 shape).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { networkPrefix } from '../../../lib/support/ip-address.ts';

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((octets) => octets.join('.'));

describe('networkPrefix', () => {
  it('keeps the /24 of an IPv4 address and never the address when its last octet is not zero', () => {
    fc.assert(
      fc.property(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 255 })), ([a, b, c, d]) => {
        const address = `${a}.${b}.${c}.${d}`;
        const prefix = networkPrefix(address);
        expect(prefix).toBe(`${a}.${b}.${c}.0/24`);
        expect(prefix).not.toContain(address);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the /48 of an IPv6 address: nothing of its last five groups', () => {
    fc.assert(
      fc.property(fc.ipV6(), (address) => {
        const prefix = networkPrefix(address);
        expect(prefix).toMatch(/^(([0-9a-f]{1,4}:){2}[0-9a-f]{1,4}::\/48|(\d{1,3}\.){3}0\/24)$/);
      }),
      { numRuns: 2000 },
    );
    expect(networkPrefix('2001:db8:abcd:12:3456:789a:bcde:f012')).toBe('2001:db8:abcd::/48');
    expect(networkPrefix('2001:DB8::1')).toBe('2001:db8:0::/48');
    expect(networkPrefix('fe80::1%eth0')).toBe('fe80:0:0::/48');
  });

  it('treats an IPv4 address carried in IPv6 (mapped, NAT64) as that IPv4 address', () => {
    fc.assert(
      fc.property(ipv4, (address) => {
        const expected = networkPrefix(address);
        expect(networkPrefix(`::ffff:${address}`)).toBe(expected);
        expect(networkPrefix(`64:ff9b::${address}`)).toBe(expected);
      }),
    );
  });

  it('answers undefined for anything that is not an address', () => {
    fc.assert(
      fc.property(
        fc.string().filter((text) => !/^[\d.:a-fA-F%]+$/.test(text)),
        (text) => {
          expect(networkPrefix(text)).toBeUndefined();
        },
      ),
    );
    for (const text of [undefined, '', '256.1.1.1', '1.2.3', '1.2.3.4.5', '::g', '1.2.3.4/24']) expect(networkPrefix(text)).toBeUndefined();
  });
});
