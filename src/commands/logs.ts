import { Args, Flags } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import { requireManifest } from '../core/manifest/load.js';
import { showLogs } from '../services/up/logs.js';
import { ServiceLinePrinter, wantsColor } from '../ui/service-lines.js';

export default class Logs extends PolyCommand {
  static override summary = "Show the services' logs.";
  static override description =
    'Prints the last lines of each service log in .poly/logs (or of one service), prefixed with the service name: the current run of each service only (since its last `--- started … ---` line), or every run with --all; -f keeps following new lines, across rotations, until Ctrl-C or until `poly down` stops the services. Works whether or not the services still run.';
  static override examples = [
    '<%= config.bin %> logs',
    '<%= config.bin %> logs api -f',
    '<%= config.bin %> logs api -n 200',
  ];
  static override args = {
    service: Args.string({ required: false, description: 'Only this service.' }),
  };
  static override flags = {
    follow: Flags.boolean({ char: 'f', summary: 'Keep printing new lines.' }),
    lines: Flags.integer({ char: 'n', summary: 'Lines of history per service.', default: 100, min: 0 }),
    all: Flags.boolean({
      summary: "Show earlier runs too, not only each service's current run (since its last start).",
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Logs);
    const cwd = this.workdir(flags);
    const names = args.service ? [args.service] : Object.keys(requireManifest(cwd).services);
    const printer = new ServiceLinePrinter(
      names,
      (t) => process.stdout.write(t),
      wantsColor(process.stdout, this.context().env),
    );
    const abort = new AbortController();
    process.once('SIGINT', () => abort.abort());
    await showLogs({
      cwd,
      ...(args.service ? { service: args.service } : {}),
      lines: flags.lines,
      follow: flags.follow,
      all: flags.all,
      signal: abort.signal,
      onLine: (service, line) => printer.line(service, line),
    });
  }
}
