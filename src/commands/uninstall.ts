import { Args } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import { type UninstallResult, uninstall } from '../services/install/toolchains.js';

export default class Uninstall extends PolyCommand {
  static override summary = 'Remove one installed toolchain version.';
  static override description =
    'Removes installs/<runtime>/<version> from the store. Projects pinning it will install it again on their next `poly install`.';
  static override examples = [
    '<%= config.bin %> uninstall node@22.11.0',
    '<%= config.bin %> uninstall java@21.0.5+11',
  ];
  static override enableJsonFlag = true;
  static override args = {
    target: Args.string({ description: 'runtime@version, exactly as `poly ls` shows it', required: true }),
  };

  async run(): Promise<UninstallResult> {
    const { args } = await this.parse(Uninstall);
    const result = uninstall({ target: args.target, ctx: this.context() });
    this.log(`Removed ${result.runtime} ${result.version}.`);
    return result;
  }
}
