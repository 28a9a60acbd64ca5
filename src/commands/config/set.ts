import { Args } from '@oclif/core';
import { PolyCommand } from '../../cli/base-command.js';
import { setConfig } from '../../services/config/config.js';

export default class ConfigSet extends PolyCommand {
  static override summary = 'Store a user setting.';
  static override description =
    'Validates VALUE for KEY and stores it. Known keys: mirror.node, mirror.python, mirror.python_index, mirror.go, mirror.java, mirror.rust (http(s) base URLs laid out like the official source), mode (native|container).';
  static override examples = [
    '<%= config.bin %> config set mirror.node https://mirror.example.com/node',
    '<%= config.bin %> config set mode container',
  ];
  static override enableJsonFlag = true;
  static override args = {
    key: Args.string({ required: true, description: 'Setting name, e.g. mirror.node' }),
    value: Args.string({ required: true, description: 'New value' }),
  };

  async run() {
    const { args } = await this.parse(ConfigSet);
    const result = await setConfig(args.key, args.value, this.context().env);
    this.log(`${result.key} = ${result.value}`);
    return result;
  }
}
