import { commandLine } from '../tasks/command-line.js';
import type { Recipe } from './recipe.js';

/** The locked toolchain as the build sees it: an image holding it at `dir` (see toolchain-image.ts). */
export interface ToolchainLayer {
  image: string;
  dir: string;
  /** Absolute bin dirs inside the image, put in front of PATH. */
  binDirs: string[];
  /** The runtime's own variables (GOROOT, JAVA_HOME …) for `dir`. */
  env: Record<string, string>;
}

export interface DockerfileInput {
  recipe: Recipe;
  /** Both stages start from it (a Debian: apt-get for the build stage's packages, a shell for HEALTHCHECK). */
  baseImage: string;
  toolchain: ToolchainLayer;
  /** Build args the dependency step reads: the registries the user's clients are configured with. */
  registryArgs: readonly string[];
  port?: number;
  healthcheck?: string;
  /** A CA bundle sent as .poly-build/ca.crt: the one the user's clients trust (a TLS-inspecting proxy's). */
  caBundle?: boolean;
  /** The service's `run`, when the recipe has no command of its own (node, python). */
  run?: string;
}

/** The uid the image runs as: not root, and not a uid a host user likely has. */
export const IMAGE_USER = 10001;

function envLine(vars: Record<string, string>): string | undefined {
  const entries = Object.entries(vars);
  if (entries.length === 0) return undefined;
  return `ENV ${entries.map(([k, v]) => `${k}=${JSON.stringify(v).replaceAll('$', '\\$').replace('\\$PATH', '$PATH')}`).join(' ')}`;
}

function toolchainEnv(t: ToolchainLayer): Record<string, string> {
  return { ...t.env, PATH: `${t.binDirs.join(':')}:$PATH` };
}

/** `over` after `base`; a PATH of `over` that extends $PATH extends base's PATH (the venv before the toolchain). */
function mergeEnv(base: Record<string, string>, over: Record<string, string>): Record<string, string> {
  const merged = { ...base, ...over };
  if (base.PATH && over.PATH) merged.PATH = over.PATH.replace('$PATH', base.PATH);
  return merged;
}

const CA_FILE = '/etc/poly-build/ca.crt';

/**
 * The build stage trusts the CA bundle the user's clients trust, each
 * client by its own setting; Java's keystore takes the certificates one by one.
 */
function caSteps(toolchain: ToolchainLayer): string[] {
  const steps = [
    'COPY .poly-build/ca.crt .poly-build/ImportCa.java /etc/poly-build/',
    `ENV NODE_EXTRA_CA_CERTS=${CA_FILE} PIP_CERT=${CA_FILE} SSL_CERT_FILE=${CA_FILE} CARGO_HTTP_CAINFO=${CA_FILE}`,
  ];
  const javaHome = toolchain.env.JAVA_HOME;
  // One JVM imports the whole bundle (keytool takes one certificate per run: minutes for a system bundle).
  if (javaHome) steps.push(`RUN ${javaHome}/bin/java /etc/poly-build/ImportCa.java ${CA_FILE}`);
  return steps;
}

/** The exec-form CMD of a service's `run` line, or sh -c for a line that is shell syntax. */
function cmdOf(recipe: Recipe, run: string | undefined): string | undefined {
  const argv = recipe.cmd ?? (run ? commandLineArgv(run) : undefined);
  return argv ? `CMD ${JSON.stringify(argv)}` : undefined;
}

function commandLineArgv(run: string): string[] {
  const line = commandLine(run);
  return [line.file, ...line.args];
}

/**
 * A two-stage Dockerfile for the legacy builder of the Engine API (no
 * BuildKit features): the build stage gets the locked toolchain from its
 * image, installs dependencies from the copied manifests, then copies the
 * source and builds; the run stage gets only what the recipe carries over,
 * runs as a non-root user and checks its own health. Pure.
 */
export function renderDockerfile(input: DockerfileInput): string {
  const { recipe, toolchain } = input;
  const lines: (string | undefined)[] = [
    '# Written by poly build from poly.toml and poly.lock.',
    `FROM ${input.baseImage} AS build`,
  ];
  if (recipe.buildPackages.length > 0)
    lines.push(
      `RUN apt-get update && apt-get install -y --no-install-recommends ${recipe.buildPackages.join(' ')} && rm -rf /var/lib/apt/lists/*`,
    );
  lines.push(`COPY --from=${toolchain.image} ${toolchain.dir} ${toolchain.dir}`);
  if (input.caBundle) lines.push(...caSteps(toolchain));
  lines.push(envLine(mergeEnv(toolchainEnv(toolchain), recipe.buildEnv)));
  lines.push('WORKDIR /app');
  if (recipe.dependencyFiles.length > 0) {
    for (const f of recipe.dependencyFiles) lines.push(`COPY ${f} ./${f}`);
    for (const arg of input.registryArgs) lines.push(`ARG ${arg}`);
    for (const step of recipe.dependencySteps) lines.push(`RUN ${step}`);
  }
  lines.push('COPY . .');
  if (input.caBundle) lines.push('RUN rm -rf .poly-build');
  for (const step of [...recipe.buildSteps, ...recipe.collectSteps]) lines.push(`RUN ${step}`);

  lines.push('', `FROM ${input.baseImage}`);
  lines.push(
    `RUN groupadd -g ${IMAGE_USER} app && useradd -u ${IMAGE_USER} -g app -m -d /home/app -s /bin/sh app`,
  );
  if (recipe.runNeedsToolchain)
    lines.push(`COPY --from=${toolchain.image} ${toolchain.dir} ${toolchain.dir}`);
  for (const c of recipe.runCopies)
    lines.push(`COPY --from=build --chown=${IMAGE_USER}:${IMAGE_USER} ${c.from} ${c.to}`);
  const port = input.port;
  lines.push(
    envLine({
      ...mergeEnv(recipe.runToolchainEnv ? toolchainEnv(toolchain) : {}, recipe.runEnv),
      // Inside a container the service must listen on every interface to be reachable.
      HOST: '0.0.0.0',
      ...(port !== undefined ? { PORT: String(port) } : {}),
    }),
  );
  lines.push('WORKDIR /app', `USER ${IMAGE_USER}:${IMAGE_USER}`);
  if (port !== undefined) lines.push(`EXPOSE ${port}`);
  lines.push(input.healthcheck, cmdOf(recipe, input.run));
  return `${lines.filter((l) => l !== undefined).join('\n')}\n`;
}

/** Adds every certificate of a PEM bundle to the JDK's cacerts, in one JVM (java ImportCa.java bundle.pem). */
export const IMPORT_CA_JAVA = `import java.io.*;
import java.security.KeyStore;
import java.security.cert.*;

public class ImportCa {
  public static void main(String[] args) throws Exception {
    char[] password = "changeit".toCharArray();
    File store = new File(System.getProperty("java.home"), "lib/security/cacerts");
    KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
    try (InputStream in = new FileInputStream(store)) { keys.load(in, password); }
    int n = 0;
    try (InputStream in = new FileInputStream(args[0])) {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in))
        keys.setCertificateEntry("poly-build-" + n++, c);
    }
    try (OutputStream out = new FileOutputStream(store)) { keys.store(out, password); }
  }
}
`;
