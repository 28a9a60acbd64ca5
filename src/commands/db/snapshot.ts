import { Args } from '@oclif/core';
import { PolyCommand } from '../../cli/base-command.js';
import type { SnapshotInfo } from '../../core/databases/snapshots.js';
import { snapshotDatabase } from '../../services/db/db.js';

export default class DbSnapshot extends PolyCommand {
  static override summary = 'Take a consistent snapshot of a database service.';
  static override description =
    "Copies the service's data folder into .poly/snapshots/<service>/<name>/ (a gzipped tar and its sha256). A running PostgreSQL is copied online through its backup API, with the WAL it needs; a stopped one as it lies. In container mode it is taken inside the running container (the backup API around a tar, or mariadb-backup). Without a name, the time is the name.";
  static override examples = [
    '<%= config.bin %> db snapshot db',
    '<%= config.bin %> db snapshot db before-migration',
  ];
  static override enableJsonFlag = true;
  static override args = {
    service: Args.string({ required: true, description: 'Database service name from poly.toml.' }),
    name: Args.string({ required: false, description: 'Snapshot name (letters, digits, . _ -).' }),
  };

  async run(): Promise<SnapshotInfo> {
    const { args, flags } = await this.parse(DbSnapshot);
    const info = await snapshotDatabase({
      cwd: this.workdir(flags),
      service: args.service,
      ctx: this.context(),
      ...(args.name ? { name: args.name } : {}),
    });
    if (!this.jsonEnabled())
      this.log(
        `Snapshot ${info.name} of ${info.service} (${info.database}, ${(info.bytes / 1e6).toFixed(1)} MB).`,
      );
    return info;
  }
}
