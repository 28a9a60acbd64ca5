import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execa } from 'execa';

/**
 * A minimal Docker Registry (HTTP API v2, read-only) on 127.0.0.1 serving one
 * local image, so image pulls run for real without any outside registry. The
 * engine trusts plain HTTP for registries on 127.0.0.0/8.
 */
export interface LocalRegistry {
  /** "127.0.0.1:<port>/<repository>:<tag>" */
  ref: string;
  close(): Promise<void>;
}

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

export async function serveImage(
  localImage: string,
  repository: string,
  tag: string,
): Promise<LocalRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'poly-registry-'));
  const blobs = new Map<string, Buffer>();
  let manifest: Buffer;
  try {
    await execa('docker', ['save', '-o', join(dir, 'image.tar'), localImage]);
    await execa('tar', ['-xf', join(dir, 'image.tar'), '-C', dir]);
    const saved = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))[0] as {
      Config: string;
      Layers: string[];
    };
    const config = readFileSync(join(dir, saved.Config));
    blobs.set(sha256(config), config);
    const layers = saved.Layers.map((path) => {
      const gz = gzipSync(readFileSync(join(dir, path)));
      blobs.set(sha256(gz), gz);
      return {
        mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
        size: gz.length,
        digest: sha256(gz),
      };
    });
    manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        config: {
          mediaType: 'application/vnd.docker.container.image.v1+json',
          size: config.length,
          digest: sha256(config),
        },
        layers,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '';
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    if (url === '/v2/' || url === '/v2') return res.end('{}');
    if (
      url === `/v2/${repository}/manifests/${tag}` ||
      url === `/v2/${repository}/manifests/${sha256(manifest)}`
    ) {
      res.setHeader('Content-Type', 'application/vnd.docker.distribution.manifest.v2+json');
      res.setHeader('Docker-Content-Digest', sha256(manifest));
      res.setHeader('Content-Length', manifest.length);
      return res.end(req.method === 'HEAD' ? undefined : manifest);
    }
    const blob = url.match(new RegExp(`^/v2/${repository}/blobs/(sha256:[a-f0-9]{64})$`))?.[1];
    const data = blob ? blobs.get(blob) : undefined;
    if (data) {
      res.setHeader('Content-Type', 'application/octet-stream');
      res.setHeader('Docker-Content-Digest', blob!);
      res.setHeader('Content-Length', data.length);
      return res.end(req.method === 'HEAD' ? undefined : data);
    }
    res.statusCode = 404;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'unknown', detail: url }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    ref: `127.0.0.1:${port}/${repository}:${tag}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
