/** What `poly run` reports while it works; the views (src/ui/task-*.ts) render these. */
export type TaskStatus = 'pending' | 'running' | 'passed' | 'failed' | 'up-to-date' | 'skipped' | 'cancelled';

export interface PlannedTask {
  id: string;
  /** The command lines as they will run (extra arguments included). */
  commands: string[];
  dependsOn: string[];
  needsServices: string[];
  /** Up to date now (sources unchanged since the last success, outputs present). */
  upToDate: boolean;
}

export interface TaskOutcome {
  id: string;
  status: TaskStatus;
  durationMs: number;
  /** Why it failed or was skipped: "exited with code 1", "api:build did not pass". */
  reason?: string;
}

export type TaskEvent =
  | { type: 'plan'; tasks: PlannedTask[] }
  | { type: 'start'; id: string }
  | { type: 'command'; id: string; command: string }
  | { type: 'line'; id: string; line: string; stream: 'stdout' | 'stderr' }
  | { type: 'end'; outcome: TaskOutcome };
