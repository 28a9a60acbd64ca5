/** Shared steps of the mirror's own tests: download, hash, unpack, run. */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';

export const run = promisify(execFile);

export async function download(url: string): Promise<{ status: number; body: Buffer; sha256: string }> {
  const response = await fetch(url);
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, body, sha256: createHash('sha256').update(body).digest('hex') };
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return (await response.json()) as T;
}

export async function getText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.text();
}

/** Parses `<sha256>  <name>` lines into name -> sha256. */
export function parseShasums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (match) sums.set(match[2]!, match[1]!);
  }
  return sums;
}

const made: string[] = [];

export async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `poly-mirror-test-${label}-`));
  made.push(dir);
  return dir;
}

/** Removes every dir tempDir made in this process (call from after()). */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** stdout + stderr of a command (java -version prints to stderr). */
export async function output(file: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const { stdout, stderr } = await run(file, args, { env: env ?? process.env });
  return `${stdout}${stderr}`;
}

/** Streams an archive from the mirror straight into `tar -xz`, hashing it on the way. */
export async function unpackUrl(url: string, label: string): Promise<{ dir: string; sha256: string }> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`${url}: ${response.status}`);
  const dir = join(await tempDir(label), 'out');
  await mkdir(dir);
  const hash = createHash('sha256');
  const tar = spawn('tar', ['-xzf', '-', '-C', dir], { stdio: ['pipe', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve, reject) =>
    tar.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`tar exited with ${code}`)))),
  );
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(
    Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
    hashing,
    tar.stdin,
  );
  await exited;
  return { dir, sha256: hash.digest('hex') };
}

/** sha256 of what a URL serves, streamed. */
export async function sha256Url(url: string): Promise<{ status: number; sha256: string; size: number }> {
  const response = await fetch(url);
  const hash = createHash('sha256');
  let size = 0;
  if (response.body)
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      size += chunk.length;
    }
  return { status: response.status, sha256: hash.digest('hex'), size };
}
