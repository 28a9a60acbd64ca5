import type { InstallEvent, InstallEventHandler } from '../core/runtimes/events.js';
import { formatInstallEvent } from './install-plain.js';
import { type InstallState, reduceInstall } from './install-state.js';
import { interactiveTerminal } from './terminal.js';

export interface InstallRenderer {
  onEvent: InstallEventHandler;
  /** Flushes the view; call once when the service returns or throws. */
  finish(): Promise<void>;
}

/**
 * Callers render install progress through this, never JSX: an Ink view with
 * one bar per runtime in a terminal, one plain line per step otherwise.
 * Ink and React load only when a terminal view is drawn and something is downloaded.
 */
export function renderInstall(
  env: NodeJS.ProcessEnv,
  stream: NodeJS.WriteStream = process.stderr,
): InstallRenderer {
  if (!interactiveTerminal([stream], env)) return plainRenderer(stream);
  let state: InstallState = [];
  let view: Promise<{ rerender: (s: InstallState) => void; unmount: () => void }> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    timer = undefined;
    void view?.then((v) => v.rerender(state));
  };
  return {
    onEvent(e: InstallEvent) {
      state = reduceInstall(state, e);
      // Nothing to watch when everything is already installed: no Ink at all.
      if (!view && (e.type === 'download' || e.type === 'wait' || e.type === 'error'))
        view = mountInk(stream, state);
      if (view && !timer) timer = setTimeout(draw, 80);
    },
    async finish() {
      if (timer) clearTimeout(timer);
      if (!view) return;
      const v = await view;
      v.rerender(state);
      v.unmount();
    },
  };
}

async function mountInk(stream: NodeJS.WriteStream, initial: InstallState) {
  const [{ render }, { createElement }, { InstallProgress }] = await Promise.all([
    import('ink'),
    import('react'),
    import('./InstallProgress.js'),
  ]);
  const instance = render(createElement(InstallProgress, { rows: initial }), {
    stdout: stream,
    patchConsole: false,
  });
  return {
    rerender: (s: InstallState) => instance.rerender(createElement(InstallProgress, { rows: s })),
    unmount: () => instance.unmount(),
  };
}

function plainRenderer(stream: NodeJS.WritableStream): InstallRenderer {
  const seen = new Set<string>();
  return {
    onEvent(e) {
      const line = formatInstallEvent(e, seen);
      if (line) stream.write(`${line}\n`);
    },
    finish: async () => {},
  };
}
