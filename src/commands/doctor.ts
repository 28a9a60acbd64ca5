import { PolyCommand } from '../cli/base-command.js';
import { type DoctorReport, runDoctor } from '../services/doctor/doctor.js';
import { renderDoctorReport } from '../ui/doctor-report.js';

export default class Doctor extends PolyCommand {
  static override summary = 'Check that poly is set up and nothing shadows its toolchains.';
  static override description =
    'Checks that the shell hook or the shims are installed and first on PATH, that the runtimes the project pins are installed, and that no other version manager (nvm, pyenv, rustup, mise, asdf) shadows them here. Each finding comes with a fix. Exits 1 when a check fails.';
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --json'];
  static override enableJsonFlag = true;

  async run(): Promise<DoctorReport> {
    const { flags } = await this.parse(Doctor);
    const report = await runDoctor({ cwd: this.workdir(flags), ctx: this.context() });
    if (!this.jsonEnabled()) process.stdout.write(renderDoctorReport(report));
    if (!report.ok) process.exitCode = 1;
    return report;
  }
}
