import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { type FramingError, RequestFramer } from './h1-framing.js';
import { type RequestHead, upstreamHead } from './h1-head.js';
import { type SpareUpstream, spareFor } from './h1-spare.js';
import type { ProxyPage } from './page.js';
import { hostOf, type RouteMatch } from './routes.js';

/** What a piped connection asks its proxy: where a name goes now, and poly's page when it goes nowhere. */
export interface PipeRouter {
  match(host: string): RouteMatch;
  page(host: string, match: RouteMatch, refused?: string): ProxyPage;
}

/** A client that opens TLS and never sends a whole first head must not hold a socket forever. */
const FIRST_HEAD_TIMEOUT_MS = 60_000;
/** How long a closing connection waits for the service to answer what it was sent and close. */
const FINISH_TIMEOUT_MS = 10_000;

/**
 * HTTP/1.1 as a byte pipe: the client connection gets its own connection to
 * the service's port, each request head is rewritten (X-Forwarded-*) and
 * every other byte passes as it is, both ways; the answers are not parsed.
 * Node's http server and client machinery cost ~180 µs of CPU per request;
 * this costs the head's parse.
 *
 * Every head is routed again: when a kept-alive connection's name now goes to
 * another port, or nowhere (the service stopped), the connection is closed
 * after the service has answered what it was sent, and the client's next
 * connection sees the new route (browsers and curl retry on a new connection).
 * After an Upgrade head (WebSocket) both sides are piped as they are.
 *
 * `servername` (the TLS handshake's SNI) opens the service connection at once,
 * as a spare the first head adopts when its route is the same port (h1-spare.ts).
 */
export function pipeHttp1(
  client: Socket | Duplex,
  clientAddress: string,
  router: PipeRouter,
  servername?: string,
): void {
  let spare: SpareUpstream | undefined = servername ? spareFor(router.match(hostOf(servername))) : undefined;
  let upstream: Socket | undefined;
  let port = 0;
  let connected = false;
  let finishing = false;
  const socket = client as Socket;

  /** poly's own answer, then the connection closes (the request's body, if any, is not read). */
  const answer = (status: number, reason: string, html: string) => {
    framer.stop();
    client.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: text/html; charset=utf-8\r\ncache-control: no-store\r\ncontent-length: ${Buffer.byteLength(html)}\r\nconnection: close\r\n\r\n${html}`,
    );
  };
  const answerPage = (host: string, match: RouteMatch, refused?: string) => {
    const { status, html } = router.page(host, match, refused);
    answer(
      status,
      status === 404 ? 'Not Found' : status === 502 ? 'Bad Gateway' : 'Service Unavailable',
      html,
    );
  };
  /** No more requests: the service answers what it has, then the client connection ends (with `last`). */
  const finish = (last = '') => {
    framer.stop();
    client.pause();
    if (!upstream || !connected) {
      upstream?.destroy();
      client.end(last);
      return;
    }
    finishing = true;
    const up = upstream;
    // A service that ignores the half-close must not hold the client: it had its time to answer.
    const giveUp = setTimeout(() => up.destroy(), FINISH_TIMEOUT_MS).unref();
    up.once('close', () => {
      clearTimeout(giveUp);
      client.end(last);
    });
    up.end();
  };

  const onConnected = () => {
    connected = true;
    socket.setTimeout?.(0);
  };
  const openUpstream = (host: string, match: RouteMatch & { kind: 'forward' }): Socket => {
    port = match.port;
    const adopted = spare?.take(port);
    spare = undefined;
    const up = adopted ?? connect({ port, host: '127.0.0.1', noDelay: true });
    if (up.connecting) up.once('connect', onConnected);
    else onConnected();
    up.on('data', (bytes: Buffer) => {
      if (!client.write(bytes)) {
        up.pause();
        client.once('drain', () => up.resume());
      }
    });
    up.on('end', () => {
      if (!finishing) client.end();
    });
    up.on('error', (err: NodeJS.ErrnoException) => {
      if (!connected) answerPage(host, match, err.code ?? err.message);
      else client.destroy();
    });
    up.on('close', () => {
      if (connected && !finishing) client.destroy();
    });
    up.on('drain', () => client.resume());
    return up;
  };

  const toUpstream = (bytes: Buffer) => {
    if (upstream && !upstream.write(bytes)) client.pause();
  };

  const onHead = (head: RequestHead) => {
    const host = hostOf(head.host);
    const match = router.match(host);
    if (!upstream) {
      if (match.kind !== 'forward') {
        spare?.discard();
        answerPage(host, match);
        return;
      }
      upstream = openUpstream(host, match);
    } else if (match.kind !== 'forward' || match.port !== port) {
      // The route changed under a kept-alive connection: never send this request to the old port.
      finish();
      return;
    }
    // latin1 both ways: a header's bytes (UTF-8 or not) reach the service exactly as the client sent them.
    if (upstream && !upstream.write(upstreamHead(head, clientAddress, 'https'), 'latin1')) client.pause();
  };

  const onError = (err: FramingError) => {
    // Half a request went on already: nothing can be answered cleanly, both sides are dropped.
    if (err.inBody) {
      upstream?.destroy();
      client.destroy();
      return;
    }
    const text = err.status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
    const body = `${err.reason}\n`;
    finish(
      `HTTP/1.1 ${err.status} ${text}\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  };

  const framer = new RequestFramer({ head: onHead, body: toUpstream, end: () => {}, error: onError });
  client.on('data', (bytes: Buffer) => framer.push(bytes));
  // The client sent all it will (a half-close): the service gets the same.
  client.on('end', () => upstream?.end());
  client.on('close', () => {
    upstream?.destroy();
    spare?.discard();
  });
  client.on('error', () => {});
  socket.setTimeout?.(FIRST_HEAD_TIMEOUT_MS, () => client.destroy());
}
