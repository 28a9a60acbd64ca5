import { PolyCommand } from '../cli/base-command.js';
import { listTemplates, type TemplateSummary } from '../services/new/list-templates.js';
import { templateLines } from '../ui/listings.js';

export default class Templates extends PolyCommand {
  static override summary = 'List the built-in service templates.';
  static override description =
    'Each template with its runtime, the runtime versions it supports, what it is, and its options. ' +
    'Use one with `poly new <template> <name>`.';
  static override examples = ['<%= config.bin %> templates', '<%= config.bin %> templates --json'];
  static override enableJsonFlag = true;

  async run(): Promise<TemplateSummary[]> {
    await this.parse(Templates);
    const templates = listTemplates();
    if (!this.jsonEnabled()) for (const line of templateLines(templates)) this.log(line);
    return templates;
  }
}
