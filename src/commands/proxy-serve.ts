import { PolyCommand } from '../cli/base-command.js';
import { serveProxy } from '../services/proxy/serve.js';

export default class ProxyServe extends PolyCommand {
  static override hidden = true;
  static override summary = 'Run the HTTPS proxy in the foreground (what `poly up` starts on demand).';
  static override description =
    'Internal: the first `poly up` that needs it starts this in its own session, output in <store>/proxy/proxy.log. Supervisors publish their routes to its control socket; it stops itself a minute after the last project went down.';
  static override examples = ['<%= config.bin %> proxy-serve'];

  async run(): Promise<void> {
    await this.parse(ProxyServe);
    await serveProxy(this.context());
  }
}
