import ipaddr from 'ipaddr.js';

export interface AddressPolicy {
  /**
   * Allow loopback, private (10/8, 172.16/12, 192.168/16), unique-local (fc00::/7) and CGNAT
   * (100.64/10) addresses: for tests and local runs against a fake instance, never production.
   * Link-local (cloud metadata at 169.254.169.254), multicast, broadcast, unspecified and reserved
   * addresses stay refused even then.
   */
  allowPrivateAddresses: boolean;
  /** Ranges allowed whatever their kind (an operator's own internal instance), as CIDR strings. */
  allowedRanges: readonly string[];
}

export type AddressVerdict = { allowed: true; address: string } | { allowed: false; address: string; range: string };

const privateKinds = new Set(['loopback', 'private', 'uniqueLocal', 'carrierGradeNat']);
// The only IPv6 space handed out for the public internet; everything else (IPv4-compatible ::/96,
// NAT64, 6to4, Teredo, documentation…) can hide or translate to an internal address.
const globalUnicastV6 = ipaddr.parseCIDR('2000::/3');

/**
 * Whether a connection to `address` may be made. An IPv4-mapped IPv6 address (::ffff:127.0.0.1)
 * is judged as the IPv4 address it is. Anything unparsable is refused.
 */
export function checkAddress(address: string, policy: AddressPolicy): AddressVerdict {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return { allowed: false, address, range: 'invalid' };
  }
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const normalized = parsed.toString();
  if (policy.allowedRanges.some((cidr) => inRange(parsed, cidr))) return { allowed: true, address: normalized };

  let range: string = parsed.range();
  if (range === 'unicast' && parsed.kind() === 'ipv6' && !parsed.match(globalUnicastV6)) range = 'nonGlobalIpv6';
  if (range === 'unicast') return { allowed: true, address: normalized };
  if (policy.allowPrivateAddresses && privateKinds.has(range)) return { allowed: true, address: normalized };
  return { allowed: false, address: normalized, range };
}

function inRange(address: ipaddr.IPv4 | ipaddr.IPv6, cidr: string): boolean {
  const [network, bits] = ipaddr.parseCIDR(cidr);
  return network.kind() === address.kind() && address.match(network, bits);
}

/** Throws on a CIDR list that does not parse, so a typo in configuration fails at start-up. */
export function parseAllowedRanges(list: string): string[] {
  const ranges = list.split(',').map((item) => item.trim()).filter(Boolean);
  for (const range of ranges) {
    if (!ipaddr.isValidCIDR(range)) throw new Error(`"${range}" is not a CIDR range like 10.1.2.0/24 or fd00::/8`);
  }
  return ranges;
}
