import { PolyCommand } from '../../cli/base-command.js';
import type { SnapshotInfo } from '../../core/databases/snapshots.js';
import { databaseSnapshots } from '../../services/db/db.js';

export default class DbSnapshots extends PolyCommand {
  static override summary = "List the project's database snapshots.";
  static override description = 'Every complete snapshot under .poly/snapshots/, by service and time.';
  static override examples = ['<%= config.bin %> db snapshots', '<%= config.bin %> db snapshots --json'];
  static override enableJsonFlag = true;

  async run(): Promise<{ snapshots: SnapshotInfo[] }> {
    const { flags } = await this.parse(DbSnapshots);
    const result = databaseSnapshots({ cwd: this.workdir(flags) });
    if (!this.jsonEnabled()) {
      if (result.snapshots.length === 0) this.log('No snapshots.');
      for (const s of result.snapshots)
        this.log(`${s.service}  ${s.name}  ${s.createdAt}  ${s.database}  ${(s.bytes / 1e6).toFixed(1)} MB`);
    }
    return result;
  }
}
