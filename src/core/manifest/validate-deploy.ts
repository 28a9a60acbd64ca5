import { type Checker, describeValue } from './checker.js';
import type { DeploySpec } from './types.js';

const DEPLOY_KEYS = ['replicas', 'cpu', 'memory'];
/** Kubernetes CPU quantities: cores ("0.5", "2") or millicores ("500m"). */
const CPU = /^(\d+(\.\d+)?|\d+m)$/;
/** Memory: bytes with a binary or decimal suffix ("256Mi", "1Gi", "512M"). */
const MEMORY = /^\d+(Ki|Mi|Gi|Ti|K|M|G|T)?$/;

/**
 * `[services.<name>.deploy]`: how many copies run and what each asks for, on
 * an orchestrator (`poly export`); `poly up` runs one copy and ignores it.
 */
export function deployOf(raw: unknown, service: string, check: Checker): DeploySpec | undefined {
  if (raw === undefined) return undefined;
  const path = ['services', service, 'deploy'];
  const table = check.table(raw, path);
  check.unknownKeys(table, DEPLOY_KEYS, path);
  const out: DeploySpec = {};
  if (table.replicas !== undefined) {
    const r = table.replicas;
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 1)
      check.fail(
        [...path, 'replicas'],
        `services.${service}.deploy.replicas must be a whole number >= 1, got ${describeValue(r)}`,
      );
    out.replicas = r as number;
  }
  if (table.cpu !== undefined) {
    const c = typeof table.cpu === 'number' ? String(table.cpu) : table.cpu;
    if (typeof c !== 'string' || !CPU.test(c) || Number.parseFloat(c) <= 0)
      check.fail(
        [...path, 'cpu'],
        `services.${service}.deploy.cpu must be cores or millicores, got ${describeValue(table.cpu)}`,
        'Write cpu = "0.5" (half a core) or cpu = "250m".',
      );
    out.cpu = c as string;
  }
  if (table.memory !== undefined) {
    const m = table.memory;
    if (typeof m !== 'string' || !MEMORY.test(m))
      check.fail(
        [...path, 'memory'],
        `services.${service}.deploy.memory must be a size like "256Mi" or "1Gi", got ${describeValue(m)}`,
        'Write memory = "512Mi" (Ki, Mi, Gi, Ti; or K, M, G, T for powers of 1000).',
      );
    out.memory = m as string;
  }
  return out;
}

/** "500m" -> 0.5, "2" -> 2: cores, as compose's `cpus` wants them. Pure. */
export function cpuCores(cpu: string): number {
  return cpu.endsWith('m') ? Number.parseInt(cpu, 10) / 1000 : Number.parseFloat(cpu);
}
