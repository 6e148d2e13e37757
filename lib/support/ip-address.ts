// Reading client addresses: IPv6 groups, the IPv4 address an IPv6 one may carry, and the coarse
// network prefix security events and session lists show instead of the address itself.
import { isIP, isIPv6 } from 'node:net';

/** The eight 16-bit groups of an IPv6 address (an embedded dotted IPv4 tail included); undefined if not IPv6. */
export function ipv6Groups(address: string): number[] | undefined {
  const text = address.toLowerCase().replace(/%.*$/, '');
  if (!isIPv6(text)) return undefined;
  let body = text;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    body = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = body.split('::');
  const parse = (part: string) => (part ? part.split(':').map((group) => Number.parseInt(group, 16)) : []);
  const headGroups = parse(head);
  const tailGroups = tail === undefined ? [] : parse(tail);
  return [...headGroups, ...Array<number>(8 - headGroups.length - tailGroups.length).fill(0), ...tailGroups];
}

/**
 * The IPv4 address an IPv6 one carries in its last 32 bits, for the two forms that mean "this
 * IPv4 host": IPv4-mapped (::ffff:0:0/96, RFC 4291 §2.5.5.2; a dual-stack socket shows IPv4 clients
 * so) and the NAT64 well-known prefix (64:ff9b::/96, RFC 6052 §2.1).
 */
export function embeddedIpv4(groups: readonly number[]): string | undefined {
  const prefix = groups.slice(0, 6).join(':');
  if (prefix !== '0:0:0:0:0:65535' && prefix !== '100:65435:0:0:0:0') return undefined;
  const [high = 0, low = 0] = groups.slice(6);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * A coarse location hint for people, not a locator: the /24 of an IPv4 address, the /48 of an IPv6
 * one (a site, RFC 6177), so a user can tell "my office" from "abroad" while the exact address is
 * never stored with their events or sessions. Undefined for what is not an IP address.
 */
export function networkPrefix(sourceIp: string | undefined): string | undefined {
  if (!sourceIp) return undefined;
  const groups = ipv6Groups(sourceIp);
  const ipv4 = groups ? embeddedIpv4(groups) : isIP(sourceIp) === 4 ? sourceIp : undefined;
  if (ipv4) return `${ipv4.split('.').slice(0, 3).join('.')}.0/24`;
  if (!groups) return undefined;
  return `${groups
    .slice(0, 3)
    .map((group) => group.toString(16))
    .join(':')}::/48`;
}
