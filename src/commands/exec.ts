import { Args } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import { passOnExit } from '../cli/fast/exec.js';
import { EXEC_FLAGS } from '../cli/flag-table.js';
import { oclifFlags } from '../cli/oclif-flags.js';
import { execInEnvironment } from '../services/exec/exec.js';
import { execInProjectContainer } from '../services/exec/in-container.js';

export default class Exec extends PolyCommand {
  static override summary = "Run a command in the project's environment.";
  static override description =
    "Runs the command with the pinned toolchains first on PATH, their variables (JAVA_HOME, GOROOT …), the manifest's [env] and the Python venv. Missing pinned runtimes are installed first unless --no-install (or POLY_OFFLINE=1). No shell sits in between: the exit code, signals and stdio pass through. Inside a service's folder (or with --service) it gets that service's environment: its venv, env_file and env, and its running peers' variables. Use -- before a command that takes flags. With --container it runs in a throwaway container of the project's base_image, the project folder mounted at its own path and the toolchains read-only.";
  static override examples = [
    '<%= config.bin %> exec -- node -v',
    '<%= config.bin %> exec --no-install -- cargo test',
    '<%= config.bin %> exec -C services/api -- python -m pytest',
    '<%= config.bin %> exec --service email -- pip install -r requirements.txt',
    '<%= config.bin %> exec --container -- cargo build',
  ];
  static override strict = false;
  static override args = {
    command: Args.string({ description: 'The command, then its arguments.', required: true }),
  };
  static override flags = oclifFlags(EXEC_FLAGS);

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Exec);
    const [command, ...args] = argv as string[];
    const common = {
      cwd: this.workdir(flags),
      ctx: this.context(),
      command: command ?? '',
      args,
      install: !flags['no-install'],
      ...(flags.service ? { service: flags.service } : {}),
      onEvent: (e: { message: string }) => process.stderr.write(`poly: ${e.message}\n`),
    };
    const result = flags.container
      ? await execInProjectContainer(common)
      : await execInEnvironment({ ...common, shim: flags.shim });
    passOnExit(result.exitCode, result.signal);
  }
}
