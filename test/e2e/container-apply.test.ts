import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dockerForTests, nodeToolchain, tempProject } from '../helpers/docker.js';
import { debianTestImage } from '../helpers/docker-images.js';
import { freePort } from '../helpers/http.js';
import { polyIn } from '../helpers/poly-cli.js';

const poly = (env: NodeJS.ProcessEnv, cwd: string, ...args: string[]) => polyIn(env, cwd, args, 180_000);

interface UpJson {
  services: Array<{ name: string; state: string; url: string; port?: number; pid?: number; action?: string }>;
  removed: string[];
}

/**
 * Bound on every interface, as most real servers are: poly's relay for the
 * containers must not hold this port (it used to, and this server then died
 * with EADDRINUSE in a crash loop).
 */
const NATIVE = `const http = require('node:http');
http.createServer((req, res) => res.end('native ' + process.env.PORT)).listen(Number(process.env.PORT), '0.0.0.0');
`;

/** In a container: /web calls WEB_URL, /api API_URL. */
const CONTAINER = `const http = require('node:http');
http.createServer(async (req, res) => {
  const target = req.url === '/web' ? process.env.WEB_URL : req.url === '/api' ? process.env.API_URL : undefined;
  if (!target) return res.end('ctr');
  try { res.end(await (await fetch(target)).text()); }
  catch (err) { res.end('failed: ' + err.message); }
}).listen(Number(process.env.PORT), '0.0.0.0');
`;

const { client, skip } = await dockerForTests();

describe('poly up -d applies container changes to a running project', { skip }, () => {
  const dirs = tempProject('apply-ctr');
  const name = `apply-${Date.now().toString(36)}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    POLY_HOME: dirs.home,
    POLY_CONFIG_DIR: join(dirs.root, 'config'),
    POLY_OFFLINE: '1',
    NO_COLOR: '1',
  };
  after(async () => {
    await poly(env, dirs.project, 'down', '--volumes');
    rmSync(dirs.root, { recursive: true, force: true });
  });

  it('creates the container runner for a first container service and relays the native ports it follows', async () => {
    const debian = await debianTestImage(client);
    const toolchain = nodeToolchain(dirs.home);
    const write = (path: string, text: string) => {
      mkdirSync(join(dirs.project, path, '..'), { recursive: true });
      writeFileSync(join(dirs.project, path), text);
    };
    const service = (svc: string, body: string) =>
      `\n[services.${svc}]\npath = "${svc}"\nruntime = "node"\n${body}`;
    const manifest = (o: { webPort?: number; ctr?: boolean; api?: boolean }) =>
      `[project]\nname = "${name}"\nbase_image = "${debian}"\n\n[runtimes]\nnode = "${toolchain.version}"\n` +
      service('web', `run = "node server.js"\nport = ${o.webPort ?? '"auto"'}\nprotocol = "http"\n`) +
      (o.api ? service('api', 'run = "node server.js"\nport = "auto"\nprotocol = "http"\n') : '') +
      (o.ctr
        ? service('ctr', 'mode = "container"\nrun = "node server.js"\nport = "auto"\nhealth = "/"\n')
        : '');
    write('web/server.js', NATIVE);
    write('api/server.js', NATIVE);
    write('ctr/server.js', CONTAINER);
    const up = async () => {
      const result = await poly(env, dirs.project, 'up', '-d', '--json');
      assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
      const json = JSON.parse(result.stdout) as UpJson;
      return { json, by: Object.fromEntries(json.services.map((s) => [s.name, s])) };
    };
    const get = async (url: string) => (await (await fetch(url)).text()).trim();

    // Given only a native service runs (no container runner, no relay),
    write('poly.toml', manifest({}));
    const first = await up();
    assert.equal(first.by.web?.state, 'healthy');

    // When a container service that calls it is added, Then it starts and reaches web through the relay.
    write('poly.toml', manifest({ ctr: true }));
    const added = await up();
    assert.equal(added.by.web?.action, 'kept');
    assert.equal(added.by.ctr?.action, 'started');
    assert.equal(added.by.ctr?.state, 'healthy');
    const webPort = String(added.by.web!.port);
    assert.equal(await get(`${added.by.ctr!.url}/web`), `native ${webPort}`);

    // When web moves to another port, Then ctr is restarted with the new WEB_URL and the relay follows.
    const moved = await freePort();
    write('poly.toml', manifest({ webPort: moved, ctr: true }));
    const afterMove = await up();
    assert.equal(afterMove.by.web?.action, 'restarted');
    assert.equal(afterMove.by.ctr?.action, 'restarted');
    assert.equal(await get(`${afterMove.by.ctr!.url}/web`), `native ${moved}`);

    // When a native api is added, Then ctr keeps running, and its next start reaches api through the relay.
    write('poly.toml', manifest({ webPort: moved, ctr: true, api: true }));
    const withApi = await up();
    assert.equal(withApi.by.ctr?.action, 'kept');
    assert.equal(withApi.by.api?.action, 'started');
    const apiPort = String(withApi.by.api!.port);
    const restarted = await poly(env, dirs.project, 'restart', 'ctr');
    assert.equal(restarted.code, 0, restarted.stderr);
    assert.equal(await get(`${withApi.by.ctr!.url}/api`), `native ${apiPort}`);

    // When ctr is removed, Then its container is gone, and the network with it: nothing runs in Docker now.
    write('poly.toml', manifest({ webPort: moved, api: true }));
    const removed = await up();
    assert.deepEqual(removed.json.removed, ['ctr']);
    assert.deepEqual(Object.keys(removed.by), ['web', 'api']);
    const filters = { label: [`dev.poly.project=${name}`] };
    assert.deepEqual(await client!.api.listContainers({ all: true, filters }), []);
    assert.deepEqual(await client!.api.listNetworks({ filters }), []);

    const down = await poly(env, dirs.project, 'down');
    assert.equal(down.code, 0, down.stderr);
  });
});
