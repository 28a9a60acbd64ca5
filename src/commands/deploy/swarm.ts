import { Args, Flags } from '@oclif/core';
import { PolyCommand } from '../../cli/base-command.js';
import { PolyError } from '../../core/errors.js';
import type { EndpointMode, PublishMode } from '../../core/export/swarm.js';
import { parseDuration } from '../../core/manifest/validate-service.js';
import { removeStack } from '../../services/deploy/rollback.js';
import {
  DEFAULT_DEPLOY_TIMEOUT_MS,
  type DeploySwarmResult,
  deploySwarm,
  swarmClient,
} from '../../services/deploy/swarm.js';
import { loadExportPlan } from '../../services/export/write.js';

type Result = DeploySwarmResult | { stack: string; removed: { services: string[]; networks: string[] } };

export default class DeploySwarm extends PolyCommand {
  static override summary = 'Deploy the project as a stack on the Docker Swarm the engine belongs to.';
  static override description =
    'The `poly export compose --for swarm` file, deployed through the Engine API as `docker stack deploy` would (same names and labels: `docker stack ps <stack>` shows it). Waits until every service runs its replicas healthy, then prints where each is published. On failure, what this run created is removed and updated services are put back. DOCKER_HOST (unix, tcp:// or ssh://) or --context says which engine; it must be a Swarm manager.';
  static override examples = [
    '<%= config.bin %> deploy swarm',
    '<%= config.bin %> deploy swarm api --context staging',
    '<%= config.bin %> deploy swarm --endpoint-mode dnsrr --publish-mode host',
    '<%= config.bin %> deploy swarm --rm',
  ];
  static override strict = false;
  static override args = {
    service: Args.string({
      description: 'Services to deploy, with what they depend on (several may be given). Default: all.',
    }),
  };
  static override enableJsonFlag = true;
  static override flags = {
    context: Flags.string({
      summary: 'Docker context to deploy through (default: DOCKER_HOST, else the current one).',
    }),
    stack: Flags.string({ summary: 'Stack name. Default: the project name.' }),
    'endpoint-mode': Flags.string({
      summary: 'vip (Swarm default: one virtual IP per service) or dnsrr (DNS round robin over its tasks).',
      options: ['vip', 'dnsrr'],
      default: 'vip',
    }),
    'publish-mode': Flags.string({
      summary: 'ingress (Swarm default: the routing mesh, every node) or host (the node running the task).',
      options: ['ingress', 'host'],
      default: 'ingress',
    }),
    timeout: Flags.string({
      summary: 'How long to wait for every service to run healthy ("3m", "90s").',
      default: '3m',
    }),
    rm: Flags.boolean({ summary: 'Remove the stack (its services and network; volumes stay).' }),
  };

  async run(): Promise<Result> {
    const { flags, argv } = await this.parse(DeploySwarm);
    const cwd = this.workdir(flags);
    const services = (argv as string[]).filter((a) => !a.startsWith('-'));
    const ctx = this.context();
    if (flags.rm) {
      const stack = flags.stack ?? loadExportPlan(cwd, ctx.env).plan.project;
      const removed = await removeStack(await swarmClient(ctx.env, flags.context), stack);
      if (!this.jsonEnabled())
        process.stderr.write(`poly: removed stack ${stack} (${removed.services.length} services)\n`);
      return { stack, removed };
    }
    const timeoutMs = parseDuration(flags.timeout);
    if (timeoutMs === undefined || timeoutMs === 0)
      throw new PolyError('USAGE', `--timeout ${flags.timeout} is not a duration`, {
        hint: `Write --timeout 3m, 90s or a number of seconds (default ${DEFAULT_DEPLOY_TIMEOUT_MS / 60000}m).`,
        exitCode: 2,
      });
    const quiet = this.jsonEnabled();
    const result = await deploySwarm({
      cwd,
      services,
      ...(flags.stack ? { stack: flags.stack } : {}),
      ...(flags.context ? { context: flags.context } : {}),
      swarm: {
        endpointMode: flags['endpoint-mode'] as EndpointMode,
        publishMode: flags['publish-mode'] as PublishMode,
      },
      timeoutMs,
      ctx,
      onImage: (e) => quiet || process.stderr.write(`poly: building ${e.image} for ${e.service}\n`),
    });
    if (!quiet) {
      this.log(`stack ${result.stack}: every service runs healthy`);
      for (const s of result.services)
        this.log(`  ${s.service} (${s.replicas}x): ${s.published.join(', ') || 'not published'}`);
    }
    return result;
  }
}
