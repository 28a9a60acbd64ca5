import { Args, Flags } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import { type LsRemoteResult, lsRemote } from '../services/install/remote.js';

export default class LsRemote extends PolyCommand {
  static override summary = 'List the versions a runtime source offers.';
  static override description =
    'Reads the official index (or the configured mirror), cached under POLY_HOME. A prefix narrows the list: `poly ls-remote node 22`.';
  static override examples = [
    '<%= config.bin %> ls-remote node',
    '<%= config.bin %> ls-remote python 3.12',
    '<%= config.bin %> ls-remote java 21 --json',
  ];
  static override enableJsonFlag = true;
  static override args = {
    runtime: Args.string({ description: 'node, python, go, java or rust', required: true }),
    prefix: Args.string({ description: 'only versions starting with this', required: false }),
  };
  static override flags = {
    refresh: Flags.boolean({ summary: 'Refetch the index even when the cached copy is fresh.' }),
    offline: Flags.boolean({ summary: 'Use the cached index only.' }),
  };

  async run(): Promise<LsRemoteResult> {
    const { args, flags } = await this.parse(LsRemote);
    const result = await lsRemote({
      runtime: args.runtime,
      ...(args.prefix ? { prefix: args.prefix } : {}),
      refresh: flags.refresh,
      offline: flags.offline,
      ctx: this.context(),
    });
    for (const v of result.versions)
      this.log(v.lts ? `${v.version}  (${v.lts === 'lts' ? 'lts' : `lts: ${v.lts}`})` : v.version);
    return result;
  }
}
