import {
  type Arch,
  joinUrl,
  type OS,
  type PlatformArtifacts,
  type PlatformKey,
  type RemoteVersion,
  type RuntimeDefinition,
  sha256Checksum,
} from './types.js';
import { firstLine, miseToolsEntry, toolVersionsEntry } from './version-files.js';

const GO_ARCH: Record<string, Arch> = { amd64: 'x64', arm64: 'arm64' };
const GO_OS: Record<string, OS> = { linux: 'linux', darwin: 'darwin' };

interface GoFile {
  filename: string;
  os: string;
  arch: string;
  sha256: string;
  size?: number;
  kind: string;
}
interface GoRelease {
  version: string;
  stable: boolean;
  files: GoFile[];
}

export function goIndexUrl(base: string): string {
  return `${base.replace(/\/+$/, '')}/?mode=json&include=all`;
}

/** The JSON of go.dev/dl, with every release's archives and their sha256. */
export function parseGoIndex(body: string, base: string): RemoteVersion[] {
  const releases = JSON.parse(body) as GoRelease[];
  return releases.map((r) => {
    const artifacts: PlatformArtifacts = {};
    for (const f of r.files ?? []) {
      const os = GO_OS[f.os];
      const arch = GO_ARCH[f.arch];
      if (f.kind !== 'archive' || !os || !arch || !f.filename.endsWith('.tar.gz')) continue;
      const key = `${os}-${arch}` as PlatformKey;
      artifacts[key] = {
        url: joinUrl(base, f.filename),
        checksum: sha256Checksum(f.sha256),
        strip: 1,
        ...(f.size ? { size: f.size } : {}),
      };
    }
    return { version: r.version.replace(/^go/, ''), prerelease: !r.stable, artifacts };
  });
}

/** go.mod: `toolchain go1.22.3` wins over the language line `go 1.22`. */
export function goModVersion(content: string): string | undefined {
  const toolchain = /^toolchain\s+go(\S+)/m.exec(content);
  if (toolchain?.[1]) return toolchain[1];
  return /^go\s+(\d\S*)/m.exec(content)?.[1];
}

export const go: RuntimeDefinition = {
  name: 'go',
  pin: { aliases: [], isAlias: () => false, examples: { exact: '1.23.2', prefix: '1.23', range: '^1.22' } },
  officialBase: 'https://go.dev/dl',
  archive: { strip: 1 },
  mirrorEnv: 'POLY_GO_MIRROR',
  sourceName: () => 'official',
  async listVersions(ctx, _spec, fetch) {
    return parseGoIndex(await fetch(goIndexUrl(ctx.base)), ctx.base);
  },
  async artifacts(_ctx, remote) {
    return remote.artifacts ?? {};
  },
  binDirs: () => ['bin'],
  env: (installDir) => ({ GOROOT: installDir }),
  systemBinary: 'go',
  versionFiles: ['.go-version', 'go.mod', '.tool-versions', 'mise.toml'],
  parseVersionFile(fileName, content) {
    if (fileName === 'go.mod') return goModVersion(content);
    if (fileName === '.tool-versions') return toolVersionsEntry(content, ['golang', 'go']);
    if (fileName === 'mise.toml') return miseToolsEntry(content, ['go', 'golang']);
    return firstLine(content)?.replace(/^go/, '');
  },
  containerImage: (version) => `golang:${version}`,
};
