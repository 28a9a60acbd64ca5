import { Flags } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import { type PruneResult, prune } from '../services/install/prune.js';

export default class Prune extends PolyCommand {
  static override summary = 'Remove installed versions no known project uses.';
  static override description =
    'poly remembers every project it installed for. A version stays while one of them (that still exists) uses it; everything else is removed.';
  static override examples = ['<%= config.bin %> prune --dry-run', '<%= config.bin %> prune'];
  static override enableJsonFlag = true;
  static override flags = { 'dry-run': Flags.boolean({ summary: 'Only show what would be removed.' }) };

  async run(): Promise<PruneResult> {
    const { flags } = await this.parse(Prune);
    const result = prune({ dryRun: flags['dry-run'], ctx: this.context() });
    const verb = result.dryRun ? 'would remove' : 'removed';
    for (const r of result.removed) this.log(`${verb} ${r.runtime} ${r.version}`);
    if (result.removed.length === 0) this.log('Nothing to prune.');
    return result;
  }
}
