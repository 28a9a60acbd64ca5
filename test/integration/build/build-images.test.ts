import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dockerForTests } from '../../helpers/docker.js';
import { DEBIAN_SSL_TEST_IMAGE, debianSslTestImage } from '../../helpers/docker-images.js';
import { waitForHttp } from '../../helpers/http.js';
import { type Mirror, startMirror } from '../../helpers/mirror/index.js';
import { docker, GO_NODE_PYTHON } from '../../helpers/template-images.js';
import { makeProject, runPoly, type TempProject, templatesPolyHome } from '../../helpers/templates-e2e.js';

/**
 * `poly build` against the real engine: images of every template with the
 * toolchains from the test mirror and dependencies from the registries the
 * clients are configured with, each run and asked for its endpoint. The base
 * is the locally built Debian image with libssl3 (no image registry is reachable
 * here; the mirror's Python links the system OpenSSL).
 * Toolchain images (poly-toolchain/*) stay as a cache, like the test images.
 */
const { client, skip } = await dockerForTests();

/**
 * The Go, Node and Python templates; build-rust-java.test.ts does Rust and Java. The service names
 * are the ones the Swarm test deploys (test/helpers/template-images.ts), so the layers are shared.
 */
const TEMPLATES = GO_NODE_PYTHON;

describe('poly build makes runnable images of the Go, Node and Python templates', {
  skip,
  timeout: 60 * 60_000,
}, () => {
  let mirror: Mirror;
  let project: TempProject;
  const name = `pb${process.pid}`;
  const containers: string[] = [];

  before(async () => {
    await debianSslTestImage(client);
    mirror = await startMirror();
    project = makeProject(`[project]\nname = "${name}"\nbase_image = "${DEBIAN_SSL_TEST_IMAGE}"\n`);
    Object.assign(project.env, mirror.env);
    // The run's shared toolchain store (scripts/test.mjs), so the templates' toolchains unpack once per run.
    project.env.POLY_HOME = templatesPolyHome(project.env.POLY_HOME as string);
    for (const t of TEMPLATES) {
      const r = await runPoly(['new', t.template, t.service], project.root, project.env);
      assert.equal(r.exitCode, 0, r.all);
    }
  });

  after(async () => {
    for (const c of containers) await docker(['rm', '-f', c]);
    const images = await docker(['image', 'ls', '-q', '--filter', `label=dev.poly.project=${name}`]);
    const ids = String(images.stdout).split('\n').filter(Boolean);
    if (ids.length) await docker(['rmi', '-f', ...new Set(ids)]);
    await mirror?.close();
    project?.cleanup();
  });

  it('builds every template, and each image runs as non-root, answers its endpoint and turns healthy', async () => {
    const r = await runPoly(['build', '--json'], project.root, project.env);
    assert.equal(r.exitCode, 0, String(r.all).slice(-4000));
    const { images } = JSON.parse(String(r.stdout)) as {
      images: { service: string; image: string; digest: string; seconds: number }[];
    };
    console.log(`build times: ${images.map((i) => `${i.service} ${i.seconds}s`).join(', ')}`);
    assert.deepEqual(images.map((i) => i.service).sort(), TEMPLATES.map((t) => t.service).sort());
    for (const image of images) {
      const info = JSON.parse(String((await docker(['image', 'inspect', image.image])).stdout))[0];
      assert.equal(info.Config.User, '10001:10001');
      assert.equal(info.Config.Labels['dev.poly.service'], image.service);
      assert.match(info.Config.Labels['dev.poly.lock'], /^sha256:[0-9a-f]{64}$/);
      assert.ok(info.Config.Healthcheck?.Test?.length, `${image.service} has a HEALTHCHECK`);
      const container = `${name}-${image.service}`;
      containers.push(container);
      const port = info.Config.Env.find((e: string) => e.startsWith('PORT='))?.slice(5);
      const run = await docker(['run', '-d', '--name', container, '-p', `127.0.0.1::${port}`, image.image]);
      assert.equal(run.exitCode, 0, run.stderr);
      const published = String((await docker(['port', container, `${port}/tcp`])).stdout)
        .trim()
        .split('\n')[0];
      const body = await waitForHttp(`http://${published}/api/hello`, 120_000);
      assert.match(String(body), /Hello/i, `${image.service} answered ${body}`);
      assert.equal(String((await docker(['exec', container, 'id', '-u'])).stdout).trim(), '10001');
    }
  });

  it('a code-only change rebuilds from the cached dependency layer', async () => {
    const file = join(project.root, 'services', 'goapp', 'handlers.go');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"Hello from "', '"Hello again from "'));
    const r = await runPoly(['build', 'goapp'], project.root, project.env);
    assert.equal(r.exitCode, 0, r.all);
    const out = String(r.all);
    // The step after `go mod download` is the first that runs anew.
    const download = out.indexOf('RUN go mod download');
    assert.ok(download > 0, out);
    assert.match(out.slice(download, out.indexOf('COPY . .', download)), /Using cache/);
    const container = `${name}-goapp-again`;
    containers.push(container);
    await docker(['run', '-d', '--name', container, '-p', '127.0.0.1::8080', `${name}-goapp:latest`]);
    const published = String((await docker(['port', container, '8080/tcp'])).stdout)
      .trim()
      .split('\n')[0];
    assert.match(String(await waitForHttp(`http://${published}/api/hello`, 60_000)), /Hello again from/);
  });

  it('refuses an unknown service, a service with no way to build, and a failing build, tagging nothing', async () => {
    const unknown = await runPoly(['build', 'nope'], project.root, project.env);
    assert.equal(unknown.exitCode, 2, 'a name poly.toml lacks is a usage error, as for every command');
    assert.match(String(unknown.all), /no service "nope"/);

    const toml = join(project.root, 'poly.toml');
    const before = readFileSync(toml, 'utf8');
    writeFileSync(toml, `${before}\n[services.bare]\npath = "bare"\nruntime = "node"\nrun = "node x.js"\n`);
    mkdirSync(join(project.root, 'bare'), { recursive: true });
    const bare = await runPoly(['build', 'bare'], project.root, project.env);
    assert.equal(bare.exitCode, 1);
    assert.match(String(bare.all), /services\.bare \(node\) has no package\.json/);
    writeFileSync(toml, before);

    await docker(['rmi', '-f', `${name}-goapp:latest`]);
    const file = join(project.root, 'services', 'goapp', 'handlers.go');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nfunc broken( {\n`);
    const failed = await runPoly(['build', 'goapp', 'nodeapp'], project.root, project.env);
    assert.equal(failed.exitCode, 1);
    assert.match(String(failed.all), /building .* failed at Step \d+\/\d+ : RUN go build/);
    assert.match(String(failed.all), /syntax error/);
    assert.notEqual(
      (await docker(['image', 'inspect', `${name}-goapp:latest`])).exitCode,
      0,
      'no image tagged',
    );
    // This project's only: another build test running beside this one holds temporary tags of its own.
    const temp = await docker([
      'image',
      'ls',
      '-q',
      '--filter',
      'reference=poly-build-tmp/*',
      '--filter',
      `label=dev.poly.project=${name}`,
    ]);
    assert.equal(String(temp.stdout).trim(), '', 'no temporary tag left');
  });

  it('--push to a registry that does not answer fails with the registry named', async () => {
    // No registry that accepts pushes can be run here without the network (the local one is read-only).
    const r = await runPoly(
      ['build', 'nodeapp', '--push', '--tag', '127.0.0.1:9/poly-test/{service}:1'],
      project.root,
      project.env,
    );
    assert.equal(r.exitCode, 1);
    assert.match(String(r.all), /cannot push 127\.0\.0\.1:9\/poly-test\/nodeapp:1/);
    await docker(['rmi', '-f', '127.0.0.1:9/poly-test/nodeapp:1']);
  });
});
