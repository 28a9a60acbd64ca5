import type { ExportedService, ExportPlan } from './plan.js';

/** The name of a database's volume claim template, and of the volume its container mounts. */
export const DATA_CLAIM = 'data';

/**
 * What each database replica asks for. 1Gi is a starting point for a
 * development-sized database; a kustomize patch on the StatefulSet's
 * volumeClaimTemplates changes it (and a storageClassName picks the class).
 */
export const DATA_STORAGE_REQUEST = '1Gi';

/** The Secret holding a service's variables from env_files marked `secret = true`. Pure. */
export function secretName(service: ExportedService): string {
  return `${service.name}-secrets`.slice(0, 253);
}

export function secretDocument(plan: ExportPlan, service: ExportedService): Record<string, unknown> {
  const names = service.secretNames ?? [];
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: secretName(service),
      labels: { 'app.kubernetes.io/name': service.name, 'app.kubernetes.io/part-of': plan.project },
    },
    type: 'Opaque',
    // stringData: the API server stores it base64-encoded; the values stay readable in the written file.
    stringData: Object.fromEntries(names.map((n) => [n, service.env[n] ?? ''])),
  };
}

/** A ReadWriteOnce claim per replica, kept when the StatefulSet's pods go. */
export function dataClaim(labels: Record<string, string>): Record<string, unknown> {
  return {
    metadata: { name: DATA_CLAIM, labels },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: DATA_STORAGE_REQUEST } } },
  };
}
