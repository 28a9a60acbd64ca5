import { Flags, type Interfaces } from '@oclif/core';
import type { FlagSpec, FlagTable } from './flag-table.js';

type OclifFlag<S extends FlagSpec> = S['type'] extends 'boolean'
  ? Interfaces.BooleanFlag<boolean>
  : Interfaces.OptionFlag<string | undefined>;

export type OclifFlags<T extends FlagTable> = { [K in keyof T]: OclifFlag<T[K]> };

/** A command's oclif flags, built from its table in flag-table.ts (which its fast path reads too). */
export function oclifFlags<T extends FlagTable>(table: T): OclifFlags<T> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table)) {
    const common = {
      summary: spec.summary,
      ...(spec.char ? { char: spec.char as Interfaces.AlphabetLowercase } : {}),
      ...(spec.hidden ? { hidden: true } : {}),
    };
    out[name] =
      spec.type === 'boolean'
        ? Flags.boolean(common)
        : Flags.string({
            ...common,
            ...(spec.options ? { options: [...spec.options] } : {}),
            ...(spec.helpValue ? { helpValue: spec.helpValue } : {}),
          });
  }
  return out as OclifFlags<T>;
}
