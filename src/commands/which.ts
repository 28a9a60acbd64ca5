import { Args } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import { type WhichResult, which } from '../services/env/which.js';

export default class Which extends PolyCommand {
  static override summary = "Print the path of an executable from this project's toolchains.";
  static override description =
    "Prints what `poly exec <binary>` runs from poly's folders: the project's venv, then the bin folders of the toolchains poly.toml pins (the versions poly.lock names); outside a project, the global pins.";
  static override examples = ['<%= config.bin %> which node', '$(<%= config.bin %> which java) -version'];
  static override enableJsonFlag = true;
  static override args = {
    binary: Args.string({ description: 'executable name, e.g. cargo', required: true }),
  };

  async run(): Promise<WhichResult> {
    const { args, flags } = await this.parse(Which);
    const result = await which({ cwd: this.workdir(flags), binary: args.binary, ctx: this.context() });
    this.log(result.path);
    return result;
  }
}
