import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectDocker } from '../src/core/docker/client.js';
import { containerToolchainDir } from '../src/core/docker/container-env.js';
import { buildImage } from '../src/core/docker/images.js';
import { LOCK_FILE } from '../src/core/store/layout.js';
import { readLockfile } from '../src/core/store/lockfile.js';
import {
  DEBIAN_SSL_TEST_IMAGE as DEBIAN_TEST_IMAGE,
  debianSslTestImage,
} from '../test/helpers/docker-images.js';
import { startMirror } from '../test/helpers/mirror/index.js';
import { makeProject, runPoly } from '../test/helpers/templates-e2e.js';
import type { Bench, BenchRow } from './lib.js';

/**
 * `poly build` per template beside a hand-written multi-stage Dockerfile of
 * the same service, built in the same run from the same base and the same
 * toolchain image (no image registry is reachable here): cold build time,
 * image size (target: within 1.2x), and the warm rebuild after a one-line
 * code change (target: under 15 s). BENCH_BUILD_TEMPLATES picks templates.
 */
interface Case {
  template: string;
  service: string;
  runtime: 'go' | 'node' | 'python';
  /** The file and the one-line change (this run's own, so the rebuild is not an earlier run's cached layer). */
  edit: [string, string, string];
  /** The hand-written Dockerfile; {TC} is the toolchain image, {DIR} its folder. */
  dockerfile: string;
}

const CASES: Case[] = [
  {
    template: 'go-http',
    service: 'goweb',
    runtime: 'go',
    edit: ['handlers.go', '"Hello from "', `"Hello again ${process.pid} from "`],
    dockerfile: `FROM ${DEBIAN_TEST_IMAGE} AS build
COPY --from={TC} {DIR} {DIR}
ENV PATH={DIR}/bin:$PATH GOROOT={DIR} CGO_ENABLED=0 SSL_CERT_FILE=/ca.crt
COPY ca.crt /ca.crt
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN go build -o /out/app .
FROM ${DEBIAN_TEST_IMAGE}
COPY --from=build /out/app /app
USER 10001
CMD ["/app"]
`,
  },
  {
    template: 'express',
    service: 'nodeweb',
    runtime: 'node',
    edit: ['src/app.ts', 'Hello from', `Hello again ${process.pid} from`],
    dockerfile: `FROM ${DEBIAN_TEST_IMAGE} AS build
COPY --from={TC} {DIR} {DIR}
ENV PATH={DIR}/bin:$PATH NODE_EXTRA_CA_CERTS=/ca.crt
COPY ca.crt /ca.crt
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev
FROM ${DEBIAN_TEST_IMAGE}
COPY --from={TC} {DIR} {DIR}
ENV PATH={DIR}/bin:$PATH
COPY --from=build /app /app
WORKDIR /app
USER 10001
CMD ["npm", "start"]
`,
  },
  {
    template: 'fastapi',
    service: 'pyweb',
    runtime: 'python',
    edit: ['src/pyweb/app.py', 'Hello from', `Hello again ${process.pid} from`],
    dockerfile: `FROM ${DEBIAN_TEST_IMAGE} AS build
COPY --from={TC} {DIR} {DIR}
ENV PATH=/app/.venv/bin:{DIR}/bin:$PATH PIP_CERT=/ca.crt
COPY ca.crt /ca.crt
WORKDIR /app
COPY . .
RUN python3 -m venv /app/.venv && pip install --no-cache-dir .
FROM ${DEBIAN_TEST_IMAGE}
COPY --from={TC} {DIR} {DIR}
COPY --from=build /app/.venv /app/.venv
ENV PATH=/app/.venv/bin:{DIR}/bin:$PATH
USER 10001
CMD ["python", "-m", "pyweb"]
`,
  },
];

function imageSize(ref: string): number {
  return (
    Number(
      execFileSync('docker', ['image', 'inspect', '--format', '{{.Size}}', ref], { encoding: 'utf8' }).trim(),
    ) / 1e6
  );
}

const bench: Bench = async () => {
  const client = await connectDocker(process.env);
  await debianSslTestImage(client);
  const mirror = await startMirror({ runtimes: ['go', 'node', 'python'] });
  const project = makeProject(
    `[project]\nname = "bench-build-${process.pid}"\nbase_image = "${DEBIAN_TEST_IMAGE}"\n`,
  );
  Object.assign(project.env, mirror.env);
  const picked = process.env.BENCH_BUILD_TEMPLATES?.split(',');
  const rows: BenchRow[] = [];
  const created: string[] = [];
  try {
    for (const c of CASES.filter((x) => !picked || picked.includes(x.template))) {
      const made = await runPoly(['new', c.template, c.service], project.root, project.env);
      if (made.exitCode !== 0) throw new Error(String(made.all).slice(-3000));
      const t0 = performance.now();
      const built = await runPoly(['build', c.service, '--json'], project.root, project.env);
      if (built.exitCode !== 0) throw new Error(String(built.all).slice(-3000));
      const cold = performance.now() - t0;
      const image = JSON.parse(String(built.stdout)).images[0].image as string;
      created.push(image);
      // The toolchain image poly build made from poly.lock's version (a Go image carries no toolchain PATH).
      const version = readLockfile(join(project.root, LOCK_FILE))?.runtimes[c.runtime]?.version ?? '';
      const dir = containerToolchainDir(c.runtime, version);
      const tc =
        execFileSync(
          'docker',
          ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', `poly-toolchain/${c.runtime}`],
          { encoding: 'utf8' },
        )
          .split('\n')
          .find((ref) => ref.startsWith(`poly-toolchain/${c.runtime}:${version}-`)) ?? '';
      if (!version || !tc) throw new Error(`no toolchain image of ${c.runtime} ${version}`);
      const serviceDir = join(project.root, 'services', c.service);
      const handFile = join(serviceDir, 'Dockerfile.hand');
      writeFileSync(handFile, c.dockerfile.replaceAll('{TC}', tc).replaceAll('{DIR}', dir));
      writeFileSync(
        join(serviceDir, 'ca.crt'),
        readFileSync(process.env.SSL_CERT_FILE ?? '/etc/ssl/certs/ca-certificates.crt'),
      );
      const handTag = `bench-build-hand-${c.service}:${process.pid}`;
      const h0 = performance.now();
      await buildImage(client, { dockerfile: handFile, tag: handTag });
      const hand = performance.now() - h0;
      created.push(handTag);
      const [size, handSize] = [imageSize(image), imageSize(handTag)];
      rows.push({
        name: `${c.template} image size`,
        value: Number(size.toFixed(1)),
        unit: 'MB',
        baseline: { name: 'hand-written multi-stage', value: Number(handSize.toFixed(1)) },
        target: '<= 1.2x hand-written',
        ok: size <= handSize * 1.2,
      });
      rows.push({
        name: `${c.template} cold build`,
        value: Math.round(cold),
        unit: 'ms',
        baseline: { name: 'hand-written (toolchain image and apt layers warm)', value: Math.round(hand) },
        target: 'reported',
        ok: true,
      });
      const file = join(serviceDir, c.edit[0]);
      writeFileSync(file, readFileSync(file, 'utf8').replace(c.edit[1], c.edit[2]));
      const w0 = performance.now();
      const warm = await runPoly(['build', c.service], project.root, project.env);
      if (warm.exitCode !== 0) throw new Error(String(warm.all).slice(-3000));
      const warmMs = performance.now() - w0;
      rows.push({
        name: `${c.template} warm rebuild, one-line change`,
        value: Math.round(warmMs),
        unit: 'ms',
        target: '< 15000 ms',
        ok: warmMs < 15_000,
      });
    }
  } finally {
    for (const ref of created) execFileSync('docker', ['rmi', '-f', ref], { stdio: 'ignore' });
    await mirror.close();
    project.cleanup();
  }
  return rows;
};

export default bench;
