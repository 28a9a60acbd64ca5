import { connect, type Socket } from 'node:net';
import type { RouteMatch } from './routes.js';

/** What makes a spare connection unusable before a head adopts it. */
const UNUSABLE_ON = ['data', 'end', 'error', 'close'] as const;
/**
 * A spare is closed after this: a service may close an idle connection at
 * any time (uvicorn after 5 s), and a close racing the head would drop the
 * request; and a browser's speculative connections that never send a head
 * should not hold the service's. A browser sends its first head right after
 * the handshake; a slower client gets a fresh connection, as without a spare.
 */
const MAX_AGE_MS = 1000;

/**
 * A connection to the service opened when the TLS handshake names a routed
 * host, before the client's first head arrives: the service's accept then
 * overlaps the client's request flight instead of following it (measured: a
 * first request through the proxy took ~1.3 ms more than the next one on the
 * same connection, ~0.65 ms of it the upstream connect).
 *
 * It carries no byte until a head routed to the same port adopts it; the
 * route is checked again at the head, so a request never reaches a port its
 * route does not name. Anything the service does first (sends bytes, closes
 * an idle connection, refuses) makes it unusable: it is closed and the head
 * connects anew, as it would have without a spare (and so does a head that
 * comes later than MAX_AGE_MS).
 */
export class SpareUpstream {
  private usable = true;
  private readonly socket: Socket;
  private readonly expiry: NodeJS.Timeout;
  private readonly drop = () => {
    this.usable = false;
    this.socket.destroy();
  };

  constructor(readonly port: number) {
    this.socket = connect({ port, host: '127.0.0.1', noDelay: true });
    for (const event of UNUSABLE_ON) this.socket.on(event, this.drop);
    this.expiry = setTimeout(this.drop, MAX_AGE_MS).unref();
  }

  /** The connection for a head routed to `port`, or undefined (then the spare is closed). */
  take(port: number): Socket | undefined {
    const socket = this.socket;
    for (const event of UNUSABLE_ON) socket.off(event, this.drop);
    clearTimeout(this.expiry);
    if (this.usable && port === this.port && !socket.destroyed) return socket;
    socket.destroy();
    return undefined;
  }

  /** Closes the spare (the client left, or its first head went elsewhere). */
  discard(): void {
    this.take(-1);
  }
}

/** A spare connection for the TLS handshake's name, when that name is forwarded now. */
export function spareFor(match: RouteMatch): SpareUpstream | undefined {
  return match.kind === 'forward' ? new SpareUpstream(match.port) : undefined;
}
