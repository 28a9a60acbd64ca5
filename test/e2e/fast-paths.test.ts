import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runPoly, tempHome } from '../helpers/poly-cli.js';
import { throughOclif } from '../helpers/through-oclif.js';

describe('the cold commands served before oclif (bin/run.cjs fast paths)', () => {
  const home = tempHome();
  after(home.cleanup);
  const project = join(home.dir, 'project');
  mkdirSync(join(home.dir, 'home', 'installs', 'node', '22.1.0'), { recursive: true });
  mkdirSync(project);
  writeFileSync(join(project, 'poly.toml'), '[runtimes]\nnode = "22"\npython = "3.12"\n');
  const env = { ...home.env, POLY_GO_MIRROR: 'http://127.0.0.1:9/go' };

  for (const args of [
    ['ls'],
    ['ls', '--json'],
    ['ls', '-C', home.dir],
    ['ls', 'extra'],
    ['ps'],
    ['ps', '--json'],
    ['templates'],
    ['templates', '--json'],
    ['config', 'list'],
    ['config', 'list', '--json'],
    ['--help'],
    ['help'],
  ]) {
    it(`poly ${args.join(' ')} prints exactly what oclif prints`, async () => {
      const [fast, oclif] = await Promise.all([
        runPoly(args, { cwd: project, env }),
        throughOclif(args, project, env),
      ]);
      assert.deepEqual(fast, oclif);
      if (args[0] === 'ls' && args.length === 1) assert.match(fast.stdout, /node +22\.1\.0/);
    });
  }
});
