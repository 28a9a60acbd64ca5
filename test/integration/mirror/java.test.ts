import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Mirror, startMirror } from '../../helpers/mirror/index.js';
import {
  getJson,
  getText,
  output,
  parseShasums,
  removeTempDirs,
  sha256Url,
  tempDir,
  unpackUrl,
} from './support.js';

interface Available {
  available_releases: number[];
  available_lts_releases: number[];
  most_recent_lts: number;
  most_recent_feature_release: number;
}
interface Pkg {
  name: string;
  link: string;
  size: number;
  checksum: string;
  checksum_link: string;
}
interface FeatureRelease {
  release_name: string;
  version_data: { major: number; semver: string; openjdk_version: string };
  binaries: { os: string; architecture: string; image_type: string; package: Pkg }[];
}

const query = (os: string, arch: string) =>
  `?os=${os}&architecture=${arch}&image_type=jdk&jvm_impl=hotspot&vendor=eclipse`;

describe('mirror: Java in the Adoptium API layout', () => {
  let mirror: Mirror;
  before(async () => {
    mirror = await startMirror({ runtimes: ['java'] });
  });
  after(async () => {
    await mirror?.close();
    await removeTempDirs();
  });

  it('lists 17 and 25 in available_releases', async () => {
    const info = await getJson<Available>(`${mirror.env.POLY_JAVA_MIRROR}/v3/info/available_releases`);
    assert.ok(info.available_releases.includes(17) && info.available_releases.includes(25));
    assert.ok(info.available_lts_releases.includes(17));
    assert.equal(info.most_recent_feature_release, Math.max(...info.available_releases));
  });

  it('answers feature_releases per os/architecture with distinct checksums that match the served archives', async () => {
    for (const semver of mirror.versions.java) {
      const major = Number(semver.split('.')[0]);
      const seen = new Set<string>();
      for (const [os, arch] of [
        ['linux', 'x64'],
        ['linux', 'aarch64'],
        ['mac', 'x64'],
        ['mac', 'aarch64'],
      ] as const) {
        const releases = await getJson<FeatureRelease[]>(
          `${mirror.urls.java}/v3/assets/feature_releases/${major}/ga${query(os, arch)}`,
        );
        assert.equal(releases.length, 1);
        const [release] = releases;
        assert.equal(release!.release_name, `jdk-${semver}`);
        assert.equal(release!.version_data.major, major);
        assert.equal(release!.version_data.semver, semver);
        assert.equal(release!.binaries.length, 1);
        const { package: pkg, os: binOs, architecture } = release!.binaries[0]!;
        assert.deepEqual([binOs, architecture], [os, arch]);
        assert.match(pkg.name, new RegExp(`^OpenJDK${major}U-jdk_${arch}_${os}_hotspot_.*\\.tar\\.gz$`));
        seen.add(pkg.checksum);
        const served = await sha256Url(pkg.link);
        assert.equal(served.sha256, pkg.checksum, pkg.name);
        assert.equal(served.size, pkg.size);
        assert.equal(parseShasums(await getText(pkg.checksum_link)).get(pkg.name), pkg.checksum);
      }
      assert.equal(seen.size, 4);
    }
  });

  it('answers latest/{feature}/hotspot with the newest release', async () => {
    const latest = await getJson<{ release_name: string; binary: { package: Pkg } }[]>(
      `${mirror.urls.java}/v3/assets/latest/17/hotspot${query('linux', 'x64')}`,
    );
    assert.equal(latest.length, 1);
    assert.equal(latest[0]!.release_name, `jdk-${mirror.versions.java.find((v) => v.startsWith('17.'))}`);
    const missing = await fetch(
      `${mirror.urls.java}/v3/assets/feature_releases/9/ga${query('linux', 'x64')}`,
    );
    assert.equal(missing.status, 404);
  });

  it('serves linux x64 JDKs whose bin/java runs at the listed version (and compiles, for the newest)', async () => {
    const work = await tempDir('java-src');
    await writeFile(
      join(work, 'Hello.java'),
      'class Hello { public static void main(String[] a) { System.out.println("hello " + Runtime.version().feature()); } }\n',
    );
    for (const semver of mirror.versions.java) {
      const major = semver.split('.')[0]!;
      const [release] = await getJson<FeatureRelease[]>(
        `${mirror.urls.java}/v3/assets/feature_releases/${major}/ga${query('linux', 'x64')}`,
      );
      const archive = await unpackUrl(release!.binaries[0]!.package.link, 'java');
      const home = join(archive.dir, `jdk-${semver}`);
      const version = await output(join(home, 'bin', 'java'), ['-version']);
      assert.match(version, new RegExp(`version "${semver.split('+')[0]}"`));
      assert.equal(archive.sha256, release!.binaries[0]!.package.checksum);
      // javac in-process is slow on a loaded machine: compiling with one JDK shows the archive is whole.
      if (semver !== mirror.versions.java[0]) continue;
      assert.equal(
        (await output(join(home, 'bin', 'java'), [join(work, 'Hello.java')])).trim(),
        `hello ${major}`,
      );
    }
  });
});
