import type { ProjectRoutes, RouteMatch } from './routes.js';

/** poly's own answer when a name has nowhere to go: what exists, and how to start it. */
export interface ProxyPage {
  status: number;
  html: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function serviceList(project: ProjectRoutes, urlOf: (host: string) => string): string {
  if (project.services.length === 0) return '<p>This project publishes no services with a port.</p>';
  const rows = project.services.map((s) => {
    const host = s.hostnames[0] ?? '';
    return `<tr><td><a href="${escapeHtml(urlOf(host))}">${escapeHtml(urlOf(host))}</a></td><td>${escapeHtml(s.name)}</td><td class="${escapeHtml(s.state)}">${escapeHtml(s.state)}</td></tr>`;
  });
  return `<table><tr><th>URL</th><th>service</th><th>state</th></tr>${rows.join('')}</table>`;
}

function startHint(project: ProjectRoutes, service?: string): string {
  const cmd = `cd ${project.root} && poly up -d${service ? ` ${service}` : ''}`;
  return `<p>Start it with:</p><pre>${escapeHtml(cmd)}</pre>`;
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · poly</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem}pre{background:#f3f3f3;padding:.75rem;border-radius:4px;overflow-x:auto}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #ddd}
.healthy{color:#17702b}.stopped,.failed,.crash-loop{color:#a31515}
footer{margin-top:2rem;color:#777;font-size:.85rem}
</style></head><body><h1>${escapeHtml(title)}</h1>${body}
<footer>Served by the poly HTTPS proxy. <code>poly ps</code> in a project lists its services.</footer></body></html>
`;
}

/** The page for a name the proxy cannot forward (unknown, stopped, or not answering). */
export function proxyPage(
  host: string,
  match: RouteMatch,
  projects: ProjectRoutes[],
  urlOf: (host: string) => string,
  refused?: string,
): ProxyPage {
  if (match.kind === 'forward' || match.kind === 'stopped') {
    const { project, service } = match;
    const what =
      match.kind === 'forward'
        ? `is ${service.state} but does not answer on port ${match.port} (${refused ?? 'connection refused'})`
        : `is ${service.state}`;
    return {
      status: match.kind === 'forward' ? 502 : 503,
      html: layout(
        `${service.name} (${project.name}) ${match.kind === 'forward' ? 'is not answering' : 'is not running'}`,
        `<p>Service <b>${escapeHtml(service.name)}</b> of project <b>${escapeHtml(project.name)}</b> (${escapeHtml(project.root)}) ${escapeHtml(what)}.</p>${startHint(project, service.name)}<h2>Services of ${escapeHtml(project.name)}</h2>${serviceList(project, urlOf)}`,
      ),
    };
  }
  if (match.kind === 'project') {
    const { project } = match;
    return {
      status: 404,
      html: layout(
        `No service named ${host}`,
        `<p>Project <b>${escapeHtml(project.name)}</b> (${escapeHtml(project.root)}) has no service at this name.</p><h2>Its services</h2>${serviceList(project, urlOf)}${startHint(project)}`,
      ),
    };
  }
  const known = projects.length
    ? projects
        .map(
          (p) =>
            `<h2>${escapeHtml(p.name)} <small>${escapeHtml(p.root)}</small></h2>${serviceList(p, urlOf)}`,
        )
        .join('')
    : '<p>No project publishes services right now. Run <code>poly up</code> in a project.</p>';
  return {
    status: 404,
    html: layout(
      `Nothing is served at ${host || 'this address'}`,
      `<p>No running poly project has a service named <b>${escapeHtml(host)}</b>. Services are named <code>https://&lt;service&gt;.&lt;project&gt;.localhost</code>; <code>[services.x] hostnames</code> adds names.</p>${known}`,
    ),
  };
}
