import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dockerForTests, nodeToolchain, tempProject } from '../helpers/docker.js';
import { BUSYBOX_TEST_IMAGE, busyboxTestImage, debianTestImage } from '../helpers/docker-images.js';
import { polyIn } from '../helpers/poly-cli.js';

const poly = (env: NodeJS.ProcessEnv, cwd: string, ...args: string[]) => polyIn(env, cwd, args, 180_000);

/**
 * A node server answering /ping with its name and /all with what the other
 * services' /ping answered through the injected URLs. `host` is where it
 * listens: 127.0.0.1 natively, every interface inside a container.
 */
function nodeServer(name: string, host: string, others: Record<string, string>): string {
  return `const http = require('node:http');
const others = ${JSON.stringify(others)};
http.createServer(async (req, res) => {
  if (req.url === '/ping') return res.end(${JSON.stringify(name)});
  if (req.url === '/exec') return res.end(process.execPath);
  const parts = [];
  for (const [variable, path] of Object.entries(others)) {
    try { parts.push(await (await fetch(process.env[variable] + path)).text()); }
    catch (err) { parts.push(variable + ' failed: ' + err.message); }
  }
  res.end(parts.map((p) => p.trim()).join(' '));
}).listen(Number(process.env.PORT), ${JSON.stringify(host)}, () => console.log('listening', process.env.PORT));
`;
}

/**
 * busybox httpd: /ping a static file, /cgi-bin/all a CGI script (CGI children
 * inherit httpd's environment, the URLs included). undici wants CRLF headers.
 */
const BOX_RUN = [
  'mkdir -p /www/cgi-bin',
  'echo box > /www/ping',
  `printf '#!/bin/sh\\nprintf "Content-Type: text/plain\\r\\n\\r\\n"\\necho $(wget -qO- $WEB_URL/ping) $(wget -qO- $CTR_URL/ping)\\n' > /www/cgi-bin/all`,
  'chmod +x /www/cgi-bin/all',
  'exec httpd -f -p 8080 -h /www',
].join(' && ');

const { client, skip } = await dockerForTests();

describe('poly up with native and container services against the real engine', { skip }, () => {
  const dirs = tempProject('wire-up');
  const name = `wire-${Date.now().toString(36)}`;
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

  it('brings two native and two container services up healthy, all calling each other; down leaves nothing', async () => {
    const debian = await debianTestImage(client);
    await busyboxTestImage(client);
    // poly's install layout holding the node running this test (the official archives are unreachable).
    const toolchain = nodeToolchain(dirs.home);
    const write = (path: string, text: string) => {
      mkdirSync(join(dirs.project, path, '..'), { recursive: true });
      writeFileSync(join(dirs.project, path), text);
    };
    write(
      'poly.toml',
      `[project]
name = "${name}"
base_image = "${debian}"

[runtimes]
node = "${toolchain.version}"

[services.web]
path = "web"
runtime = "node"
run = "node server.js"
port = "auto"
health = "/ping"

[services.api]
path = "api"
runtime = "node"
run = "node server.js"
port = "auto"
health = "/ping"

[services.ctr]
path = "ctr"
runtime = "node"
mode = "container"
run = "node server.js"
port = "auto"
health = "/ping"

[services.box]
image = "${BUSYBOX_TEST_IMAGE}"
run = '''${BOX_RUN}'''
port = 8080
protocol = "http"
`,
    );
    write(
      'web/server.js',
      nodeServer('web', '127.0.0.1', { API_URL: '/ping', CTR_URL: '/ping', BOX_URL: '/ping' }),
    );
    write(
      'api/server.js',
      nodeServer('api', '127.0.0.1', { WEB_URL: '/ping', CTR_URL: '/ping', BOX_URL: '/ping' }),
    );
    write(
      'ctr/server.js',
      nodeServer('ctr', '0.0.0.0', { WEB_URL: '/ping', API_URL: '/ping', BOX_URL: '/ping' }),
    );

    const up = await poly(env, dirs.project, 'up', '-d', '--json');
    assert.equal(up.code, 0, `${up.stdout}\n${up.stderr}`);
    const services = (
      JSON.parse(up.stdout) as {
        services: Array<{ name: string; state: string; url: string; mode: string; containerId?: string }>;
      }
    ).services;
    const byName = Object.fromEntries(services.map((s) => [s.name, s]));
    for (const s of ['web', 'api', 'ctr', 'box'])
      assert.equal(byName[s]?.state, 'healthy', JSON.stringify(byName[s]));
    assert.equal(byName.ctr?.mode, 'container');
    assert.match(byName.box?.containerId ?? '', /^[0-9a-f]{12}$/);

    const get = async (url: string) => (await (await fetch(url)).text()).trim();
    assert.equal(await get(`${byName.web!.url}/all`), 'api ctr box');
    assert.equal(await get(`${byName.api!.url}/all`), 'web ctr box');
    assert.equal(await get(`${byName.ctr!.url}/all`), 'web api box');
    assert.equal(await get(`${byName.box!.url}/cgi-bin/all`), 'web ctr');

    // The container runs poly's toolchain, mounted read-only, not anything from the image.
    assert.equal(await get(`${byName.ctr!.url}/exec`), `/opt/poly/node/${toolchain.version}/bin/node`);
    const ps = await poly(env, dirs.project, 'ps');
    assert.match(ps.stdout, new RegExp(byName.ctr!.containerId!));

    const down = await poly(env, dirs.project, 'down');
    assert.equal(down.code, 0, down.stderr);
    const filters = { label: [`dev.poly.project=${name}`] };
    assert.deepEqual(await client!.api.listContainers({ all: true, filters }), []);
    assert.deepEqual(await client!.api.listNetworks({ filters }), []);
  });

  it('poly exec --container runs a one-off on the mounted toolchain; down --volumes removes the caches', async () => {
    const exec = await poly(
      env,
      join(dirs.project, 'web'),
      'exec',
      '--container',
      '--',
      'node',
      '-e',
      'console.log(process.execPath, process.cwd()); process.exit(7)',
    );
    const version = process.versions.node;
    assert.equal(exec.code, 7, exec.stderr);
    assert.equal(exec.stdout.trim(), `/opt/poly/node/${version}/bin/node ${join(dirs.project, 'web')}`);
    const filters = { label: [`dev.poly.project=${name}`] };
    assert.notDeepEqual((await client!.api.listVolumes({ filters })).Volumes ?? [], []);

    const down = await poly(env, dirs.project, 'down', '--volumes');
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual((await client!.api.listVolumes({ filters })).Volumes ?? [], []);
    assert.deepEqual(await client!.api.listContainers({ all: true, filters }), []);
    assert.deepEqual(await client!.api.listNetworks({ filters }), []);
  });
});
