import { Args } from '@oclif/core';
import { PolyCommand } from '../../cli/base-command.js';
import { unsetConfig } from '../../services/config/config.js';

export default class ConfigUnset extends PolyCommand {
  static override summary = 'Remove a user setting, restoring its default.';
  static override description =
    'Removes KEY from the settings file. Removing a setting that is not set is not an error.';
  static override examples = ['<%= config.bin %> config unset mirror.node'];
  static override enableJsonFlag = true;
  static override args = {
    key: Args.string({ required: true, description: 'Setting name, e.g. mirror.node' }),
  };

  async run() {
    const { args } = await this.parse(ConfigUnset);
    const result = await unsetConfig(args.key, this.context().env);
    this.log(result.removed ? `${result.key} removed` : `${result.key} was not set`);
    return result;
  }
}
