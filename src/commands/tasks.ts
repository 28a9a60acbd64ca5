import { PolyCommand } from '../cli/base-command.js';
import { listTasks, type TaskSummary } from '../services/run/list-tasks.js';

export default class Tasks extends PolyCommand {
  static override summary = "List the project's tasks.";
  static override description =
    'Each task of [tasks] and [services.<name>.tasks]: its name (`api:test` for a service task), description, the folder it runs in and what it depends on. Run one with `poly run <task>`.';
  static override examples = ['<%= config.bin %> tasks', '<%= config.bin %> tasks --json'];
  static override enableJsonFlag = true;

  async run(): Promise<TaskSummary[]> {
    const { flags } = await this.parse(Tasks);
    const tasks = listTasks(this.workdir(flags));
    if (!this.jsonEnabled()) {
      if (tasks.length === 0)
        this.log('No tasks. Add [tasks.<name>] or [services.<name>.tasks] to poly.toml.');
      const width = Math.max(0, ...tasks.map((t) => t.id.length));
      for (const t of tasks) {
        const what = t.description ?? (t.run.join(' && ') || `runs ${t.depends.join(', ')}`);
        const after = t.depends.length ? `  (after ${t.depends.join(', ')})` : '';
        this.log(`${t.id.padEnd(width)}  ${what}  [in ${t.dir}]${after}`);
      }
    }
    return tasks;
  }
}
