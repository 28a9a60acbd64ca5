import { Args } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import { INSTALL_FLAGS } from '../cli/flag-table.js';
import { oclifFlags } from '../cli/oclif-flags.js';
import { type InstallResult, install } from '../services/install/install.js';

export default class Install extends PolyCommand {
  static override summary = 'Install the toolchains poly.toml pins, or the runtime@spec given.';
  static override description =
    'Without arguments, installs every runtime poly.toml pins (in parallel), using poly.lock when it matches and writing it otherwise. With runtime@spec arguments, installs those versions without pinning them. Downloads are verified against the official checksums before anything is installed.';
  static override examples = [
    '<%= config.bin %> install',
    '<%= config.bin %> install --frozen',
    '<%= config.bin %> install node@22 python@3.12 java@temurin-21',
    'POLY_NODE_MIRROR=https://mirror.example/node <%= config.bin %> install',
  ];
  static override strict = false;
  static override enableJsonFlag = true;
  static override args = {
    targets: Args.string({
      description: 'runtime@spec, e.g. node@22, go@1.22.0, rust@stable',
      required: false,
    }),
  };
  static override flags = oclifFlags(INSTALL_FLAGS);

  async run(): Promise<InstallResult> {
    const { argv, flags } = await this.parse(Install);
    const { renderInstall } = await import('../ui/render-install.js');
    const view = renderInstall(this.context().env, this.jsonEnabled() ? undefined : process.stderr);
    let result: InstallResult;
    try {
      result = await install({
        cwd: this.workdir(flags),
        targets: argv as string[],
        frozen: flags.frozen,
        refresh: flags.refresh,
        offline: flags.offline,
        ctx: this.context(),
        ...(this.jsonEnabled() ? {} : { onEvent: view.onEvent }),
      });
    } finally {
      await view.finish();
    }
    const { installSummary } = await import('../ui/install-summary.js');
    this.log(installSummary(result));
    return result;
  }
}
