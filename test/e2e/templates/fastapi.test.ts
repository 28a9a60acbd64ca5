import { test } from 'node:test';
import { runTemplateScenario } from '../../helpers/template-scenario.js';

test('poly new fastapi: the service passes its own tests and answers /health and its JSON endpoint', {
  timeout: 10 * 60_000,
}, async (t) => {
  await runTemplateScenario(t, {
    template: 'fastapi',
    name: 'py-svc',
    tools: [['python3', '--version']],
    testTimeoutMs: 8 * 60_000,
    startTimeoutMs: 5 * 60_000,
  });
});
