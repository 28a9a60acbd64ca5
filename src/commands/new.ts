import { Args, Flags } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import { EXIT_USAGE, PolyError } from '../core/errors.js';
import { type ScaffoldEvent, type ScaffoldResult, scaffoldService } from '../services/new/scaffold.js';

export default class New extends PolyCommand {
  static override summary = 'Create a new service from a template and register it in poly.toml.';
  static override description =
    `Copies the template into services/<name> (or --path), fills in the name, port and \
other options in each language's conventions, adds [services.<name>] to poly.toml with a port no other service \
uses, pins the template's runtime if the project has none, and installs the dependencies.

<template> is a built-in template (see \`poly templates\`), a folder holding a template.toml, or a git URL.
poly new refuses a non-empty folder and never overwrites a file.`;
  static override examples = [
    '<%= config.bin %> new axum api',
    '<%= config.bin %> new fastapi orders --port 8100',
    '<%= config.bin %> new axum api --with postgres',
    '<%= config.bin %> new spring-boot billing --set package=org.acme.billing',
    '<%= config.bin %> new ./my-templates/worker jobs --no-install',
    '<%= config.bin %> new https://github.com/acme/poly-template-go.git gateway',
  ];
  static override enableJsonFlag = true;
  static override args = {
    template: Args.string({ description: 'template name, folder or git URL', required: true }),
    name: Args.string({ description: 'service name: lowercase letters, digits and dashes', required: true }),
  };
  static override flags = {
    path: Flags.string({ summary: 'Folder for the service (default: services/<name>).' }),
    port: Flags.integer({
      summary: "Port for the service (default: the template's, or the next free one).",
      min: 1,
      max: 65535,
    }),
    with: Flags.string({
      summary:
        'A variant of the template: postgres adds a db service (use = "postgres@16") and code that uses it.',
    }),
    set: Flags.string({ summary: 'Set a template option, key=value (repeatable).', multiple: true }),
    install: Flags.boolean({
      summary: 'Install dependencies (--no-install skips it).',
      default: true,
      allowNo: true,
    }),
  };

  async run(): Promise<ScaffoldResult> {
    const { args, flags } = await this.parse(New);
    const json = this.jsonEnabled();
    const result = await scaffoldService(
      {
        cwd: this.workdir(flags),
        template: args.template,
        name: args.name,
        install: flags.install,
        ...(flags.path ? { path: flags.path } : {}),
        ...(flags.with ? { with: flags.with } : {}),
        ...(flags.port !== undefined ? { port: flags.port } : {}),
        ...(flags.set ? { set: parseSet(flags.set) } : {}),
        ctx: this.context(),
      },
      json ? undefined : (event) => this.log(describe(event)),
    );
    if (!json) {
      this.log(
        `\nCreated ${result.name} (${result.template}, ${result.runtime}) in ${result.path}, port ${result.port}.`,
      );
      this.log('Next:');
      if (!flags.install && result.installed.length === 0)
        this.log('  install its dependencies (see its README)');
      this.log(
        `  poly up ${result.name}        # then GET http://127.0.0.1:${result.port}${result.endpoint ?? result.health}`,
      );
      // A variant's tests need its database: the test task starts it first.
      this.log(result.database ? `  poly run ${result.name}:test` : `  cd ${result.path} && ${result.test}`);
    }
    return result;
  }
}

function describe(event: ScaffoldEvent): string {
  switch (event.type) {
    case 'note':
      return `note: ${event.message}`;
    case 'files-written':
      return `wrote ${event.count} files to ${event.dir}`;
    case 'registered':
      return `added [services.${event.name}] to poly.toml (port ${event.port})${
        event.pinned ? `; pinned ${event.pinned.runtime} = "${event.pinned.spec}"` : ''
      }${databaseNote(event.database)}`;
    case 'install-start':
      return `running ${event.command.join(' ')} ...`;
    case 'install-done':
      return `done in ${(event.ms / 1000).toFixed(1)}s`;
  }
}

function databaseNote(database: { service: string; added: boolean; use?: string } | undefined): string {
  if (!database) return '';
  return database.added
    ? `; added [services.${database.service}] (use = "${database.use}")`
    : `; it uses the project's ${database.service}`;
}

function parseSet(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) {
      throw new PolyError('INVALID_OPTION', `--set ${pair}: expected key=value`, {
        hint: 'For example --set package=org.acme.api',
        exitCode: EXIT_USAGE,
      });
    }
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}
