import { Flags } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import { type OutdatedRow, outdated } from '../services/install/remote.js';

export default class Outdated extends PolyCommand {
  static override summary = 'Show pinned runtimes with newer versions available.';
  static override description =
    'For each pin: the version in use, the newest its spec allows (`poly upgrade` installs it), and the newest release (`poly upgrade --bump` moves the spec to it).';
  static override examples = ['<%= config.bin %> outdated', '<%= config.bin %> outdated --json'];
  static override enableJsonFlag = true;
  static override flags = { refresh: Flags.boolean({ summary: 'Refetch remote indexes.' }) };

  async run(): Promise<OutdatedRow[]> {
    const { flags } = await this.parse(Outdated);
    const rows = await outdated({ cwd: this.workdir(flags), refresh: flags.refresh, ctx: this.context() });
    this.log(
      `${'runtime'.padEnd(8)} ${'spec'.padEnd(12)} ${'current'.padEnd(14)} ${'wanted'.padEnd(14)} latest`,
    );
    for (const r of rows) {
      this.log(
        `${r.runtime.padEnd(8)} ${r.spec.padEnd(12)} ${(r.current ?? '-').padEnd(14)} ${r.wanted.padEnd(14)} ${r.latest}${r.outdated ? '' : '  (up to date)'}`,
      );
    }
    return rows;
  }
}
