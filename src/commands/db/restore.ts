import { Args } from '@oclif/core';
import { PolyCommand } from '../../cli/base-command.js';
import type { SnapshotInfo } from '../../core/databases/snapshots.js';
import { restoreDatabase } from '../../services/db/db.js';

export default class DbRestore extends PolyCommand {
  static override summary = "Replace a stopped database service's data with a snapshot.";
  static override description =
    'Checks the snapshot first (its checksum, that it unpacks whole, and that PostgreSQL starts on it), and only then replaces .poly/data/<service> (in container mode: its data volume, checked first in a scratch volume, by the server of its image). Works after `poly down --volumes`. Stop the service first (`poly down`).';
  static override examples = ['<%= config.bin %> db restore db before-migration'];
  static override enableJsonFlag = true;
  static override args = {
    service: Args.string({ required: true, description: 'Database service name from poly.toml.' }),
    name: Args.string({ required: true, description: 'Snapshot name (see `poly db snapshots`).' }),
  };

  async run(): Promise<SnapshotInfo> {
    const { args, flags } = await this.parse(DbRestore);
    const info = await restoreDatabase({
      cwd: this.workdir(flags),
      service: args.service,
      ctx: this.context(),
      name: args.name,
    });
    if (!this.jsonEnabled())
      this.log(`Restored ${info.service} from snapshot ${info.name} (${info.createdAt}).`);
    return info;
  }
}
