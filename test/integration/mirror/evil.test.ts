import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { evilArchives, startMirror } from '../../helpers/mirror/index.js';
import { download, removeTempDirs, run, tempDir } from './support.js';

/** `tar -tvzf` lines: type letter, name, and link target. */
async function listMembers(body: Buffer): Promise<{ type: string; name: string; link?: string }[]> {
  const dir = await tempDir('evil');
  await writeFile(join(dir, 'a.tar.gz'), body);
  const { stdout } = await run('tar', ['-tvzf', join(dir, 'a.tar.gz'), '--quoting-style=literal']);
  return stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [, type, rest] = /^(.)\S+\s+\S+\s+\d+\s+\S+\s+\S+\s+(.*)$/.exec(line)!;
      const [name, link] = rest!.split(/ -> | link to /);
      return link === undefined ? { type: type!, name: name! } : { type: type!, name: name!, link };
    });
}

/** Members as the raw ustar headers say (GNU tar's listing rewrites absolute link targets). */
function rawMembers(body: Buffer): { type: string; name: string; link: string }[] {
  const tar = gunzipSync(body);
  const out: { type: string; name: string; link: string }[] = [];
  const field = (at: number, length: number) => tar.toString('utf8', at, at + length).replace(/\0.*$/s, '');
  for (let at = 0; at + 512 <= tar.length && tar[at] !== 0; ) {
    const size = Number.parseInt(field(at + 124, 12), 8);
    out.push({ name: field(at, 100), type: field(at + 156, 1), link: field(at + 157, 100) });
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

describe('mirror: evil archives for the unpacker safety tests', () => {
  after(removeTempDirs);
  const outsideDir = '/tmp/poly-evil-outside';
  const archives = evilArchives({ outsideDir });

  it('dotdot holds members that climb out with ..', async () => {
    const names = (await listMembers(archives.dotdot.body)).map((m) => m.name);
    assert.ok(names.includes('../escape-dotdot.txt'));
    assert.ok(names.includes('pkg/../../escape-dotdot2.txt'));
    assert.ok(names.includes('pkg/bin/tool'), 'alongside an ordinary member');
  });

  it('absolute holds a member with an absolute name', async () => {
    const names = (await listMembers(archives.absolute.body)).map((m) => m.name);
    assert.ok(names.includes(`${outsideDir}/pwned-absolute.txt`));
    assert.deepEqual(archives.absolute.mustNotExist, [`${outsideDir}/pwned-absolute.txt`]);
  });

  it('symlink-escape links out, then writes through the link', async () => {
    const members = await listMembers(archives['symlink-escape'].body);
    const link = members.find((m) => m.name === 'pkg/link');
    assert.deepEqual(link, { type: 'l', name: 'pkg/link', link: outsideDir });
    assert.ok(
      members.findIndex((m) => m.name === 'pkg/link/pwned-symlink-escape.txt') > members.indexOf(link!),
    );
  });

  it('hardlink-escape hard-links to a file outside, then writes to the link', async () => {
    const listed = (await listMembers(archives['hardlink-escape'].body)).filter((m) => m.name === 'pkg/hard');
    assert.deepEqual(
      listed.map((m) => m.type),
      ['h', '-'],
    );
    const hard = rawMembers(archives['hardlink-escape'].body).filter((m) => m.name === 'pkg/hard');
    assert.deepEqual(hard[0], {
      name: 'pkg/hard',
      type: '1',
      link: `${outsideDir}/pwned-hardlink-escape.txt`,
    });
    assert.equal(hard[1]!.type, '0');
    assert.deepEqual(archives['hardlink-escape'].mustStayUnchanged, [
      `${outsideDir}/pwned-hardlink-escape.txt`,
    ]);
  });

  it('can be served by the mirror as extra files', async () => {
    const mirror = await startMirror({
      runtimes: [],
      files: { '/evil/dotdot.tar.gz': archives.dotdot.body },
    });
    try {
      const served = await download(`${mirror.url}/evil/dotdot.tar.gz`);
      assert.deepEqual(served.body, archives.dotdot.body);
    } finally {
      await mirror.close();
    }
  });
});
