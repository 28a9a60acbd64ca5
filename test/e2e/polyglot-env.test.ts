import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dockerForTests, tempProject } from '../helpers/docker.js';
import { debianTestImage } from '../helpers/docker-images.js';
import { type Mirror, startMirror } from '../helpers/mirror/index.js';
import { polyIn } from '../helpers/poly-cli.js';

/**
 * A real polyglot shop, as its authors wrote it: four services in Go, Python
 * and Node, standard libraries only, each reading its peers under names of
 * its own (`*_SERVICE_ADDR=host:port`), each server bound on every interface.
 * poly.toml builds those names by interpolation; no `run` has an `sh -c`.
 * A request to frontend flows through checkout and catalog to pricing,
 * natively, all in containers, and mixed.
 */
const PRICING = `import http.server, os
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"ok" if self.path == "/health" else b"pricing"
        self.send_response(200); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), H).serve_forever()
`;

const CHECKOUT = `import http.server, os, urllib.request
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            body = b"ok"
        else:
            with urllib.request.urlopen("http://" + os.environ["CATALOG_SERVICE_ADDR"] + "/") as r:
                body = b"checkout>" + r.read()
        self.send_response(200); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), H).serve_forever()
`;

const CATALOG = `package main

import (
	"io"
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		res, err := http.Get("http://" + os.Getenv("PRICING_SERVICE_ADDR") + "/")
		if err != nil {
			http.Error(w, err.Error(), 502)
			return
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		io.WriteString(w, "catalog>"+string(body))
	})
	// Every interface, as most real servers bind.
	http.ListenAndServe(":"+os.Getenv("PORT"), nil)
}
`;

const FRONTEND = `const http = require('node:http');
http.createServer(async (req, res) => {
  if (req.url === '/health') return res.end('ok');
  try {
    const r = await fetch('http://' + process.env.CHECKOUT_SERVICE_ADDR + '/');
    res.end('frontend>' + (await r.text()));
  } catch (err) { res.statusCode = 502; res.end(String(err)); }
}).listen(Number(process.env.PORT));
`;

const { skip } = await dockerForTests();

describe('a four-service, three-language project runs as it is written', { skip }, () => {
  const dirs = tempProject('polyglot');
  const name = `polyglot-${Date.now().toString(36)}`;
  let mirror: Mirror | undefined;
  let env: NodeJS.ProcessEnv = {};
  const poly = (...args: string[]) => polyIn(env, dirs.project, args, 420_000);
  const write = (path: string, text: string) => {
    mkdirSync(join(dirs.project, path, '..'), { recursive: true });
    writeFileSync(join(dirs.project, path), text);
  };
  const manifest = (debian: string, modes: Record<string, string> = {}) => {
    const m = mirror as Mirror;
    const service = (svc: string, runtime: string, run: string, deps: string[], health = '"/health"') =>
      `\n[services.${svc}]\npath = "${svc}"\nruntime = "${runtime}"\nrun = "${run}"\nport = "auto"\n` +
      `health = ${health}\ndepends_on = ${JSON.stringify(deps)}\n` +
      (modes[svc] ? `mode = "${modes[svc]}"\n` : '');
    return (
      `[project]\nname = "${name}"\nbase_image = "${debian}"\n\n` +
      `[runtimes]\nnode = "${m.versions.node[0]}"\npython = "${m.versions.python[0]}"\ngo = "${m.versions.go[0]}"\n\n` +
      '[env]\nGOTOOLCHAIN = "local"\n' +
      // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's ${NAME} syntax, written literally
      'PRICING_SERVICE_ADDR = "${PRICING_ADDR}"\n' +
      // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's ${NAME} syntax, written literally
      'CATALOG_SERVICE_ADDR = "${CATALOG_HOST}:${CATALOG_PORT}"\n' +
      // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's ${NAME} syntax, written literally
      'CHECKOUT_SERVICE_ADDR = "${CHECKOUT_ADDR}"\n' +
      service('pricing', 'python', 'python server.py', []) +
      service('catalog', 'go', 'go run .', ['pricing'], '{ path = "/health", start_period = "5m" }') +
      service('checkout', 'python', 'python server.py', ['catalog']) +
      // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's ${NAME} syntax, written literally
      service('frontend', 'node', 'node server.js --port ${PORT}', ['checkout'])
    );
  };

  before(async () => {
    mirror = await startMirror({ runtimes: ['node', 'python', 'go'] });
    env = {
      ...process.env,
      ...mirror.env,
      POLY_HOME: dirs.home,
      POLY_CONFIG_DIR: join(dirs.root, 'config'),
      NO_COLOR: '1',
    };
    write('pricing/server.py', PRICING);
    write('checkout/server.py', CHECKOUT);
    write('catalog/main.go', CATALOG);
    write('catalog/go.mod', 'module catalog\n\ngo 1.21\n');
    write('frontend/server.js', FRONTEND);
  });
  after(async () => {
    if (mirror) await poly('down', '--volumes');
    await mirror?.close();
    rmSync(dirs.root, { recursive: true, force: true });
  });

  async function upAndCall(args: string[]): Promise<Record<string, { mode: string; url?: string }>> {
    const up = await poly('up', '-d', '--json', ...args);
    assert.equal(up.code, 0, `${up.stdout}\n${up.stderr}`);
    const services = (
      JSON.parse(up.stdout) as {
        services: Array<{ name: string; state: string; mode: string; url?: string }>;
      }
    ).services;
    for (const s of services) assert.equal(s.state, 'healthy', JSON.stringify(s));
    const by = Object.fromEntries(services.map((s) => [s.name, s]));
    const answer = await (await fetch(`${by.frontend?.url}/`)).text();
    assert.equal(answer, 'frontend>checkout>catalog>pricing');
    return by;
  }

  it('natively, with every peer address built in poly.toml', async () => {
    write('poly.toml', manifest(await debianTestImage()));
    const by = await upAndCall([]);
    assert.deepEqual(
      Object.values(by).map((s) => s.mode),
      ['native', 'native', 'native', 'native'],
    );
    assert.equal((await poly('down')).code, 0);
  });

  it('all in containers (poly up --container)', async () => {
    const by = await upAndCall(['--container']);
    assert.deepEqual(
      Object.values(by).map((s) => s.mode),
      ['container', 'container', 'container', 'container'],
    );
    assert.equal((await poly('down')).code, 0);
  });

  it('mixed: containers call native servers bound on 0.0.0.0 through the relay', async () => {
    write('poly.toml', manifest(await debianTestImage(), { frontend: 'container', checkout: 'container' }));
    const by = await upAndCall([]);
    assert.equal(by.catalog?.mode, 'native');
    assert.equal(by.checkout?.mode, 'container');
    assert.equal((await poly('down')).code, 0);
  });
});
