import { Args, Flags } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import { type UpgradeResult, upgrade } from '../services/install/remote.js';

export default class Upgrade extends PolyCommand {
  static override summary = 'Move pinned runtimes to the newest versions their specs allow.';
  static override description =
    'Re-resolves the pins (all, or one runtime) against fresh indexes, installs, and rewrites poly.lock. With --bump, first moves each spec in poly.toml to the newest release line ("22" -> "23").';
  static override examples = [
    '<%= config.bin %> upgrade',
    '<%= config.bin %> upgrade node',
    '<%= config.bin %> upgrade python --bump',
  ];
  static override enableJsonFlag = true;
  static override args = { runtime: Args.string({ description: 'only this runtime', required: false }) };
  static override flags = {
    bump: Flags.boolean({ summary: 'Also rewrite the spec in poly.toml to the newest release line.' }),
  };

  async run(): Promise<UpgradeResult> {
    const { args, flags } = await this.parse(Upgrade);
    const { renderInstall } = await import('../ui/render-install.js');
    const view = renderInstall(this.context().env, process.stderr);
    let result: UpgradeResult;
    try {
      result = await upgrade({
        cwd: this.workdir(flags),
        ...(args.runtime ? { runtime: args.runtime } : {}),
        bump: flags.bump,
        ctx: this.context(),
        ...(this.jsonEnabled() ? {} : { onEvent: view.onEvent }),
      });
    } finally {
      await view.finish();
    }
    for (const b of result.bumped) this.log(`poly.toml: ${b.runtime} "${b.from}" -> "${b.to}"`);
    for (const r of result.install.runtimes)
      this.log(`${r.runtime} ${r.version}${r.installed ? ' (installed)' : ''}`);
    return result;
  }
}
