// How a dual-stack socket names an IPv4 peer (::ffff:10.0.0.5) differs from how a resolver or an
// SDP names it (10.0.0.5). Every comparison of peer addresses goes through this one spelling.

/** ::ffff:10.0.0.5 -> 10.0.0.5; other addresses lower-cased (IPv6 hex). */
export function plainAddress(address: string): string {
  return /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address.toLowerCase();
}
