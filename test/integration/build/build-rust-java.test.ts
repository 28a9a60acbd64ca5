import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dockerForTests } from '../../helpers/docker.js';
import { DEBIAN_SSL_TEST_IMAGE, debianSslTestImage } from '../../helpers/docker-images.js';
import { waitForHttp } from '../../helpers/http.js';
import { type Mirror, startMirror } from '../../helpers/mirror/index.js';
import {
  addedBytes,
  docker,
  RUST_JAVA,
  scaffold,
  TEMPLATE_RUNTIMES,
  waitHealthy,
} from '../../helpers/template-images.js';
import { makeProject, runPoly, type TempProject, templatesPolyHome } from '../../helpers/templates-e2e.js';

/**
 * `poly build` of the axum, actix-web and spring-boot templates against the
 * real engine, as build-images.test.ts does for Go, Node and Python: the
 * toolchains from the test mirror, crates and Maven artifacts from the
 * registries, the base the locally built Debian (no image registry is
 * reachable here). Both Rust templates build in one `poly build`, so the
 * toolchain image is made once. A cold Rust image compiles every crate in
 * the container; the dependency layer (Cargo.toml and Cargo.lock against a
 * stub main, built by the same command as the real build) is what a
 * code-only change reuses. The Swarm test builds the same services from the
 * same inputs, so whichever runs second gets these layers from the engine's cache.
 */
const { client, skip } = await dockerForTests();

describe('poly build makes runnable images of the Rust and Java templates', {
  skip,
  timeout: 60 * 60_000,
}, () => {
  let mirror: Mirror;
  let project: TempProject;
  const name = `pbrj${process.pid}`;
  const containers: string[] = [];

  before(async () => {
    await debianSslTestImage(client);
    mirror = await startMirror();
    project = makeProject(
      `[project]\nname = "${name}"\nbase_image = "${DEBIAN_SSL_TEST_IMAGE}"\n\n${TEMPLATE_RUNTIMES}`,
    );
    Object.assign(project.env, mirror.env);
    // The run's shared toolchain store (scripts/test.mjs), so the templates' toolchains unpack once per run.
    project.env.POLY_HOME = templatesPolyHome(project.env.POLY_HOME as string);
    for (const t of RUST_JAVA) await scaffold(project, t);
  });

  after(async () => {
    for (const c of containers) await docker(['rm', '-f', c]);
    const images = await docker(['image', 'ls', '-q', '--filter', `label=dev.poly.project=${name}`]);
    const ids = String(images.stdout).split('\n').filter(Boolean);
    if (ids.length) await docker(['rmi', '-f', ...new Set(ids)]);
    await mirror?.close();
    project?.cleanup();
  });

  async function runImage(image: string, container: string): Promise<string> {
    const info = JSON.parse(String((await docker(['image', 'inspect', image])).stdout))[0];
    const port = info.Config.Env.find((e: string) => e.startsWith('PORT='))?.slice(5);
    containers.push(container);
    const run = await docker(['run', '-d', '--name', container, '-p', `127.0.0.1::${port}`, image]);
    assert.equal(run.exitCode, 0, run.stderr);
    const published = String((await docker(['port', container, `${port}/tcp`])).stdout)
      .trim()
      .split('\n')[0];
    return `http://${published}`;
  }

  it('builds all three; each runs as uid 10001, answers its endpoint, turns healthy, and carries no toolchain it does not need', async () => {
    const r = await runPoly(['build', '--json'], project.root, project.env);
    assert.equal(r.exitCode, 0, String(r.all).slice(-6000));
    const { images } = JSON.parse(String(r.stdout)) as {
      images: { service: string; image: string; seconds: number }[];
    };
    console.log(`build times: ${images.map((i) => `${i.service} ${i.seconds}s`).join(', ')}`);
    assert.deepEqual(images.map((i) => i.service).sort(), RUST_JAVA.map((t) => t.service).sort());
    for (const image of images) {
      const runtime = RUST_JAVA.find((t) => t.service === image.service)?.runtime;
      const info = JSON.parse(String((await docker(['image', 'inspect', image.image])).stdout))[0];
      assert.equal(info.Config.User, '10001:10001');
      assert.equal(info.Config.Labels['dev.poly.service'], image.service);
      assert.ok(info.Config.Healthcheck?.Test?.length, `${image.service} has a HEALTHCHECK`);
      const container = `${name}-${image.service}`;
      const url = await runImage(image.image, container);
      const body = await waitForHttp(`${url}/api/hello`, 180_000);
      assert.match(String(body), /Hello from/, `${image.service} answered ${body}`);
      await waitHealthy(container, 180_000);
      assert.equal(String((await docker(['exec', container, 'id', '-u'])).stdout).trim(), '10001');
      const added = await addedBytes(image.image, DEBIAN_SSL_TEST_IMAGE);
      console.log(`${image.service}: ${(added / 2 ** 20).toFixed(1)} MiB over the base`);
      const probe = (cmd: string) => docker(['exec', container, 'sh', '-c', cmd]);
      if (runtime === 'rust') {
        // A release binary alone: no cargo, no rustc, and a few MiB, not a debug build's tens.
        assert.notEqual((await probe('command -v cargo || command -v rustc')).exitCode, 0);
        assert.ok(added < 30 * 2 ** 20, `${image.service} adds ${added} bytes`);
      } else {
        // The JDK's runtime: java runs; javac, jshell, jlink and the jmods are not there.
        assert.equal((await probe('java -version')).exitCode, 0);
        for (const gone of [
          'command -v javac',
          'command -v jshell',
          'command -v jlink',
          'ls "$JAVA_HOME/jmods"',
        ])
          assert.notEqual((await probe(gone)).exitCode, 0, `${image.service}: ${gone}`);
      }
    }
  });

  it('a code-only change to a Rust service rebuilds from the cached dependency layer', async () => {
    const file = join(project.root, 'services', 'rsaxum', 'src', 'lib.rs');
    // A text of this run's own: the same edit as an earlier run's would be a layer the engine has cached.
    writeFileSync(file, readFileSync(file, 'utf8').replace('"Hello from ', `"Hello again ${name} from `));
    const started = performance.now();
    const r = await runPoly(['build', 'rsaxum'], project.root, project.env);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    assert.equal(r.exitCode, 0, String(r.all).slice(-4000));
    console.log(`rsaxum rebuilt after a one-line change in ${seconds}s (poly build's whole run)`);
    const out = String(r.all);
    // The dependency step (the stub build) comes from the cache; the touched sources build anew.
    const stub = out.indexOf("RUN mkdir -p src && echo 'fn main() {}'");
    assert.ok(stub > 0, out);
    assert.match(out.slice(stub, out.indexOf('COPY . .', stub)), /Using cache/);
    assert.doesNotMatch(out.slice(out.indexOf('COPY . .', stub)), /Compiling (tokio|axum|serde) /);
    const url = await runImage(`${name}-rsaxum:latest`, `${name}-rsaxum-again`);
    assert.match(
      String(await waitForHttp(`${url}/api/hello`, 60_000)),
      new RegExp(`Hello again ${name} from`),
    );
  });
});
