import { Flags } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import { PolyError } from '../core/errors.js';
import type { RuntimeName } from '../core/manifest/types.js';
import { type InitResult, planInit, writeInitManifest } from '../services/init.js';
import { interactiveTerminal } from '../ui/terminal.js';

export default class Init extends PolyCommand {
  static override summary = 'Create poly.toml here, importing the version files the folder already has.';
  static override description =
    'Reads .nvmrc, .node-version, package.json (devEngines.runtime, volta.node), .python-version, .tool-versions, mise.toml [tools], rust-toolchain.toml / rust-toolchain, go.mod (toolchain, else go), .go-version, .java-version and .sdkmanrc, and writes a poly.toml pinning what they pin, noting which file each pin came from. In a terminal it asks which runtimes to pin; --yes (or no terminal) takes them all. It never overwrites an existing poly.toml.';
  static override examples = [
    '<%= config.bin %> init',
    '<%= config.bin %> init --yes',
    '<%= config.bin %> init -C services/api --name api',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    yes: Flags.boolean({ char: 'y', summary: 'Pin every runtime found, without asking.' }),
    name: Flags.string({ summary: 'Project name (default: the folder name).' }),
  };

  async run(): Promise<InitResult> {
    const { flags } = await this.parse(Init);
    const plan = planInit(this.workdir(flags), flags.name === undefined ? {} : { name: flags.name });
    let selected: RuntimeName[] = plan.detection.pins.map((p) => p.runtime);
    // Same rule as Ink's: in CI no one is there to answer.
    const interactive = interactiveTerminal([process.stdin, process.stdout]);
    if (!flags.yes && !this.jsonEnabled() && interactive && selected.length > 0) {
      const { pickInTerminal } = await import('../ui/pick-runtimes.js');
      const items = plan.detection.pins.map((p) => ({
        value: p.runtime,
        label: `${p.runtime} ${p.spec}`,
        hint: `from ${p.file}`,
      }));
      const picked = await pickInTerminal('Which runtimes should poly.toml pin?', items);
      if (!picked) throw new PolyError('CANCELLED', 'cancelled: no poly.toml written');
      selected = picked as RuntimeName[];
    }
    const result = writeInitManifest(plan, selected);
    const width = Math.max(0, ...result.pinned.map((p) => `${p.runtime} = "${p.spec}"`.length));
    for (const p of result.pinned)
      this.log(`pinned  ${`${p.runtime} = "${p.spec}"`.padEnd(width)}  from ${p.file}`);
    for (const p of result.declined) this.log(`left out  ${p.runtime} ${p.spec} (${p.file})`);
    for (const p of result.shadowed)
      this.log(`ignored  ${p.runtime} ${p.spec} from ${p.file}: an earlier file already pins ${p.runtime}`);
    for (const s of result.skipped) this.log(`skipped  ${s.file}: ${s.reason}`);
    if (result.pinned.length === 0) this.log('no version files found: pin runtimes with `poly use node@22`');
    this.log(`wrote ${result.file}${result.pinned.length ? '; next: poly install' : ''}`);
    return result;
  }
}
