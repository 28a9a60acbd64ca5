import { kubernetesProbes, tcpReachable, wholeSeconds } from './health.js';
import { DATA_CLAIM, dataClaim, secretDocument, secretName } from './kubernetes-data.js';
import { type ExportedService, type ExportPlan, exportedHealth } from './plan.js';

/** The image init containers wait with: its `nc` checks a dependency's Service port. */
export const WAIT_IMAGE = 'busybox:1.36';

export interface KubernetesOptions {
  namespace?: string;
}

/** One file of the output folder: a name and the documents in it. */
export interface ManifestFile {
  name: string;
  documents: Record<string, unknown>[];
}

function labelsOf(plan: ExportPlan, service: string): Record<string, string> {
  return { 'app.kubernetes.io/name': service, 'app.kubernetes.io/part-of': plan.project };
}

function configMapName(plan: ExportPlan): string {
  return `${plan.project}-env`;
}

/** kubelet expands `$(VAR)` in env values; `$$(` keeps it literal. Pure. */
export function escapeKubeletRefs(value: string): string {
  return value.replaceAll('$(', () => '$$(');
}

/**
 * The service's variables that [env] (the ConfigMap) does not already give
 * it with the same value; those from a secret env_file come from its Secret.
 */
function ownEnv(plan: ExportPlan, service: ExportedService): Record<string, unknown>[] {
  const secret = new Set(service.secretNames ?? []);
  return Object.entries(service.env)
    .filter(([k, v]) => secret.has(k) || plan.projectEnv[k] !== v)
    .map(([name, value]) =>
      secret.has(name)
        ? { name, valueFrom: { secretKeyRef: { name: secretName(service), key: name } } }
        : { name, value: escapeKubeletRefs(value) },
    );
}

/** One init container per dependency with a port: it waits until the dependency's Service accepts connections. */
function waitContainers(service: ExportedService, byName: Map<string, ExportedService>): unknown[] {
  const out: unknown[] = [];
  for (const dep of service.dependsOn) {
    const port = byName.get(dep)?.port;
    // A Service has endpoints only for ready pods, so a connection means the dependency passed its readiness probe.
    if (port === undefined) continue;
    out.push({
      name: `wait-for-${dep}`.slice(0, 63),
      image: WAIT_IMAGE,
      command: [
        'sh',
        '-c',
        `until ${tcpReachable(dep, port)}; do echo "waiting for ${dep}:${port}"; sleep 2; done`,
      ],
    });
  }
  return out;
}

/** `[services.x.deploy]` cpu and memory as requests; memory also as the limit (no CPU limit: it throttles). */
function resources(service: ExportedService): Record<string, unknown> {
  const d = service.deploy;
  if (!d?.cpu && !d?.memory) return {};
  return {
    resources: {
      requests: { ...(d.cpu ? { cpu: d.cpu } : {}), ...(d.memory ? { memory: d.memory } : {}) },
      ...(d.memory ? { limits: { memory: d.memory } } : {}),
    },
  };
}

function container(plan: ExportPlan, service: ExportedService): Record<string, unknown> {
  const check = exportedHealth(service);
  const env = ownEnv(plan, service);
  return {
    name: service.name,
    image: service.source.image,
    // Built images live in a local or private registry under a moving tag: never pulled over a present one.
    ...(service.source.kind === 'image' ? {} : { imagePullPolicy: 'IfNotPresent' }),
    ...(service.port !== undefined
      ? { ports: [{ name: 'service', containerPort: service.port, protocol: 'TCP' }] }
      : {}),
    ...(Object.keys(plan.projectEnv).length > 0
      ? { envFrom: [{ configMapRef: { name: configMapName(plan) } }] }
      : {}),
    ...(env.length > 0 ? { env } : {}),
    ...(check ? kubernetesProbes(check, service.port, service.healthTiming) : {}),
    ...resources(service),
    ...(service.data ? { volumeMounts: [{ name: DATA_CLAIM, mountPath: service.data.path }] } : {}),
  };
}

/**
 * A Deployment; a StatefulSet for a service with data (a database), whose
 * volumeClaimTemplates give each replica a PersistentVolumeClaim of its own
 * that outlives the pod. Its governing Service is the one peers connect to.
 */
function workload(plan: ExportPlan, service: ExportedService, byName: Map<string, ExportedService>) {
  const labels = labelsOf(plan, service.name);
  const init = waitContainers(service, byName);
  return {
    apiVersion: 'apps/v1',
    kind: service.data ? 'StatefulSet' : 'Deployment',
    metadata: { name: service.name, labels },
    spec: {
      replicas: service.deploy?.replicas ?? 1,
      ...(service.data ? { serviceName: service.name } : {}),
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: wholeSeconds(service.stopTimeoutMs),
          ...(init.length > 0 ? { initContainers: init } : {}),
          containers: [container(plan, service)],
        },
      },
      ...(service.data ? { volumeClaimTemplates: [dataClaim(labels)] } : {}),
    },
  };
}

function serviceDocument(plan: ExportPlan, service: ExportedService, port: number) {
  const labels = labelsOf(plan, service.name);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: service.name, labels },
    spec: {
      selector: labels,
      ports: [{ name: 'service', port, targetPort: port, protocol: 'TCP' }],
    },
  };
}

function configMap(plan: ExportPlan) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: configMapName(plan), labels: { 'app.kubernetes.io/part-of': plan.project } },
    data: Object.fromEntries(Object.entries(plan.projectEnv).map(([k, v]) => [k, escapeKubeletRefs(v)])),
  };
}

/**
 * The plan as Kubernetes manifests: a Deployment or StatefulSet (and a
 * Service when it has a port, a Secret when it reads a secret env_file) per
 * service, a ConfigMap for [env], optionally a Namespace, and the
 * kustomization.yaml that lists them. Pure.
 */
export function kubernetesFiles(plan: ExportPlan, opts: KubernetesOptions = {}): ManifestFile[] {
  const byName = new Map(plan.services.map((s) => [s.name, s]));
  const files: ManifestFile[] = [];
  if (opts.namespace)
    files.push({
      name: 'namespace.yaml',
      documents: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: opts.namespace } }],
    });
  if (Object.keys(plan.projectEnv).length > 0)
    files.push({ name: 'configmap.yaml', documents: [configMap(plan)] });
  for (const s of plan.services) {
    const documents: Record<string, unknown>[] = [
      ...(s.secretNames ? [secretDocument(plan, s)] : []),
      workload(plan, s, byName),
    ];
    if (s.port !== undefined) documents.push(serviceDocument(plan, s, s.port));
    // In a folder of their own: a service called "kustomization" cannot clash with the files poly writes.
    files.push({ name: `services/${s.name}.yaml`, documents });
  }
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    ...(opts.namespace ? { namespace: opts.namespace } : {}),
    resources: files.map((f) => f.name),
  };
  return [...files, { name: 'kustomization.yaml', documents: [kustomization] }];
}
