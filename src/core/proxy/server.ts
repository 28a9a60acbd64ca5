import { Agent, createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createSecureServer, type Http2SecureServer, type Http2Session } from 'node:http2';
import type { Duplex } from 'node:stream';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { LocalCa } from './ca.js';
import {
  authorityOf,
  forwardRequest,
  forwardUpgrade,
  type ProxyRequest,
  type ProxyResponse,
} from './forward.js';
import { isLocalName, type Leaf, LeafCache } from './leaf-cache.js';
import { publicUrl } from './names.js';
import { proxyPage } from './page.js';
import { hostOf, indexRoutes, matchRoute, type ProjectRoutes, type RouteMatch } from './routes.js';

export interface ProxyServerOptions {
  ca: LocalCa;
  leavesDir: string;
  /** 127.0.0.1, or 0.0.0.0 with `proxy.lan = true`. */
  host: string;
  httpsPort: number;
  /** The http:// listener that redirects to https://; undefined = none. */
  httpPort?: number;
}

/**
 * The machine's HTTPS front: one TLS listener (HTTP/2 and HTTP/1.1 by ALPN, a
 * leaf certificate per name by SNI) that forwards each name to the port its
 * supervisor published, and an http:// listener that redirects to it.
 */
export class ProxyServer {
  private readonly routes = new Map<string, ProjectRoutes>();
  /** The published names of `routes`, rebuilt on the first request after a change. */
  private index: Map<string, RouteMatch> | undefined;
  private readonly contexts = new Map<string, { leaf: Leaf; context: SecureContext }>();
  private readonly leaves: LeafCache;
  // Kept-alive connections to the services: a new TCP connection per request would halve throughput.
  // Sockets per service match the clients a browser or load test opens; noDelay: answers are small writes.
  private readonly agent = new Agent({
    keepAlive: true,
    maxSockets: 256,
    maxFreeSockets: 256,
    noDelay: true,
  });
  private tls: Http2SecureServer | undefined;
  private plain: Server | undefined;
  private readonly sessions = new Set<Http2Session>();

  constructor(private readonly o: ProxyServerOptions) {
    this.leaves = new LeafCache(o.ca, o.leavesDir);
  }

  async listen(): Promise<void> {
    const fallback = await this.leaves.get('localhost');
    const tls = createSecureServer({
      allowHTTP1: true,
      key: fallback.keyPem,
      cert: fallback.certPem,
      SNICallback: (name, cb) => {
        this.contextFor(name.toLowerCase()).then(
          (context) => cb(null, context),
          (err: Error) => cb(err, undefined),
        );
      },
    });
    tls.on('request', (req, res) => this.onRequest(req, res));
    tls.on('session', (session) => {
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
    });
    tls.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.onUpgrade(req, socket, head),
    );
    // A client that opens TLS and never talks must not hold a socket forever.
    tls.on('secureConnection', (socket) => {
      socket.on('error', () => {});
      // Headers and body leave as separate writes: with Nagle on, each answer would wait for a delayed ACK.
      socket.setNoDelay(true);
    });
    await listenOn(tls, this.o.httpsPort, this.o.host);
    this.tls = tls;
    if (this.o.httpPort !== undefined) {
      const plain = createHttpServer((req, res) => {
        const host = hostOf(req.headers.host);
        res.writeHead(308, {
          location: `${publicUrl(host || 'localhost', this.o.httpsPort)}${req.url ?? '/'}`,
        });
        res.end();
      });
      await listenOn(plain, this.o.httpPort, this.o.host);
      this.plain = plain;
    }
  }

  /** Replaces a project's table (what its supervisor publishes on every change). */
  publish(routes: ProjectRoutes): void {
    this.routes.set(routes.root, routes);
    this.index = undefined;
  }

  /**
   * The project went down: its names stay known (as stopped) so they answer
   * with a page saying how to start them, not a connection error.
   */
  unpublish(root: string, pid: number): void {
    const known = this.routes.get(root);
    if (!known || known.pid !== pid) return;
    this.routes.set(root, {
      ...known,
      pid: 0,
      services: known.services.map((s) => ({ ...s, state: 'stopped' })),
    });
    this.index = undefined;
  }

  private match(host: string): RouteMatch {
    this.index ??= indexRoutes([...this.routes.values()]);
    return this.index.get(host) ?? matchRoute(this.routes.values(), host);
  }

  /** Projects whose supervisor still runs (others keep only their page). */
  live(isAlive: (pid: number) => boolean): ProjectRoutes[] {
    for (const [root, project] of this.routes)
      if (project.pid !== 0 && !isAlive(project.pid)) this.unpublish(root, project.pid);
    return [...this.routes.values()].filter((p) => p.pid !== 0);
  }

  projects(): ProjectRoutes[] {
    return [...this.routes.values()];
  }

  async close(): Promise<void> {
    this.agent.destroy();
    for (const session of this.sessions) session.destroy();
    await Promise.all([closeServer(this.tls), closeServer(this.plain)]);
  }

  private async contextFor(name: string): Promise<SecureContext> {
    if (!isLocalName(name)) throw new Error(`poly serves names under localhost only, not ${name}`);
    const leaf = await this.leaves.get(name);
    const known = this.contexts.get(name);
    if (known && known.leaf === leaf) return known.context;
    const context = createSecureContext({ key: leaf.keyPem, cert: leaf.certPem });
    this.contexts.set(name, { leaf, context });
    return context;
  }

  private urlOf = (host: string): string => publicUrl(host, this.o.httpsPort);

  private onRequest(req: ProxyRequest, res: ProxyResponse): void {
    const host = hostOf(authorityOf(req));
    const match = this.match(host);
    if (match.kind !== 'forward') {
      // Drain the body: the client may still be sending it.
      req.resume();
      this.page(res, host, match);
      return;
    }
    forwardRequest(req, res, { port: match.port, agent: this.agent }, (err) =>
      this.page(res, host, match, (err as NodeJS.ErrnoException).code ?? err.message),
    );
  }

  /** poly's page for a name that is not forwarded (unknown, stopped, or refused the connection). */
  private page(res: ProxyResponse, host: string, match: RouteMatch, refused?: string): void {
    const { status, html } = proxyPage(host, match, this.projects(), this.urlOf, refused);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const host = hostOf(req.headers.host);
    const match = this.match(host);
    socket.on('error', () => {});
    if (match.kind === 'forward') {
      forwardUpgrade(req, socket, head, match.port);
      return;
    }
    const { status, html } = proxyPage(host, match, this.projects(), this.urlOf);
    socket.end(
      `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Service Unavailable'}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(html)}\r\nconnection: close\r\n\r\n${html}`,
    );
  }
}

function listenOn(server: Server | Http2SecureServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server | Http2SecureServer | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Open keep-alive and HTTP/2 sessions would hold close() until they idle out.
    (server as Server).closeAllConnections?.();
  });
}
