import { getRuntime } from '../../../runtimes/index.js';
import type { PinParts } from '../../../runtimes/types.js';
import { EXIT_USAGE, PolyError } from '../errors.js';
import { guessSuffix } from '../manifest/checker.js';
import { acceptedSpecForms, isValidSpec } from '../manifest/spec-syntax.js';
import { isRuntimeName, RUNTIME_NAMES, type RuntimeName, type RuntimePin } from '../manifest/types.js';

/**
 * The one reader of pins written as text, wherever they come from: poly.toml
 * (`java = "temurin-21"`), the command line (`poly use java@temurin-21`,
 * `poly install node@npm:22`), imported version files, resolution. Each
 * runtime's own forms are declared in runtimes/<name>.ts (`pin`).
 */
export function splitPin(runtime: string, text: string): PinParts {
  const trimmed = text.trim();
  return getRuntime(runtime)?.pin.split?.(trimmed) ?? { spec: trimmed };
}

/** The pin a text stands for; Java's distribution defaults to Temurin, as poly installs it. */
export function pinFromText(runtime: RuntimeName, text: string): RuntimePin {
  const parts = splitPin(runtime, text);
  const pin: RuntimePin = { runtime, spec: parts.spec };
  if (runtime === 'java') pin.distribution = parts.distribution ?? 'temurin';
  if (parts.source) pin.source = parts.source;
  return pin;
}

/** True when the text is a pin poly can read (the version part checked by its syntax). */
export function isValidPinText(runtime: RuntimeName, text: string): boolean {
  return isValidSpec(runtime, splitPin(runtime, text).spec);
}

export interface RuntimeArgument {
  runtime: RuntimeName;
  /** The spec as written after "@" ("temurin-21"), or "latest" for a bare runtime name. */
  written: string;
  pin: RuntimePin;
}

/**
 * `node@22`, `java@temurin-21`, `python@>=3.11 <3.13`, or a bare `node` (the latest, as
 * mise reads it) -> a checked pin. `poly use` and `poly install` both read their
 * arguments here, so they accept the same forms. Usage errors exit 2.
 */
export function parseRuntimeArgument(arg: string): RuntimeArgument {
  const at = arg.indexOf('@');
  const runtime = (at === -1 ? arg : arg.slice(0, at)).trim();
  const written = at === -1 ? 'latest' : arg.slice(at + 1).trim();
  if (!isRuntimeName(runtime))
    throw new PolyError(
      'UNKNOWN_RUNTIME',
      `unknown runtime "${runtime}" in "${arg}" (known: ${RUNTIME_NAMES.join(', ')}).${guessSuffix(runtime, RUNTIME_NAMES)}`,
      { hint: 'Write <runtime>@<version>, for example node@22.', exitCode: EXIT_USAGE },
    );
  if (written === '')
    throw new PolyError('MISSING_VERSION', `"${arg}" names no version after "@"`, {
      hint: `Write ${runtime}@<version>, for example ${runtime}@${runtime === 'java' ? 'temurin-21' : 'latest'}, or ${runtime} alone for the latest.`,
      exitCode: EXIT_USAGE,
    });
  if (!isValidPinText(runtime, written))
    throw new PolyError('INVALID_SPEC', `invalid version spec "${written}" for ${runtime}`, {
      hint: `Use ${acceptedSpecForms(runtime)}.`,
      exitCode: EXIT_USAGE,
    });
  return { runtime, written, pin: pinFromText(runtime, written) };
}
