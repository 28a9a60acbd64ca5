import { dirname } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import { describeDrift } from '../core/manifest/version-file-drift.js';
import type { InstallResult } from '../services/install/install.js';
import { type PinResult, parsePinArgument, pinRuntimes } from '../services/install/use.js';

export default class Use extends PolyCommand {
  static override summary = 'Pin a runtime version in poly.toml.';
  static override description =
    'Writes <runtime>@<spec> into [runtimes] of the nearest poly.toml (walking up from the current folder), changing only that line: comments, order and formatting elsewhere stay as they were. With --global, writes to your global poly.toml (used outside any project), creating it. Specs: exact "22.11.0", prefix "22", range "^3.12", aliases latest, lts, stable, system; Java takes a distribution: java@temurin-21.';
  static override examples = [
    '<%= config.bin %> use node@22',
    '<%= config.bin %> use java@temurin-21',
    '<%= config.bin %> use python@3.12 rust@stable',
    '<%= config.bin %> use -g node@lts',
    '<%= config.bin %> use go@1.26 --no-install',
    '<%= config.bin %> use node@22 --sync',
  ];
  static override enableJsonFlag = true;
  static override strict = false;
  static override args = {
    pin: Args.string({ required: true, description: 'runtime@spec, e.g. node@22 (several allowed)' }),
  };
  static override flags = {
    global: Flags.boolean({ char: 'g', summary: 'Pin in the global poly.toml (in the config dir).' }),
    sync: Flags.boolean({
      summary: 'Also rewrite the version files that disagree (.nvmrc, .python-version, …) to the new pins.',
    }),
    install: Flags.boolean({
      summary: 'Install the pinned versions after writing them (like `poly install`).',
      default: true,
      allowNo: true,
    }),
  };

  async run(): Promise<PinResult & { installed?: InstallResult }> {
    const { argv, flags } = await this.parse(Use);
    const pins = (argv as string[]).map(parsePinArgument);
    const result = pinRuntimes({
      cwd: this.workdir(flags),
      pins,
      global: flags.global,
      sync: flags.sync,
      env: this.context().env,
    });
    for (const pin of result.pins) {
      const was = pin.previous === undefined ? '' : ` (was ${describePrevious(pin.previous)})`;
      this.log(`${result.global ? 'global ' : ''}${pin.runtime} = "${pin.spec}"${was}  ${result.file}`);
    }
    for (const file of result.synced) this.log(`updated ${file}`);
    for (const drift of result.versionFiles) {
      const how = drift.syncable
        ? `; \`poly use --sync ${drift.runtime}@${drift.pinned}\` updates it`
        : '; update it by hand';
      process.stderr.write(`warning: ${describeDrift(drift)}${how}\n`);
    }
    if (!flags.install) return result;
    const { install } = await import('../services/install/install.js');
    const { renderInstall } = await import('../ui/render-install.js');
    const view = renderInstall(this.context().env, this.jsonEnabled() ? undefined : process.stderr);
    let installed: InstallResult;
    try {
      installed = await install({
        cwd: result.global ? this.workdir(flags) : dirname(result.file),
        // A global pin installs just what was pinned; a project pin installs the project (and locks it).
        ...(result.global ? { targets: result.pins.map((p) => `${p.runtime}@${p.spec}`) } : {}),
        ctx: this.context(),
        ...(this.jsonEnabled() ? {} : { onEvent: view.onEvent }),
      });
    } finally {
      await view.finish();
    }
    const { installSummary } = await import('../ui/install-summary.js');
    this.log(installSummary(installed));
    return { ...result, installed };
  }
}

function describePrevious(previous: unknown): string {
  if (typeof previous === 'string') return `"${previous}"`;
  const version = (previous as { version?: unknown }).version;
  return typeof version === 'string' ? `"${version}"` : 'set';
}
