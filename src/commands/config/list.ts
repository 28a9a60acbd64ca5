import { PolyCommand } from '../../cli/base-command.js';
import { type ConfigListResult, listConfig } from '../../services/config/config.js';
import { settingLines } from '../../ui/listings.js';

export default class ConfigList extends PolyCommand {
  static override summary = 'List every user setting and its value.';
  static override description =
    'Shows every known setting, the value in effect (or "(unset)") and what it does. An environment variable such as POLY_NODE_MIRROR overrides the stored value and is shown as the source. --json prints the same as an object.';
  static override examples = ['<%= config.bin %> config list', '<%= config.bin %> config list --json'];
  static override enableJsonFlag = true;

  async run(): Promise<ConfigListResult> {
    await this.parse(ConfigList);
    const result = listConfig(this.context().env);
    for (const line of settingLines(result)) this.log(line);
    return result;
  }
}
