import type { RuntimeName } from '../manifest/types.js';

/** A health check as poly.toml writes it: an HTTP path, or a table (compose's healthcheck maps here). */
export type ProposedHealth =
  | string
  | {
      path?: string;
      tcp?: number;
      cmd?: string;
      interval?: string;
      timeout?: string;
      retries?: number;
      start_period?: string;
    };

/** env_file in the manifest's documented form: a path, a list, or `{ path, required = false }`. */
export type ProposedEnvFile = string | { path: string; required?: boolean };

/** One `[services.<name>]` that init proposes, with where it came from. */
export interface ProposedService {
  name: string;
  /** The file it was read from, relative to the repo: "services/api/Cargo.toml", "compose.yaml". */
  source: string;
  path?: string;
  runtime?: RuntimeName;
  run?: string;
  /** A number the code or config says, or "auto" (a free port poly keeps) for a Procfile's $PORT. */
  port?: number | 'auto';
  health?: ProposedHealth;
  depends_on?: string[];
  env?: Record<string, string>;
  env_file?: ProposedEnvFile[];
  restart?: 'on-failure' | 'always' | 'no';
  stop_timeout?: number;
  image?: string;
  build?: string;
}

/** The `[env]` variables init proposes (a mise.toml's), and the file they came from. */
export interface ProposedEnv {
  values: Record<string, string>;
  source: string;
}

/** One `[tasks.<name>]` that init proposes (from a mise.toml's [tasks]), with where it came from. */
export interface ProposedTask {
  name: string;
  source: string;
  run: string | string[];
  description?: string;
  depends?: string[];
  sources?: string[];
  outputs?: string[];
  dir?: string;
  env?: Record<string, string>;
  quiet?: boolean;
}

/** A pin for the whole project and the file it came from. */
export interface ProposedPin {
  runtime: RuntimeName;
  spec: string;
  /** Relative file it came from, or a reason when it is poly's default ("default: Cargo.toml without rust-toolchain"). */
  source: string;
  /** What the file said, when it differs from spec. */
  written?: string;
}

/** One thing the report tells the user: a different pin, a compose feature done another way, a skipped file. */
export interface AdoptionNote {
  /** The file (and where in it) the note is about. */
  file: string;
  message: string;
}

/** What a language detector sees of one folder. */
export interface FolderContext {
  /** The repo root, absolute. */
  root: string;
  /** The folder, relative to the root ("." for the root). */
  rel: string;
  files: ReadonlySet<string>;
  dirs: readonly string[];
  /** Reads a file of this folder (or below it) as text; undefined when missing. */
  read: (name: string) => string | undefined;
  /** Reads a file relative to the repo root (a workspace's Cargo.toml above the folder). */
  readRepo: (rel: string) => string | undefined;
  /** Whether a file or folder exists, relative to the repo root (a workspace's lockfile above the folder). */
  repoHas: (rel: string) => boolean;
  /** The files of a sub-folder ("cmd/server/"); empty when missing. */
  list: (sub: string) => string[];
  /** The sub-folders of a sub-folder ("cmd"); empty when missing. */
  listDirs: (sub: string) => string[];
}

/** What a detector found in one folder: the service, without its name (the folder decides it). */
export interface FolderService {
  runtime: RuntimeName;
  /** The file that made it a service: "Cargo.toml", "app/main.py". */
  file: string;
  run: string;
  port?: number;
  health?: ProposedHealth;
  /** A pin the service's own config implies (pom.xml java.version), when no version file pins it. */
  impliedPin?: { spec: string; written: string; file: string };
  notes?: string[];
}

/** A detector's answer: a service, a reason it is not one (for the report), or nothing to say. */
export type FolderVerdict = FolderService | { skip: string; file: string } | undefined;
