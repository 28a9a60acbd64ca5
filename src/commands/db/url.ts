import { Args } from '@oclif/core';
import { PolyCommand } from '../../cli/base-command.js';
import { type DatabaseUrl, databaseUrl } from '../../services/db/db.js';

export default class DbUrl extends PolyCommand {
  static override summary = "Print a database service's connection string.";
  static override description =
    'Prints the URL a native service gets as <NAME>_URL (postgres://user:password@127.0.0.1:PORT/database), for the port the service runs or last ran on.';
  static override examples = ['<%= config.bin %> db url db', 'psql "$(<%= config.bin %> db url db)"'];
  static override enableJsonFlag = true;
  static override args = {
    service: Args.string({ required: true, description: 'Database service name from poly.toml.' }),
  };

  async run(): Promise<DatabaseUrl> {
    const { args, flags } = await this.parse(DbUrl);
    const result = await databaseUrl({
      cwd: this.workdir(flags),
      service: args.service,
      ctx: this.context(),
    });
    if (!this.jsonEnabled()) this.log(result.url);
    return result;
  }
}
