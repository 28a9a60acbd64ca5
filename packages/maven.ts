import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { type FetchText, sha256Checksum } from '../runtimes/types.js';
import { PolyError } from '../src/core/errors.js';
import { findOnPath } from '../src/core/runtimes/system.js';
import { readZipText } from '../src/core/runtimes/zip-entry.js';

/**
 * A Maven repository's layout (the one Maven Central and every Maven mirror serve):
 *   <base>/<group as folders>/<artifact>/maven-metadata.xml       every version
 *   <base>/<group>/<artifact>/<version>/<artifact>-<version>.jar  the artifact
 *   … .jar.sha256 / .jar.sha1                                     its checksum, hex (sometimes "<hex>  <name>")
 * The base comes from Maven's own configuration, never from poly: see mavenDefaultBase.
 */
export function mavenPath(group: string, artifact: string, version?: string, file?: string): string {
  const parts = [...group.split('.'), artifact];
  if (version) parts.push(version);
  if (file) parts.push(file);
  return parts.join('/');
}

/** The <version> entries of a maven-metadata.xml, in the order listed. */
export function parseMavenMetadata(xml: string): string[] {
  return [...xml.matchAll(/<version>\s*([^<\s]+)\s*<\/version>/g)].map((m) => m[1] as string);
}

/**
 * The checksum Maven publishes beside an artifact: sha256 where the
 * repository has one, else sha1 (the one every artifact on Maven Central has).
 */
export async function mavenChecksum(url: string, fetch: FetchText): Promise<string> {
  try {
    return sha256Checksum(firstHex(await fetch(`${url}.sha256`), 64, url));
  } catch (err) {
    if ((err as PolyError).code !== 'NOT_FOUND') throw err;
  }
  return `sha1:${firstHex(await fetch(`${url}.sha1`), 40, url)}`;
}

function firstHex(body: string, length: number, url: string): string {
  const hex = new RegExp(`^[0-9a-fA-F]{${length}}$`).exec(body.trim().split(/\s+/)[0] ?? '');
  if (!hex) throw new PolyError('CHECKSUM_INVALID', `the checksum file of ${url} holds no checksum`);
  return hex[0].toLowerCase();
}

/**
 * The repository Maven itself downloads from: a <mirror> of central in the
 * user's or the installation's settings.xml, else the central repository of
 * the super POM inside the installed Maven (its built-in default).
 */
export async function mavenDefaultBase(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const mvn = findOnPath('mvn', env);
  const mavenHome = env.MAVEN_HOME || env.M2_HOME || (mvn ? dirname(dirname(realpathSync(mvn))) : undefined);
  const settings = [join(env.HOME || homedir(), '.m2', 'settings.xml')];
  if (mavenHome) settings.push(join(mavenHome, 'conf', 'settings.xml'));
  for (const file of settings) {
    const url = existsSync(file) ? centralMirror(readFileSync(file, 'utf8')) : undefined;
    if (url) return url.replace(/\/+$/, '');
  }
  if (!mavenHome) return undefined;
  return superPomCentral(join(mavenHome, 'lib'));
}

/** The url of the first <mirror> whose mirrorOf covers central ("central", "*", "external:*"). */
export function centralMirror(settingsXml: string): string | undefined {
  const withoutComments = settingsXml.replace(/<!--[\s\S]*?-->/g, '');
  for (const m of withoutComments.matchAll(/<mirror>([\s\S]*?)<\/mirror>/g)) {
    const body = m[1] ?? '';
    const of = /<mirrorOf>\s*([^<]*?)\s*<\/mirrorOf>/.exec(body)?.[1]?.split(',') ?? [];
    const covers = of.some((o) => ['central', '*', 'external:*'].includes(o.trim()));
    if (!covers || of.some((o) => o.trim() === '!central')) continue;
    const url = /<url>\s*([^<]*?)\s*<\/url>/.exec(body)?.[1];
    if (url) return url;
  }
  return undefined;
}

async function superPomCentral(libDir: string): Promise<string | undefined> {
  let jar: string | undefined;
  try {
    jar = readdirSync(libDir).find((f) => /^maven-model-builder-.*\.jar$/.test(f));
  } catch {
    return undefined;
  }
  if (!jar) return undefined;
  const pom = await readZipText(join(libDir, jar), 'org/apache/maven/model/pom-4.0.0.xml').catch(
    () => undefined,
  );
  const repo = pom && /<repository>[\s\S]*?<id>central<\/id>[\s\S]*?<url>\s*([^<]+?)\s*<\/url>/.exec(pom);
  return repo?.[1]?.replace(/\/+$/, '');
}
