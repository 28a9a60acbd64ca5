import { toolchainMounts } from '../../core/docker/service-container-spec.js';
import { projectWritten, toolchainEnv } from '../../core/env/service-env/inputs.js';
import { renderContainerEnv } from '../../core/env/service-env/render.js';
import { requireManifest } from '../../core/manifest/load.js';
import { projectToolchains } from '../up/containers.js';
import { type ExecOptions, type ExecResult, execEnvironment } from './exec.js';
import { execService, serviceCommandEnv } from './service-env.js';

/**
 * `poly exec --container -- <cmd>`: the same environment, in a throwaway
 * container of the project's base image with poly's toolchains mounted
 * read-only (see exec-container.ts). The Docker modules load only here.
 */
export async function execInProjectContainer(options: Omit<ExecOptions, 'shim'>): Promise<ExecResult> {
  const { ctx } = options;
  const layout = ctx.layout;
  const manifest = requireManifest(options.cwd);
  const delta = await execEnvironment(options);
  const { execInContainer, processStdio } = await import('./container.js');
  const toolchains = projectToolchains(manifest, layout);
  const host = ctx.env;
  const service = execService(delta, options.cwd, options.service);
  const { env } = service
    ? await serviceCommandEnv(delta, service, 'container', host)
    : renderContainerEnv(
        {
          service: '',
          host,
          toolchain: toolchainEnv(delta),
          written: projectWritten(manifest, host),
          peers: [],
        },
        { mounts: toolchainMounts(toolchains), projectRoot: manifest.root, ownImage: false },
      );
  const { stdio, restore } = processStdio();
  try {
    const exit = await execInContainer({
      project: {
        name: manifest.project.name,
        root: manifest.root,
        ...(manifest.project.baseImage ? { baseImage: manifest.project.baseImage } : {}),
      },
      command: [options.command, ...options.args],
      cwd: options.cwd,
      env,
      toolchains,
      stdio,
      dockerEnv: ctx.env,
      host: ctx.host,
    });
    return { exitCode: exit.code, signal: exit.signal };
  } finally {
    restore();
  }
}
