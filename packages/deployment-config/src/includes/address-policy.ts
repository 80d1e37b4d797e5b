import ipaddr from 'ipaddr.js';

export interface AddressPolicy {
  /** Networks (CIDR) an include may be fetched from although they are not public, as the operator allows. */
  allowedNetworks?: readonly string[];
}

type Address = ipaddr.IPv4 | ipaddr.IPv6;

function normalise(address: string): Address {
  const parsed = ipaddr.parse(address);
  // ::ffff:10.0.0.1 is 10.0.0.1: judge it as the IPv4 address it reaches.
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
    ? (parsed as ipaddr.IPv6).toIPv4Address()
    : parsed;
}

/**
 * Whether an include may be fetched from this address: public unicast addresses only (ipaddr.js classifies
 * loopback, private, link-local, unique-local, carrier-grade NAT, multicast, reserved…), unless the operator
 * allowed the network it is in.
 */
export function isAddressAllowed(address: string, policy: AddressPolicy): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = normalise(address);
  if (parsed.range() === 'unicast') return true;
  return (policy.allowedNetworks ?? []).some((network) => {
    const [base, bits] = ipaddr.parseCIDR(network);
    return base.kind() === parsed.kind() && parsed.match([base, bits] as [Address, number]);
  });
}
