import { test } from 'node:test';
import { runTemplateScenario } from '../../helpers/template-scenario.js';

test('poly new axum: the service passes its own tests and answers /health and its JSON endpoint', {
  timeout: 20 * 60_000,
}, async (t) => {
  await runTemplateScenario(t, {
    template: 'axum',
    name: 'axum-svc',
    tools: [['cargo', '--version']],
    testTimeoutMs: 18 * 60_000,
    startTimeoutMs: 5 * 60_000,
  });
});
