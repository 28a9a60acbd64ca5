import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { databaseVolumeName } from '../../core/databases/container-recipe.js';
import {
  containerDataFolder,
  containerDataOwner,
  replaceCommand,
  unpackCommand,
  verifyCommand,
} from '../../core/databases/container-tools.js';
import { officialDatabaseImage } from '../../core/databases/official-image.js';
import { checkedSnapshot, type SnapshotInfo } from '../../core/databases/snapshots.js';
import { connectDocker } from '../../core/docker/client.js';
import { inspectContainer } from '../../core/docker/containers.js';
import { ensureImage } from '../../core/docker/images.js';
import { containerName } from '../../core/docker/labels.js';
import { ensureServiceVolume, removeVolume } from '../../core/docker/volumes.js';
import { PolyError } from '../../core/errors.js';
import { type ContainerDatabase, databaseImage, projectOf, runOnVolumes } from './container.js';

/**
 * `poly db restore` of a container-mode database (stopped): the snapshot is
 * checked against its checksum, unpacked into a scratch volume, and the
 * image's server is started once on it; only a copy that starts replaces the
 * service's volume (created again after `down --volumes`).
 */
export async function restoreContainerDatabase(t: ContainerDatabase, name: string): Promise<SnapshotInfo> {
  const { info, archive } = await checkedSnapshot({ root: t.manifest.root, service: t.service, name });
  if (!info.image)
    throw new PolyError('SNAPSHOT_OTHER_MODE', `snapshot "${name}" of ${t.service} was taken natively`, {
      hint: `${t.service} runs in a container now: restore it with mode = "native", or take a snapshot in container mode.`,
    });
  const client = await connectDocker(t.env);
  if ((await inspectContainer(client, containerName(projectOf(t), t.service)))?.running)
    throw new PolyError('DB_RUNNING', `${t.service} is running; a restore replaces its data volume`, {
      hint: 'Stop it with `poly down`, restore, then `poly up` again.',
    });
  await ensureImage(client, databaseImage(t), () => {});
  const project = projectOf(t);
  const volume = databaseVolumeName(project, t.service);
  const scratch = `${volume}-poly-db-${randomBytes(3).toString('hex')}`;
  const mount = officialDatabaseImage(t.manifest, t.db).dataPath;
  const folder = containerDataFolder(t.manifest, t.db);
  await ensureServiceVolume(client, project, t.service, scratch);
  try {
    const onScratch = [{ name: scratch, target: mount }];
    await runOnVolumes(client, t, {
      user: '0',
      volumes: onScratch,
      command: unpackCommand(folder, containerDataOwner(t.db)),
      stdin: createReadStream(archive),
      what: 'unpacking the snapshot',
    });
    const verify = verifyCommand(t.db, folder);
    await runOnVolumes(client, t, {
      user: t.db.name === 'postgres' ? 'postgres' : '0',
      volumes: onScratch,
      command: verify,
      stdin: Readable.from([verify.input]),
      what: `starting ${t.db.name} on the snapshot`,
    });
    await ensureServiceVolume(client, project, t.service, volume);
    await runOnVolumes(client, t, {
      user: '0',
      volumes: [
        { name: scratch, target: '/poly-snapshot' },
        { name: volume, target: mount },
      ],
      command: replaceCommand('/poly-snapshot', mount),
      stdin: Readable.from([]),
      what: 'copying the snapshot into the data volume',
    });
    return info;
  } finally {
    await removeVolume(client, scratch);
  }
}
