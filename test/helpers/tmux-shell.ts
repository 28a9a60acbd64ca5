import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * An interactive shell in a detached tmux session on a private socket, driven
 * by typed lines: the prompt hook runs exactly as it does for a user. Results
 * come back through files the typed commands write, not by scraping the screen.
 */
export class TmuxShell {
  private readonly socket: string;
  private step = 0;

  constructor(
    private readonly name: string,
    private readonly workdir: string,
  ) {
    this.socket = `poly-env-test-${process.pid}-${name}`;
  }

  start(command: string[], env: NodeJS.ProcessEnv, cwd: string): void {
    const r = spawnSync(
      'tmux',
      [
        '-L',
        this.socket,
        'new-session',
        '-d',
        '-s',
        this.name,
        '-x',
        '200',
        '-y',
        '50',
        '-c',
        cwd,
        '--',
        ...command,
      ],
      {
        env,
        encoding: 'utf8',
      },
    );
    if (r.status !== 0) throw new Error(`tmux new-session failed: ${r.stderr}`);
  }

  /** Types a line and presses Enter. */
  type(line: string): void {
    spawnSync('tmux', ['-L', this.socket, 'send-keys', '-t', this.name, '-l', line]);
    spawnSync('tmux', ['-L', this.socket, 'send-keys', '-t', this.name, 'Enter']);
  }

  /**
   * Types `line` followed by a command that touches a marker, and waits for
   * the marker: the line has run and the shell is back at a prompt.
   */
  async run(line: (out: string) => string, timeoutMs = 60_000): Promise<string> {
    const out = join(this.workdir, `${this.name}-step${++this.step}`);
    rmSync(`${out}.done`, { force: true });
    this.type(`${line(out)}; touch '${out}.done'`);
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(`${out}.done`)) {
      if (Date.now() > deadline) throw new Error(`timed out on: ${line(out)}\nscreen:\n${this.screen()}`);
      await sleep(50);
    }
    return out;
  }

  screen(): string {
    return spawnSync('tmux', ['-L', this.socket, 'capture-pane', '-p', '-t', this.name], { encoding: 'utf8' })
      .stdout;
  }

  stop(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

export function readText(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** A script that writes its process environment as JSON to argv[2]. */
export function writeEnvDumper(dir: string): string {
  const file = join(dir, 'dump-env.cjs');
  writeFileSync(file, "require('fs').writeFileSync(process.argv[2], JSON.stringify(process.env));\n");
  return file;
}
