/**
 * Fault injection for the mirror. A rule matches requests by path (a substring of the decoded
 * path, a RegExp, or every request when omitted), applies `times` times (default: always),
 * then stops matching. Rules are checked newest first.
 */
export type Fault =
  /** Serve different bytes of the same length: a gzip body keeps unpacking (only its header's
   * mtime changes) so only a checksum check can catch it; any other body gets its last byte flipped.
   * With `body`, serve exactly those bytes instead. */
  | { kind: 'corrupt'; body?: Buffer }
  /** Announce the full Content-Length, send `fraction` (default 0.5) of the body, then close the socket. */
  | { kind: 'truncate'; fraction?: number }
  /** Answer with this status (404, 500, 503...) and a short text body. */
  | { kind: 'status'; status: number }
  /** Send the headers and `afterBytes` (default 65536) of the body, then hang until the client or close() ends it. */
  | { kind: 'stall'; afterBytes?: number }
  /** Send the body at most `bytesPerSecond`. */
  | { kind: 'slow'; bytesPerSecond: number }
  /** Reset the TCP connection (RST) before any response. */
  | { kind: 'reset' };

export type FaultRule = Fault & {
  /** Substring of the decoded request path (query excluded), or a RegExp tested on it. Omitted: every request. */
  path?: string | RegExp;
  /** How many matching requests it applies to before it stops (default: unlimited). */
  times?: number;
};

export interface FaultHandle {
  /** How many requests this rule has hit so far. */
  readonly hits: number;
  remove(): void;
}

interface ActiveRule {
  rule: FaultRule;
  hits: number;
}

export class FaultTable {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): FaultHandle {
    const active: ActiveRule = { rule, hits: 0 };
    this.rules.unshift(active);
    return {
      get hits() {
        return active.hits;
      },
      remove: () => {
        this.rules = this.rules.filter((r) => r !== active);
      },
    };
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault for this request, counting it as used. */
  take(path: string): Fault | undefined {
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.times !== undefined && active.hits >= rule.times) continue;
      const matches =
        rule.path === undefined ||
        (typeof rule.path === 'string' ? path.includes(rule.path) : rule.path.test(path));
      if (!matches) continue;
      active.hits++;
      return rule;
    }
    return undefined;
  }
}

/** The corrupt fault's bytes, chunk by chunk: same length, different sha256. */
export function corruptor(totalSize: number): (chunk: Buffer, offset: number) => Buffer {
  let gzip: boolean | undefined;
  return (chunk, offset) => {
    const copy = Buffer.from(chunk);
    if (gzip === undefined) gzip = offset === 0 && copy.length > 8 && copy[0] === 0x1f && copy[1] === 0x8b;
    if (gzip) {
      // Bytes 4..7 are gzip's MTIME: decompressors ignore it, checksums do not.
      if (offset === 0) {
        copy[4] = copy[4]! ^ 0xff;
        copy[5] = copy[5]! ^ 0xff;
      }
      return copy;
    }
    const last = totalSize - 1 - offset;
    if (last >= 0 && last < copy.length) copy[last] = copy[last]! ^ 0xff;
    return copy;
  };
}
