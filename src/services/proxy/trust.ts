import { execa } from 'execa';
import type { PolyContext } from '../../core/context.js';
import { PolyError } from '../../core/errors.js';
import { ensureLocalCa } from '../../core/proxy/ca.js';
import {
  caNickname,
  nssStores,
  onPath,
  systemStore,
  type TrustCommand,
  type TrustStore,
} from '../../core/proxy/trust-stores.js';
import { proxyLayout } from '../../core/store/layout.js';

export interface TrustOptions {
  uninstall?: boolean;
  /** Run sudo steps without asking (and `sudo -n`: fail instead of prompting for a password). */
  yes?: boolean;
  ctx: PolyContext;
  /** Prints one line of progress. */
  say(line: string): void;
  /** Asks a yes/no question; undefined when nobody can answer (no terminal). */
  confirm?(question: string): Promise<boolean>;
}

export interface TrustStep {
  store: string;
  title: string;
  result: 'done' | 'skipped' | 'failed';
  detail?: string;
}

export interface TrustResult {
  path: string;
  nickname: string;
  steps: TrustStep[];
}

/** Which stores to touch: POLY_TRUST_STORES="system,nss" (like mkcert's TRUST_STORES); default both. */
function wantedKinds(env: NodeJS.ProcessEnv): Set<string> {
  const raw = env.POLY_TRUST_STORES?.trim();
  if (!raw) return new Set(['system', 'nss']);
  const kinds = raw.split(',').map((k) => k.trim());
  const unknown = kinds.filter((k) => k !== 'system' && k !== 'nss');
  if (unknown.length)
    throw new PolyError('TRUST_STORES', `POLY_TRUST_STORES: unknown store ${unknown.join(', ')}`, {
      hint: 'Use "system", "nss", or "system,nss".',
    });
  return new Set(kinds);
}

/** `poly trust --path`: the CA certificate, created on first use. */
export async function caCertificatePath(ctx: PolyContext): Promise<string> {
  const paths = proxyLayout(ctx.layout);
  await ensureLocalCa(paths, ctx.env);
  return paths.caCert;
}

/**
 * `poly trust` / `poly trust --uninstall`: adds the local CA to (or removes it
 * from) the system store and the NSS databases of Chromium and Firefox, one
 * printed step at a time. A step that needs root goes through sudo, after
 * asking; in CI or with --yes it runs `sudo -n` without asking.
 */
export async function trustCa(o: TrustOptions): Promise<TrustResult> {
  const { env } = o.ctx;
  const paths = proxyLayout(o.ctx.layout);
  const ca = await ensureLocalCa(paths, env);
  const nickname = caNickname(ca.certPem);
  const kinds = wantedKinds(env);
  const stores: TrustStore[] = [];
  const system = systemStore(paths.caCert, nickname, env, o.ctx.host.os);
  if (kinds.has('system')) {
    if (system) stores.push(system);
    else o.say(`no system store poly knows on ${o.ctx.host.os}: add ${paths.caCert} to it by hand`);
  }
  if (kinds.has('nss')) {
    const nss = nssStores(paths.caCert, nickname, env, o.ctx.host.os);
    if (nss.length === 0) o.say('no NSS database found (Chromium creates ~/.pki/nssdb on its first start)');
    stores.push(...nss);
  }
  o.say(`${o.uninstall ? 'Removing' : 'Trusting'} ${nickname} (${paths.caCert})`);
  const steps: TrustStep[] = [];
  for (const store of stores) {
    for (const command of o.uninstall ? store.uninstall : store.install) {
      const step = await runStep(store, command, o, env);
      steps.push(step);
      o.say(
        `  ${step.result === 'done' ? 'ok  ' : step.result === 'skipped' ? 'skip' : 'FAIL'} ${store.name}: ${command.title}${step.detail ? ` (${step.detail})` : ''}`,
      );
      if (step.result !== 'done') break;
    }
  }
  if (steps.some((s) => s.result === 'failed'))
    throw new PolyError('TRUST_FAILED', `could not ${o.uninstall ? 'remove' : 'install'} the CA everywhere`, {
      hint: 'See the failed steps above; each names the command that failed.',
    });
  return { path: paths.caCert, nickname, steps };
}

async function runStep(
  store: TrustStore,
  command: TrustCommand,
  o: TrustOptions,
  env: NodeJS.ProcessEnv,
): Promise<TrustStep> {
  const base = { store: store.name, title: command.title };
  if (store.missing) return { ...base, result: 'skipped', detail: store.missing };
  let argv = command.argv;
  if (command.root && process.getuid?.() !== 0) {
    // Asking to run sudo where there is none would only end in a failure without a reason.
    if (!onPath('sudo', env))
      return {
        ...base,
        result: 'failed',
        detail: 'needs root, and sudo is not installed: run `poly trust` as root',
      };
    const unattended = o.yes || env.CI === 'true';
    if (!unattended) {
      const answer = o.confirm ? await o.confirm(`Run with sudo: ${argv.join(' ')}?`) : undefined;
      if (answer === undefined)
        return { ...base, result: 'skipped', detail: 'needs sudo: run `poly trust --yes` in a terminal' };
      if (!answer) return { ...base, result: 'skipped', detail: 'declined' };
    }
    argv = ['sudo', ...(unattended ? ['-n'] : []), ...argv];
  }
  const [file, ...args] = argv as [string, ...string[]];
  const run = await execa(file, args, { env, reject: false, stdin: 'inherit', all: true });
  if (run.exitCode === 0) return { ...base, result: 'done' };
  // certutil -D on a database without the CA: already removed.
  if (o.uninstall && store.kind === 'nss' && /could not find/i.test(String(run.all)))
    return { ...base, result: 'done', detail: 'was not there' };
  return {
    ...base,
    result: 'failed',
    detail: `${argv.join(' ')}: ${String(run.all).trim().split('\n').pop() ?? `exit ${run.exitCode}`}`,
  };
}
