import type { RuntimeName } from '../manifest/types.js';

/** What template.toml describes, validated. See templates/README.md for the file format. */
export interface TemplateSpec {
  /** The template's name (its folder name for built-in templates). */
  name: string;
  description: string;
  runtime: RuntimeName;
  /** Semver range of runtime versions the tree supports, e.g. ">=1.85". */
  versions: string;
  /** Spec written to [runtimes] when the project pins none. */
  pin: string;
  /** The service's run command (goes to poly.toml); may hold {{option}} expressions. */
  run: string;
  /** The tree's own test command. */
  test: string;
  /** More tasks the service gets beside `test` (build, lint): name -> command; may hold {{option}} expressions. */
  tasks?: Record<string, string>;
  /** HTTP health path (goes to poly.toml). */
  health: string;
  /** How long a fresh start may take to answer the health check ("5m"), for trees that compile first. */
  startPeriod?: string;
  /** A JSON endpoint that answers once the service runs. */
  endpoint?: string;
  /** Dependency install steps, argument arrays run in the new service's folder. */
  install: string[][];
  options: TemplateOption[];
  substitutions: Substitution[];
  renames: Rename[];
  /** Absolute folder holding template.toml and the tree. */
  dir: string;
  /** `[with.<choice>]`: variants `poly new --with <choice>` makes, each an overlay folder. */
  variants: Record<string, TemplateVariant>;
  /** Set once a variant is chosen: its overlay folder, whose files replace or join the base tree's. */
  overlay?: string;
}

/** A variant of a template (`poly new axum api --with postgres`): an overlay plus the database it needs. */
export interface TemplateVariant {
  /** The `--with` choice: "postgres". */
  name: string;
  description: string;
  /** Absolute overlay folder, `with/<name>/` in the template. */
  dir: string;
  /** The database service the variant needs: `use = "postgres@16"`. */
  use: string;
  /** The database a project's existing service must run to be reused (its `use` name). */
  family: string;
  /** The variable the variant's code reads its connection string from. */
  variable: string;
  /** Overrides of the base template's test, install steps and endpoint. */
  test?: string;
  install?: string[][];
  endpoint?: string;
}

export type OptionKind = 'name' | 'port' | 'string' | 'java-package' | 'go-module';

export interface TemplateOption {
  key: string;
  description: string;
  kind: OptionKind;
  /** The value the tree uses as is; for strings it may refer to other options: "com.example.{{name.flat}}". */
  default: string | number;
}

export interface Substitution {
  /** Glob patterns of paths relative to the template folder (`*` within a segment, `**` across). */
  files: string[];
  /** Literal text in those files -> an expression such as "{{name.snake}}". */
  replace: Record<string, string>;
}

export interface Rename {
  /** A file or folder of the tree, relative to the template folder. */
  from: string;
  /** Its rendered destination, e.g. "src/main/java/{{package.path}}". */
  to: string;
}

/** Option values after defaults, flags and --set overrides. */
export type OptionValues = Record<string, string>;
