import { createHash } from 'node:crypto';

/** The labels every object poly creates carries, so `poly down` finds all of them. */
export const LABEL_PROJECT = 'dev.poly.project';
/** The project's absolute folder: two projects with the same name never share objects. */
export const LABEL_ROOT = 'dev.poly.root';
export const LABEL_SERVICE = 'dev.poly.service';
export const LABEL_CONFIG_HASH = 'dev.poly.config-hash';
/** What a volume caches (npm, pip, cargo, go-mod, maven). */
export const LABEL_CACHE = 'dev.poly.cache';

/** Which project a Docker object belongs to. */
export interface ProjectRef {
  name: string;
  /** Absolute project folder (where poly.toml is). */
  root: string;
}

export function projectLabels(project: ProjectRef): Record<string, string> {
  return { [LABEL_PROJECT]: project.name, [LABEL_ROOT]: project.root };
}

/** An Engine API `filters` value matching the project's objects (and a service's, when given). */
export function projectFilters(project: ProjectRef, service?: string): { label: string[] } {
  const label = [`${LABEL_PROJECT}=${project.name}`, `${LABEL_ROOT}=${project.root}`];
  if (service !== undefined) label.push(`${LABEL_SERVICE}=${service}`);
  return { label };
}

/**
 * A name prefix unique to the project: its name made safe for Docker plus a
 * short hash of its folder, e.g. "poly-shop-1a2b3c".
 */
export function projectSlug(project: ProjectRef): string {
  const safe = dockerSafeName(project.name) || 'project';
  const hash = createHash('sha256').update(project.root).digest('hex').slice(0, 6);
  return `poly-${safe}-${hash}`;
}

export function containerName(project: ProjectRef, service: string): string {
  return `${projectSlug(project)}-${dockerSafeName(service) || 'service'}`;
}

export function networkName(project: ProjectRef): string {
  return projectSlug(project);
}

/** Docker names allow [a-zA-Z0-9][a-zA-Z0-9_.-]; anything else becomes "-". */
export function dockerSafeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '');
}
