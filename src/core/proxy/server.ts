import { Agent, createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttp2Server, type Http2Session } from 'node:http2';
import {
  createSecureContext,
  createServer as createTlsServer,
  type SecureContext,
  type TLSSocket,
  type Server as TlsServer,
} from 'node:tls';
import type { LocalCa } from './ca.js';
import { authorityOf, forwardRequest, type ProxyRequest, type ProxyResponse } from './forward.js';
import { type PipeRouter, pipeHttp1 } from './h1-pipe.js';
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
 * HTTP/1.1 connections are byte pipes to the service (h1-pipe.ts); HTTP/2
 * streams go through Node's http client (forward.ts).
 */
export class ProxyServer {
  private readonly routes = new Map<string, ProjectRoutes>();
  /** The published names of `routes`, rebuilt on the first request after a change. */
  private index: Map<string, RouteMatch> | undefined;
  private readonly contexts = new Map<string, { leaf: Leaf; context: SecureContext }>();
  private readonly leaves: LeafCache;
  // HTTP/2's kept-alive connections to the services: a new TCP connection per request would halve throughput.
  // Sockets per service match the streams a browser or load test opens; noDelay: answers are small writes.
  private readonly agent = new Agent({
    keepAlive: true,
    maxSockets: 256,
    maxFreeSockets: 256,
    noDelay: true,
  });
  private tls: TlsServer | undefined;
  private plain: Server | undefined;
  private readonly sessions = new Set<Http2Session>();
  /** Every TLS connection, HTTP/1.1 pipes included: close() ends them. */
  private readonly sockets = new Set<TLSSocket>();
  private readonly router: PipeRouter = {
    match: (host) => this.match(host),
    page: (host, match, refused) => proxyPage(host, match, this.projects(), this.urlOf, refused),
  };

  constructor(private readonly o: ProxyServerOptions) {
    this.leaves = new LeafCache(o.ca, o.leavesDir);
  }

  async listen(): Promise<void> {
    const fallback = await this.leaves.get('localhost');
    const tls = createTlsServer({
      ALPNProtocols: ['h2', 'http/1.1'],
      key: fallback.keyPem,
      cert: fallback.certPem,
      SNICallback: (name, cb) => {
        this.contextFor(name.toLowerCase()).then(
          (context) => cb(null, context),
          (err: Error) => cb(err, undefined),
        );
      },
    });
    // Never listens: it gets the TLS connections that chose h2.
    const h2 = createHttp2Server();
    h2.on('request', (req, res) => this.onRequest(req, res));
    h2.on('session', (session) => {
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
    });
    tls.on('secureConnection', (socket: TLSSocket) => {
      socket.on('error', () => {});
      // Headers and body leave as separate writes: with Nagle on, each answer would wait for a delayed ACK.
      socket.setNoDelay(true);
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      if (socket.alpnProtocol === 'h2') h2.emit('connection', socket);
      else
        pipeHttp1(socket, socket.remoteAddress ?? '127.0.0.1', this.router, socket.servername || undefined);
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
    for (const socket of this.sockets) socket.destroy();
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
}

function listenOn(server: Server | TlsServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server | TlsServer | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Open keep-alive and HTTP/2 sessions would hold close() until they idle out.
    (server as Server).closeAllConnections?.();
  });
}
