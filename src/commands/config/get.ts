import { Args } from '@oclif/core';
import { PolyCommand } from '../../cli/base-command.js';
import { getConfig, type SettingEntry } from '../../services/config/config.js';

export default class ConfigGet extends PolyCommand {
  static override summary = 'Print the value of a user setting.';
  static override description =
    'Prints the value in effect for KEY (its environment variable, e.g. POLY_NODE_MIRROR, wins over the stored value), or nothing with exit code 1 when it is not set. Settings live in POLY_CONFIG_DIR (default: the XDG config dir).';
  static override examples = [
    '<%= config.bin %> config get mirror.node',
    '<%= config.bin %> config get mode',
  ];
  static override enableJsonFlag = true;
  static override args = {
    key: Args.string({ required: true, description: 'Setting name, e.g. mirror.node' }),
  };

  async run(): Promise<SettingEntry> {
    const { args } = await this.parse(ConfigGet);
    const entry = getConfig(args.key, this.context().env);
    if (!this.jsonEnabled()) {
      if (entry.value === null) {
        // Nothing on stdout, so `$(poly config get KEY)` stays empty; the note goes to stderr.
        process.stderr.write(`${entry.key} is not set (poly uses its default)\n`);
        process.exitCode = 1;
      } else this.log(entry.value);
    }
    return entry;
  }
}
