import { createInterface } from 'node:readline/promises';
import { Flags } from '@oclif/core';
import { PolyCommand } from '../cli/base-command.js';
import { caCertificatePath, type TrustResult, trustCa } from '../services/proxy/trust.js';

export default class Trust extends PolyCommand {
  static override summary = "Trust poly's local CA in the system store and the browsers' NSS databases.";
  static override description =
    "Adds the local certificate authority behind https://<service>.<project>.localhost to the system trust store and to the NSS databases of Chromium and Firefox it finds (certutil, from libnss3-tools), printing each step and asking before anything that needs sudo (--yes, or CI=true: don't ask, and let sudo fail rather than prompt). POLY_TRUST_STORES=system or nss limits it to one kind. The CA is name-constrained to localhost names and its key never leaves the store.";
  static override examples = [
    '<%= config.bin %> trust',
    'curl --cacert "$(<%= config.bin %> trust --path)" https://web.shop.localhost',
    '<%= config.bin %> trust --uninstall',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    path: Flags.boolean({
      summary: "Print the CA certificate's path (created on first use) and change nothing.",
    }),
    uninstall: Flags.boolean({ summary: 'Remove the CA from the stores it was added to.' }),
    yes: Flags.boolean({ char: 'y', summary: 'Run the sudo steps without asking.' }),
  };

  async run(): Promise<TrustResult | { path: string }> {
    const { flags } = await this.parse(Trust);
    if (flags.path) {
      const path = await caCertificatePath(this.context());
      if (!this.jsonEnabled()) this.log(path);
      return { path };
    }
    const quiet = this.jsonEnabled();
    return trustCa({
      uninstall: flags.uninstall,
      yes: flags.yes,
      ctx: this.context(),
      say: (line) => {
        if (!quiet) this.log(line);
      },
      ...(process.stdin.isTTY && process.stdout.isTTY ? { confirm: askYesNo } : {}),
    });
  }
}

async function askYesNo(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
