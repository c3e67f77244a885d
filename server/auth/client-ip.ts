import net from 'node:net';

/**
 * The header through which server/index.ts hands the client's address to
 * Next's route handlers. The server overwrites whatever a client sent in it.
 */
export const CLIENT_IP_HEADER = 'x-journeyhub-client-ip';

/** "::ffff:10.0.0.1" (an IPv4 peer on a dual-stack socket) is 10.0.0.1. */
function plainAddress(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped?.[1] ?? trimmed;
}

/**
 * What rate limits count a client address as: an IPv4 address itself, an
 * IPv6 address its /64, since one subscriber (one machine, even) commonly
 * holds a whole /64 and could otherwise take a new address for every attempt.
 */
export function limitKey(address: string): string {
  const plain = plainAddress(address);
  if (net.isIP(plain) !== 6 || plain.includes('.')) return plain;
  const [head = '', tail] = plain.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

/** The proxies whose X-Forwarded-For counts (TRUST_PROXY). */
export class TrustedProxies {
  private constructor(
    private readonly list: net.BlockList,
    readonly entries: readonly string[],
  ) {}

  static none(): TrustedProxies {
    return new TrustedProxies(new net.BlockList(), []);
  }

  /**
   * "10.0.0.1, 10.1.0.0/16, fd00::/8": addresses and CIDR ranges, comma separated.
   * Throws an Error whose message names the entry that is neither.
   */
  static parse(text: string): TrustedProxies {
    const list = new net.BlockList();
    const entries = text
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    for (const entry of entries) {
      const [address = '', prefix, ...rest] = entry.split('/');
      const family = net.isIP(address);
      const bits = prefix === undefined ? null : Number(prefix);
      const maxBits = family === 6 ? 128 : 32;
      if (family === 0 || rest.length > 0 || (bits !== null && !(Number.isInteger(bits) && bits >= 0 && bits <= maxBits && /^\d+$/.test(prefix ?? '')))) {
        throw new Error(`"${entry}" is not an IP address or a CIDR range such as 10.0.0.0/8`);
      }
      const type = family === 6 ? 'ipv6' : 'ipv4';
      if (bits === null) list.addAddress(address, type);
      else list.addSubnet(address, bits, type);
    }
    return new TrustedProxies(list, entries);
  }

  trusts(address: string): boolean {
    const plain = plainAddress(address);
    const family = net.isIP(plain);
    if (family === 0) return false;
    return this.list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  }

  /**
   * The address a request comes from. A peer that is not a trusted proxy is
   * the client, whatever X-Forwarded-For it sends. Behind trusted proxies,
   * X-Forwarded-For is read from the right (each proxy appends the peer it
   * saw) and the first address that is not a trusted proxy is the client;
   * addresses left of it were written by the client and count for nothing.
   */
  clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined): string {
    const peer = plainAddress(socketAddress ?? '') || 'unknown';
    if (!this.trusts(peer) || forwardedFor === undefined) return peer;
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
      .split(',')
      .map(plainAddress)
      .filter((hop) => hop !== '');
    let client = peer;
    for (let i = hops.length - 1; i >= 0; i -= 1) {
      const hop = hops[i] ?? '';
      // Garbage in the header: the last address known good is the client.
      if (net.isIP(hop) === 0) break;
      client = hop;
      if (!this.trusts(hop)) break;
    }
    return client;
  }
}
