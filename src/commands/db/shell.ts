import { Args } from '@oclif/core';
import { PolyCommand } from '../../cli/base-command.js';
import { databaseShell } from '../../services/db/db.js';

export default class DbShell extends PolyCommand {
  static override summary = "Open the database's own client, connected.";
  static override description =
    "Runs the database's own client against the running service as its user: psql for PostgreSQL (the embedded binaries ship none; poly then uses the psql on PATH, or says how to install one), valkey-cli for redis/valkey, the install's mariadb client for MariaDB. In container mode the image's own client runs inside the database's container. Without a terminal it reads piped input. Arguments after -- go to the client.";
  static override examples = [
    '<%= config.bin %> db shell db',
    '<%= config.bin %> db shell db -- -c "select 1"',
  ];
  static override strict = false;
  static override args = {
    service: Args.string({ required: true, description: 'Database service name from poly.toml.' }),
  };

  async run(): Promise<void> {
    const { args, flags, argv } = await this.parse(DbShell);
    const extra = (argv as string[]).slice(1);
    process.exitCode = await databaseShell({
      cwd: this.workdir(flags),
      service: args.service,
      ctx: this.context(),
      args: extra,
    });
  }
}
