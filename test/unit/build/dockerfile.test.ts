import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderDockerfile } from '../../../src/core/build/dockerfile.js';
import { healthcheckInstruction } from '../../../src/core/build/healthcheck.js';
import { recipeFor } from '../../../src/core/build/recipe.js';
import { cargoBinName } from '../../../src/core/build/service-files.js';
import { isPolyError } from '../../../src/core/errors.js';

const timing = { interval: 2000, timeout: 1000, retries: 3 };
const toolchain = {
  image: 'poly-toolchain/go:1.23.4-abc',
  dir: '/opt/poly/go/1.23.4',
  binDirs: ['/opt/poly/go/1.23.4/bin'],
  env: { GOROOT: '/opt/poly/go/1.23.4' },
};

function goRecipe(buildTask?: string[]) {
  return recipeFor({
    service: 'api',
    runtime: 'go',
    files: { present: new Set(['go.mod', 'go.sum']) },
    ...(buildTask ? { buildTask } : {}),
    toolchainDir: toolchain.dir,
    manifestFile: 'poly.toml',
  });
}

describe('poly build Dockerfiles', () => {
  it('installs dependencies from the copied manifests before the source, in a non-root run stage', () => {
    const text = renderDockerfile({
      recipe: goRecipe(),
      baseImage: 'debian:bookworm-slim',
      toolchain,
      registryArgs: ['GOPROXY'],
      port: 8080,
    });
    const at = (needle: string) => {
      const i = text.indexOf(needle);
      assert.ok(i >= 0, `${needle} in\n${text}`);
      return i;
    };
    assert.ok(at('COPY go.mod ./go.mod') < at('ARG GOPROXY'));
    assert.ok(at('ARG GOPROXY') < at('RUN go mod download'));
    assert.ok(at('RUN go mod download') < at('RUN go build std'));
    assert.ok(at('RUN go build std') < at('COPY . .'));
    assert.ok(at('COPY . .') < at('RUN go build -ldflags=-buildid= -o /out/api .'));
    assert.ok(at(`COPY --from=${toolchain.image} ${toolchain.dir} ${toolchain.dir}`) < at('COPY go.mod'));
    assert.ok(at('USER 10001:10001') > at('\nFROM debian:bookworm-slim\n'));
    assert.match(text, /CMD \["\/app\/api"\]\n$/);
    assert.match(text, /PATH="\/opt\/poly\/go\/1\.23\.4\/bin:\$PATH"/);
    assert.match(text, /PORT="8080"/);
  });

  it('runs the service build task instead of the default, and python keeps the venv in front of the toolchain', () => {
    const withTask = renderDockerfile({
      recipe: goRecipe(['go generate ./...', 'go build ./...']),
      baseImage: 'b',
      toolchain,
      registryArgs: [],
    });
    assert.ok(withTask.indexOf('RUN go generate ./...') < withTask.indexOf('RUN go build ./...'));
    const py = recipeFor({
      service: 'web',
      runtime: 'python',
      files: { present: new Set(['pyproject.toml']) },
      toolchainDir: '/opt/poly/python/3.12.1',
      manifestFile: 'poly.toml',
    });
    const text = renderDockerfile({
      recipe: py,
      baseImage: 'b',
      toolchain: {
        image: 'tc',
        dir: '/opt/poly/python/3.12.1',
        binDirs: ['/opt/poly/python/3.12.1/bin'],
        env: {},
      },
      registryArgs: [],
      run: 'python -m web',
    });
    assert.match(text, /PATH="\/app\/\.venv\/bin:\/opt\/poly\/python\/3\.12\.1\/bin:\$PATH"/);
    assert.match(text, /CMD \["python","-m","web"\]/);
  });

  it('names what is missing when a service has no way to build', () => {
    for (const [runtime, missing] of [
      ['node', 'package.json'],
      ['go', 'go.mod'],
      ['rust', 'Cargo.toml'],
      ['python', 'requirements.txt or pyproject.toml'],
      ['java', 'pom.xml'],
    ] as const) {
      assert.throws(
        () =>
          recipeFor({
            service: 'x',
            runtime,
            files: { present: new Set() },
            toolchainDir: '/t',
            manifestFile: '/p/poly.toml',
          }),
        (err) =>
          isPolyError(err) && err.code === 'BUILD_NO_RECIPE' && err.message.includes(`has no ${missing}`),
      );
    }
  });

  it('renders a HEALTHCHECK that works without curl or wget, with the path never pasted into the script', () => {
    const line = healthcheckInstruction({ kind: 'http', path: "/h'ealth" }, 8080, timing) ?? '';
    assert.match(line, /^HEALTHCHECK --interval=2s --timeout=1s --start-period=6s --retries=3 CMD curl /);
    assert.match(line, /bash -c '.*' 8080 '\/h'\\''ealth'$/);
    assert.equal(healthcheckInstruction(undefined, 8080, timing), undefined);
    assert.match(
      healthcheckInstruction({ kind: 'tcp', port: 5432 }, undefined, timing) ?? '',
      /nc -z -w 2 127\.0\.0\.1 5432/,
    );
  });

  it("builds a Rust service's crates once: the stub dependency layer runs the same cargo command as the build", () => {
    const rust = (buildTask?: string[]) =>
      recipeFor({
        service: 'api',
        runtime: 'rust',
        files: {
          present: new Set(['Cargo.toml', 'Cargo.lock', 'src/main.rs', 'src/lib.rs']),
          cargoBin: 'api',
        },
        ...(buildTask ? { buildTask } : {}),
        toolchainDir: '/opt/poly/rust/1.85.0',
        manifestFile: 'poly.toml',
      });
    // A debug build task: the dependencies compile in the debug profile too, not release and then debug.
    const debug = rust(['cargo build']);
    assert.equal(debug.dependencySteps.length, 1);
    assert.match(debug.dependencySteps[0] ?? '', /&& cargo build && rm -rf src /);
    assert.doesNotMatch(debug.dependencySteps[0] ?? '', /--release/);
    assert.deepEqual(debug.buildSteps.slice(1), ['cargo build']);
    // No task: the release default in both, locked by Cargo.lock; the stub's binaries are removed.
    const release = rust();
    assert.match(
      release.dependencySteps[0] ?? '',
      /echo 'fn main\(\) \{\}' > src\/main\.rs && echo 'fn main\(\) \{\}' > src\/lib\.rs && cargo build --release --locked && rm -rf src target\/release\/api /,
    );
    assert.match(release.dependencySteps[0] ?? '', /target\/debug\/api /);
    assert.deepEqual(release.buildSteps.slice(1), ['cargo build --release --locked']);
  });

  it('reads the binary name cargo builds', () => {
    assert.equal(cargoBinName('[package]\nname = "hello-axum"\n'), 'hello-axum');
    assert.equal(
      cargoBinName('[package]\nname = "a"\n[[bin]]\nname = "server"\npath = "src/main.rs"\n'),
      'server',
    );
    assert.equal(cargoBinName('not toml ['), undefined);
  });
});
