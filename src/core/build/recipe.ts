import { PolyError } from '../errors.js';
import type { RuntimeName } from '../manifest/types.js';
import type { ServiceFiles } from './service-files.js';

/**
 * How one runtime's service becomes an image, as Dockerfile steps: the
 * dependency manifests are copied and installed first (a layer a code-only
 * change reuses), then the source, then the build; the run stage takes only
 * the artifact (a binary, a jar) or the app folder with its installed
 * dependencies. Pure: the caller reads the folder (service-files.ts).
 */
export interface Recipe {
  /** Debian packages the build stage needs (a C linker for Rust, CA roots for Go and cargo). */
  buildPackages: string[];
  buildEnv: Record<string, string>;
  /** Files copied before the dependency step. */
  dependencyFiles: string[];
  dependencySteps: string[];
  /** After `COPY . .`: the service's `build` task when it has one, else the runtime's default. */
  buildSteps: string[];
  /** Puts the artifact where the run stage copies it from. */
  collectSteps: string[];
  /** From the build stage into the run stage. */
  runCopies: { from: string; to: string }[];
  /** Whether the run stage carries the toolchain itself (node, python). */
  runNeedsToolchain: boolean;
  /** Whether the run stage sets the toolchain's PATH and variables (java's runtime sits at its dir). */
  runToolchainEnv: boolean;
  runEnv: Record<string, string>;
  /** Exec form; undefined runs the service's `run` command. */
  cmd?: string[];
}

export interface RecipeInput {
  service: string;
  runtime: RuntimeName;
  files: ServiceFiles;
  /** The service's `build` task command lines, if it declares one. */
  buildTask?: readonly string[];
  /** Where the toolchain sits in both stages. */
  toolchainDir: string;
  /** poly.toml's path for messages. */
  manifestFile: string;
}

function noWayToBuild(input: RecipeInput, missing: string, fix: string): PolyError {
  return new PolyError(
    'BUILD_NO_RECIPE',
    `${input.manifestFile}: services.${input.service} (${input.runtime}) has no ${missing}, so poly build does not know how to build it`,
    { hint: `${fix}, or point build = "<Dockerfile>" at a Dockerfile of your own.` },
  );
}

const APP = '/app';

export function recipeFor(input: RecipeInput): Recipe {
  switch (input.runtime) {
    case 'node':
      return nodeRecipe(input);
    case 'python':
      return pythonRecipe(input);
    case 'go':
      return goRecipe(input);
    case 'rust':
      return rustRecipe(input);
    case 'java':
      return javaRecipe(input);
  }
}

function nodeRecipe(input: RecipeInput): Recipe {
  const has = (f: string) => input.files.present.has(f);
  if (!has('package.json')) throw noWayToBuild(input, 'package.json', 'Add a package.json (npm init -y)');
  const lock = has('package-lock.json')
    ? 'package-lock.json'
    : has('npm-shrinkwrap.json')
      ? 'npm-shrinkwrap.json'
      : undefined;
  return {
    buildPackages: [],
    buildEnv: { NPM_CONFIG_UPDATE_NOTIFIER: 'false', NPM_CONFIG_FUND: 'false', NPM_CONFIG_AUDIT: 'false' },
    dependencyFiles: ['package.json', ...(lock ? [lock] : [])],
    // Dev dependencies too: the build (tsc, bundlers) needs them; they are pruned after it.
    dependencySteps: [lock ? 'npm ci' : 'npm install'],
    buildSteps: input.buildTask ? [...input.buildTask] : ['npm run build --if-present'],
    // Dev dependencies stay: a `start` script often compiles first (the express template's runs tsc).
    collectSteps: ['rm -rf /root/.npm'],
    runCopies: [{ from: APP, to: APP }],
    runNeedsToolchain: true,
    runToolchainEnv: true,
    runEnv: { NODE_ENV: 'production' },
  };
}

/** Dependencies of a pyproject.toml, read by the locked Python itself (tomllib), so they install before the source. */
const PYPROJECT_DEPENDENCIES =
  "python3 -c \"import tomllib;print('\\n'.join(tomllib.load(open('pyproject.toml','rb')).get('project',{}).get('dependencies',[])))\" > /tmp/requirements.txt";

function pythonRecipe(input: RecipeInput): Recipe {
  const has = (f: string) => input.files.present.has(f);
  if (!has('requirements.txt') && !has('pyproject.toml'))
    throw noWayToBuild(
      input,
      'requirements.txt or pyproject.toml',
      'List its dependencies in requirements.txt',
    );
  const venv = `${APP}/.venv`;
  const pip = 'python3 -m pip install --no-cache-dir --disable-pip-version-check';
  const dependencySteps = [`python3 -m venv ${venv}`];
  if (has('requirements.txt')) dependencySteps.push(`${pip} -r requirements.txt`);
  else dependencySteps.push(PYPROJECT_DEPENDENCIES, `${pip} -r /tmp/requirements.txt`);
  const install = has('pyproject.toml') ? [`${pip} --no-deps .`] : [];
  return {
    buildPackages: [],
    buildEnv: { PATH: `${venv}/bin:$PATH`, VIRTUAL_ENV: venv, PYTHONDONTWRITEBYTECODE: '1' },
    dependencyFiles: [
      ...(has('requirements.txt') ? ['requirements.txt'] : []),
      ...(has('pyproject.toml') ? ['pyproject.toml'] : []),
    ],
    dependencySteps,
    buildSteps: [...install, ...(input.buildTask ?? [])],
    collectSteps: [],
    runCopies: [{ from: APP, to: APP }],
    runNeedsToolchain: true,
    runToolchainEnv: true,
    runEnv: {
      PATH: `${venv}/bin:$PATH`,
      VIRTUAL_ENV: venv,
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
    },
  };
}

function goRecipe(input: RecipeInput): Recipe {
  const has = (f: string) => input.files.present.has(f);
  if (!has('go.mod')) throw noWayToBuild(input, 'go.mod', 'Run go mod init');
  const binary = `/out/${input.service}`;
  return {
    buildPackages: ['ca-certificates'],
    // A static binary runs on any slim base; -trimpath keeps build paths out of it.
    buildEnv: { CGO_ENABLED: '0', GOFLAGS: '-trimpath', GOTOOLCHAIN: 'local' },
    dependencyFiles: ['go.mod', ...(has('go.sum') ? ['go.sum'] : [])],
    // The standard library compiled into the layer's build cache (Go ships it as source): a code-only
    // change then compiles only the service's own packages.
    dependencySteps: ['go mod download', 'go build std'],
    buildSteps: input.buildTask ? [...input.buildTask] : [],
    // After a build task (go build ./... keeps no binary) this only links: the build cache has the packages.
    collectSteps: [`go build -ldflags=-buildid= -o ${binary} .`],
    runCopies: [{ from: binary, to: `${APP}/${input.service}` }],
    runNeedsToolchain: false,
    runToolchainEnv: false,
    runEnv: {},
    cmd: [`${APP}/${input.service}`],
  };
}

function rustRecipe(input: RecipeInput): Recipe {
  const has = (f: string) => input.files.present.has(f);
  const bin = input.files.cargoBin;
  if (!has('Cargo.toml') || !bin) throw noWayToBuild(input, 'Cargo.toml with a binary', 'Run cargo init');
  const locked = has('Cargo.lock') ? ' --locked' : '';
  const build = input.buildTask ? [...input.buildTask] : [`cargo build --release${locked}`];
  // Dependencies build against stub sources first, by the very commands the build runs: a task that
  // builds another profile (`cargo build` is debug) would otherwise compile every crate a second time.
  const stubs = ['src/main.rs', 'src/lib.rs'].filter((f) => has(f));
  const stubStep = `mkdir -p src && ${(stubs.length ? stubs : ['src/main.rs']).map((f) => `echo 'fn main() {}' > ${f}`).join(' && ')}`;
  // The stub's own artifacts go too, or the collect step could take the stub's binary.
  const dropStub = `rm -rf src target/release/${bin} target/release/${bin}.d target/debug/${bin} target/debug/${bin}.d`;
  return {
    buildPackages: ['ca-certificates', 'gcc', 'libc6-dev'],
    buildEnv: { CARGO_TERM_COLOR: 'never', CARGO_INCREMENTAL: '0' },
    dependencyFiles: ['Cargo.toml', ...(has('Cargo.lock') ? ['Cargo.lock'] : [])],
    dependencySteps: [[stubStep, ...build, dropStub].join(' && ')],
    // The real sources are touched so cargo rebuilds the crate over the stub's fingerprint.
    buildSteps: ["find src -name '*.rs' -exec touch {} +", ...build],
    // A build task may build the debug profile: take the release binary when there is one.
    collectSteps: [
      `mkdir -p /out && if [ -f target/release/${bin} ]; then cp target/release/${bin} /out/; else cp target/debug/${bin} /out/; fi`,
    ],
    runCopies: [{ from: `/out/${bin}`, to: `${APP}/${bin}` }],
    runNeedsToolchain: false,
    runToolchainEnv: false,
    runEnv: {},
    cmd: [`${APP}/${bin}`],
  };
}

function javaRecipe(input: RecipeInput): Recipe {
  const has = (f: string) => input.files.present.has(f);
  if (!has('pom.xml') && !input.buildTask)
    throw noWayToBuild(
      input,
      'pom.xml',
      'Add a Maven pom.xml (with ./mvnw), or a [services.x.tasks] build that makes a jar',
    );
  const mvn = has('mvnw') ? './mvnw -B' : 'mvn -B';
  const wrapperFiles = has('mvnw') ? ['mvnw', ...(has('.mvn') ? ['.mvn'] : [])] : [];
  const jre = `${input.toolchainDir}-runtime`;
  return {
    buildPackages: [],
    buildEnv: {
      MAVEN_OPTS:
        '-Dorg.slf4j.simpleLogger.log.org.apache.maven.cli.transfer.Slf4jMavenTransferListener=warn',
    },
    dependencyFiles: [...(has('pom.xml') ? ['pom.xml'] : []), ...wrapperFiles],
    dependencySteps: has('pom.xml') ? [`${mvn} -q dependency:go-offline || true`] : [],
    buildSteps: input.buildTask ? [...input.buildTask] : [`${mvn} -q -DskipTests package`],
    collectSteps: [
      // The runnable jar: not Spring Boot's -plain one, nor the shade plugin's original-.
      'mkdir -p /out && jar=$(ls target/*.jar build/libs/*.jar 2>/dev/null | grep -v -e \'-plain\\.jar$\' -e \'/original-\' | head -n 1) && test -n "$jar" && cp "$jar" /out/app.jar',
      // The JDK's runtime without what only compiling needs (no JRE archive is locked): its
      // tools (javac, jlink, jshell …) and javac's ct.sym go, a JRE's java and keytool stay.
      `cp -a ${input.toolchainDir} ${jre} && rm -rf ${jre}/jmods ${jre}/include ${jre}/lib/src.zip ${jre}/lib/ct.sym ${jre}/man ${jre}/demo ${jre}/sample && find ${jre}/bin -type f ! -name java ! -name keytool -delete`,
    ],
    runCopies: [
      { from: '/out/app.jar', to: `${APP}/app.jar` },
      { from: jre, to: input.toolchainDir },
    ],
    runNeedsToolchain: false,
    runToolchainEnv: true,
    runEnv: {},
    cmd: ['java', '-jar', `${APP}/app.jar`],
  };
}
