import { Flags } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import { PolyError } from '../core/errors.js';
import {
  type InitPlan,
  type InitResult,
  type InitSelection,
  planInit,
  selectEverything,
  writeInit,
} from '../services/new/init.js';
import { initReportLines } from '../ui/init-report.js';
import { interactiveTerminal } from '../ui/terminal.js';

export default class Init extends PolyCommand {
  static override summary =
    'Create poly.toml from what the repo already has: version files, service folders, compose.yaml, Procfile.';
  static override description =
    'Walks the repo (4 levels, skipping .git, node_modules, target, vendor, .venv, dist, build and what .gitignore ignores) for version files (.nvmrc, .node-version, package.json, .python-version, .tool-versions, mise.toml, rust-toolchain(.toml), go.mod, .go-version, .java-version, .sdkmanrc) and service folders (package.json dev/start scripts, Cargo.toml binaries, Go main packages, uvicorn/gunicorn/flask/Django apps, Spring Boot), and imports compose.yaml / docker-compose.yml and a Procfile. One pin per runtime: the most common one; the report names the folders that differ. In a terminal it shows what it found to toggle; --yes (or no terminal) takes everything. It never overwrites an existing poly.toml; --merge adds to one, changing nothing already there.';
  static override examples = [
    '<%= config.bin %> init',
    '<%= config.bin %> init --yes',
    '<%= config.bin %> init --dry-run',
    '<%= config.bin %> init --merge --yes',
    '<%= config.bin %> init -C services/api --name api',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    yes: Flags.boolean({ char: 'y', summary: 'Take everything found, without asking.' }),
    name: Flags.string({ summary: 'Project name (default: the folder name).' }),
    'dry-run': Flags.boolean({ summary: 'Print the poly.toml it would write; write nothing.' }),
    merge: Flags.boolean({ summary: 'Add what is found to the existing poly.toml (nothing in it changes).' }),
  };

  async run(): Promise<InitResult> {
    const { flags } = await this.parse(Init);
    const plan = await planInit(this.workdir(flags), {
      ...(flags.name === undefined ? {} : { name: flags.name }),
      merge: flags.merge,
    });
    let selection = selectEverything(plan);
    // Same rule as Ink's: in CI no one is there to answer.
    const { env } = this.context();
    const interactive = interactiveTerminal([process.stdin, process.stdout], env);
    if (!flags.yes && !this.jsonEnabled() && interactive)
      selection = await reviewInTerminal(plan, selection, env);
    const dryRun = flags['dry-run'];
    const result = writeInit(plan, selection, { dryRun });
    if (this.jsonEnabled()) return result;
    if (dryRun) {
      process.stdout.write(result.manifest);
      for (const line of initReportLines(result)) process.stderr.write(`${line}\n`);
    } else for (const line of initReportLines(result)) this.log(line);
    return result;
  }
}

/** The Ink review: runtimes and services with their source file, all checked; enter writes what stays checked. */
async function reviewInTerminal(
  plan: InitPlan,
  selection: InitSelection,
  env: NodeJS.ProcessEnv,
): Promise<InitSelection> {
  const { adoption } = plan;
  if (adoption.pins.length + adoption.services.length === 0) return selection;
  const [{ pickInTerminal }, { serviceSummary }] = await Promise.all([
    import('../ui/pick-runtimes.js'),
    import('../ui/init-report.js'),
  ]);
  const items = [
    ...adoption.pins.map((p) => ({
      value: `runtime:${p.runtime}`,
      label: `${p.runtime} ${p.spec}`,
      hint: p.source.startsWith('default') ? p.source : `from ${p.source}`,
      section: 'Runtimes',
    })),
    ...adoption.services.map((s) => ({
      value: `service:${s.name}`,
      label: `${s.name}  ${serviceSummary(s)}`,
      hint: `from ${s.source}`,
      section: 'Services',
    })),
  ];
  const picked = await pickInTerminal(
    `What should ${plan.existing ? 'be added to' : 'go into'} poly.toml?`,
    items,
    env,
  );
  if (!picked) throw new PolyError('CANCELLED', 'cancelled: no poly.toml written');
  return {
    runtimes: selection.runtimes.filter((r) => picked.includes(`runtime:${r}`)),
    services: selection.services.filter((s) => picked.includes(`service:${s}`)),
  };
}
