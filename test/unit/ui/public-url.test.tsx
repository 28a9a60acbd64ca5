import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import type { ServiceStatus } from '../../../src/core/supervisor/status.js';
import { ServiceTable } from '../../../src/ui/ServiceTable.js';
import { formatServiceTable } from '../../../src/ui/service-lines.js';

const now = 1_700_000_000_000;
function status(name: string, patch: Partial<ServiceStatus> = {}): ServiceStatus {
  return {
    name,
    state: 'healthy',
    mode: 'native',
    port: 3000,
    url: 'http://127.0.0.1:3000',
    pid: 42,
    check: 'GET /health',
    restarts: 0,
    startedAt: now - 5000,
    dependsOn: [],
    lastLines: [],
    ...patch,
  };
}

describe('public URLs in poly ps and the dashboard', () => {
  it('poly ps adds a PUBLIC URL column after URL, only when a service has one', () => {
    const withUrls = formatServiceTable(
      [
        status('web', { publicUrl: 'https://web.shop.localhost:8443' }),
        status('worker', { port: undefined, url: undefined, pid: 43 }),
      ],
      now,
    ).split('\n');
    assert.match(
      withUrls[0] ?? '',
      /^SERVICE\s+STATE\s+RUNTIME\s+URL\s+PUBLIC URL\s+PID\/CONTAINER\s+HEALTH/,
    );
    assert.match(
      withUrls[1] ?? '',
      /^web\s+healthy\s+native\s+http:\/\/127\.0\.0\.1:3000\s+https:\/\/web\.shop\.localhost:8443\s+42\s+GET \/health/,
    );
    assert.match(withUrls[2] ?? '', /^worker\s+healthy\s+native\s+-\s+-\s+43/);
    assert.doesNotMatch(formatServiceTable([status('web')], now), /PUBLIC URL/);
  });

  it('the dashboard shows the https name whole in the URL column', () => {
    const { lastFrame } = render(
      <ServiceTable
        services={[status('web', { publicUrl: 'https://web.shop.localhost:8443' })]}
        selected={0}
        now={now}
      />,
    );
    assert.match(
      lastFrame() ?? '',
      /web\s+healthy\s+native\s+https:\/\/web\.shop\.localhost:8443\s+GET \/health/,
    );
  });
});
