import { PolyCommand } from '../cli/base-command.js';
import { listTemplates, type TemplateSummary } from '../services/list-templates.js';

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
    if (!this.jsonEnabled()) {
      const width = Math.max(...templates.map((t) => t.name.length));
      for (const t of templates) {
        this.log(`${t.name.padEnd(width)}  ${t.runtime} ${t.versions}  ${t.description}`);
        const extra = t.options.filter((o) => o.key !== 'name');
        for (const o of extra)
          this.log(
            `${''.padEnd(width)}    --${o.key === 'port' ? 'port' : `set ${o.key}=`} ${o.description} (default ${o.default})`,
          );
      }
    }
    return templates;
  }
}
