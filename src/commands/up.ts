import { Args } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import { UP_FLAGS } from '../cli/flag-table.js';
import { oclifFlags } from '../cli/oclif-flags.js';
import { upDetached } from '../cli/up-detached.js';
import { upForeground } from '../cli/up-foreground.js';
import { EXIT_USAGE, PolyError } from '../core/errors.js';
import type { UpResult } from '../services/up/up.js';
import { interactiveTerminal } from '../ui/terminal.js';

export default class Up extends PolyCommand {
  static override summary = "Start the project's services in dependency order, health-checked.";
  static override description =
    'Starts every service of poly.toml (or the named ones and what they depend on). A service starts once everything in its depends_on is healthy; independent services start in parallel. Each gets PORT and, for every other service, <NAME>_URL, <NAME>_HOST and <NAME>_PORT. In a terminal a dashboard shows them (r restart, l logs, q quit); otherwise their output is printed as `api | line`. Ctrl-C stops everything. With -d a supervisor keeps them running in the background: see `poly ps`, `poly logs`, `poly restart`, `poly down`. Run `poly up -d` again to apply changes of poly.toml, like `docker compose up -d`: unchanged services keep running, changed ones are restarted, new ones started, and (when no service is named) ones removed from poly.toml are stopped; it returns once they are healthy. Services with mode = "container", image or build (and with --container every runtime service) run in Docker on a per-project network, next to the native ones; those variables are right from either side.';
  static override examples = [
    '<%= config.bin %> up',
    '<%= config.bin %> up api',
    '<%= config.bin %> up -d',
    '<%= config.bin %> up --container',
    '<%= config.bin %> up --no-tui | tee up.log',
  ];
  static override strict = false;
  static override args = {
    service: Args.string({ description: 'Services to start, with what they depend on (default: all).' }),
  };
  static override enableJsonFlag = true;
  static override flags = oclifFlags(UP_FLAGS);

  async run(): Promise<UpResult | undefined> {
    const { flags, argv } = await this.parse(Up);
    const options = {
      cwd: this.workdir(flags),
      services: argv as string[],
      allContainers: flags.container,
      ctx: this.context(),
    };
    if (flags.detach) return upDetached(options, this.jsonEnabled(), (text) => this.log(text));
    if (this.jsonEnabled())
      throw new PolyError(
        'UP_JSON_NEEDS_DETACH',
        '--json needs -d: in the foreground, poly up prints logs until stopped',
        {
          hint: 'Use `poly up -d --json`, or `poly ps --json` while it runs.',
          exitCode: EXIT_USAGE,
        },
      );
    // In CI Ink draws only its last frame, so the dashboard would stay blank: plain lines instead.
    const tty = interactiveTerminal([process.stdout, process.stdin], this.context().env) && !flags['no-tui'];
    await upForeground(options, tty, this.context().env);
    return undefined;
  }
}
