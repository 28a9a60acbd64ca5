import { Box, Text, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { ServiceStatus, SupervisorEvent } from '../core/supervisor/status.js';
import { LogPane } from './LogPane.js';
import { ServiceTable } from './ServiceTable.js';

/** What the dashboard needs from a running supervisor (a Supervisor satisfies it). */
export interface DashboardSource {
  status(): ServiceStatus[];
  recentLines(name: string): string[];
  on(listener: (event: SupervisorEvent) => void): () => void;
  restart(name: string): Promise<void>;
}

export interface DashboardProps {
  source: DashboardSource;
  title: string;
  onQuit(): void;
  /** Re-render at most this often while events stream in. */
  refreshMs?: number;
  logHeight?: number;
  /** Shown instead of the key help while everything stops. */
  stopping?: boolean;
}

export function Dashboard({
  source,
  title,
  onQuit,
  refreshMs = 100,
  logHeight = 12,
  stopping,
}: DashboardProps) {
  const [services, setServices] = useState(() => source.status());
  const [selected, setSelected] = useState(0);
  const [showLogs, setShowLogs] = useState(true);
  const [now, setNow] = useState(() => Date.now());
  const [note, setNote] = useState<string | undefined>();

  useEffect(() => {
    let pending: NodeJS.Timeout | undefined;
    const refresh = () => {
      pending = undefined;
      setServices(source.status());
      setNow(Date.now());
    };
    const off = source.on(() => {
      pending ??= setTimeout(refresh, refreshMs);
    });
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      off();
      clearInterval(tick);
      if (pending) clearTimeout(pending);
    };
  }, [source, refreshMs]);

  const current = services[Math.min(selected, services.length - 1)];
  // Keys can arrive faster than React re-renders (↓ then r in one read): the
  // handler reads and moves the selection through refs, not the last render.
  const selectedRef = useRef(selected);
  const servicesRef = useRef(services);
  servicesRef.current = services;
  const select = (move: (i: number) => number) => {
    const next = Math.max(0, Math.min(servicesRef.current.length - 1, move(selectedRef.current)));
    selectedRef.current = next;
    setSelected(next);
  };

  useInput((input, key) => {
    const target = servicesRef.current[selectedRef.current];
    if (input === 'q' || (key.ctrl && input === 'c')) onQuit();
    else if (key.upArrow || input === 'k') select((i) => i - 1);
    else if (key.downArrow || input === 'j') select((i) => i + 1);
    else if (input === 'l') setShowLogs((v) => !v);
    else if (input === 'r' && target) {
      const name = target.name;
      setNote(`restarting ${name}…`);
      source.restart(name).then(
        () => setNote(`restarted ${name}`),
        (err: Error) => setNote(`restart failed: ${err.message}`),
      );
    }
  });

  return (
    <Box flexDirection="column">
      <Text bold color="cyan">{`poly up — ${title}`}</Text>
      <ServiceTable services={services} selected={selected} now={now} />
      {showLogs && current ? (
        <LogPane service={current.name} lines={source.recentLines(current.name)} height={logHeight} />
      ) : null}
      <Text dimColor>
        {stopping
          ? 'stopping all services…'
          : `↑/↓ select · r restart · l ${showLogs ? 'hide' : 'show'} logs · q quit${note ? `   ${note}` : ''}`}
      </Text>
    </Box>
  );
}
