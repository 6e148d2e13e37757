// budgetAddress (lib/abuse/ip-budget.ts) with fast-check: an IPv4 client is one budget however its
// address is spelled (dotted, IPv4-mapped in dotted or hex form, NAT64 64:ff9b::/96), and IPv6
// addresses share their /64 and nothing else.
import { isIPv4 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { budgetAddress } from '../../../lib/abuse/ip-budget.ts';

const hex = (a: number, b: number) => ((a << 8) | b).toString(16);

/** Every spelling of one IPv4 address that we count as it. */
function spellings([a, b, c, d]: number[]): string[] {
  const dotted = `${a}.${b}.${c}.${d}`;
  const high = hex(a!, b!);
  const low = hex(c!, d!);
  return [
    dotted,
    `::ffff:${dotted}`,
    `::FFFF:${dotted}`,
    `::ffff:${high}:${low}`,
    `0:0:0:0:0:ffff:${high.padStart(4, '0')}:${low.padStart(4, '0')}`,
    `64:ff9b::${dotted}`,
    `64:ff9b::${high}:${low}`,
    `0064:FF9B:0:0:0:0:${high}:${low}`,
  ];
}

describe('budgetAddress', () => {
  it('maps any IPv4 address and its IPv4-mapped and NAT64 forms to one key, the dotted address (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }), (octets) => {
        const keys = new Set(spellings(octets).map(budgetAddress));
        expect([...keys]).toEqual([octets.join('.')]);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives other IPv6 addresses their /64, never an IPv4 key (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.ipV6(),
          fc.ipV4().map((v4) => `64:ff9b::${v4}`),
          fc.constantFrom('64:ff9b::', '64:ff9b::5', '::ffff:0:0'),
        ),
        (address) => {
          const key = budgetAddress(address);
          // WHATWG URL parsing writes an IPv6 host in its canonical form (RFC 5952): an independent oracle.
          const canonical = new URL(`http://[${address}]/`).hostname;
          const carrier = /^\[(::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}|64:ff9b::([0-9a-f]{1,4}(:[0-9a-f]{1,4})?)?)\]$/.test(canonical);
          expect(isIPv4(key)).toBe(carrier);
          if (!carrier) {
            expect(key).toMatch(/^([0-9a-f]{1,4}:){4}:\/64$/);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives an address outside ::ffff:0:0/96 and 64:ff9b::/96 its /64 even when its tail looks like IPv4', () => {
    expect(budgetAddress('64:ff9b:1::192.0.2.1')).toBe('64:ff9b:1:0::/64');
    expect(budgetAddress('::192.0.2.1')).toBe('0:0:0:0::/64');
    expect(budgetAddress('::fffe:192.0.2.1')).toBe('0:0:0:0::/64');
    expect(budgetAddress('2001:db8::ffff:192.0.2.1')).toBe('2001:db8:0:0::/64');
  });
});
