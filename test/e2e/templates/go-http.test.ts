import { test } from 'node:test';
import { runTemplateScenario } from '../../helpers/template-scenario.js';

test('poly new go-http: the service passes its own tests and answers /health and its JSON endpoint', {
  timeout: 10 * 60_000,
}, async (t) => {
  await runTemplateScenario(t, {
    template: 'go-http',
    name: 'go-svc',
    tools: [['go', 'version']],
    testTimeoutMs: 8 * 60_000,
    startTimeoutMs: 5 * 60_000,
    // A non-default option value, so the rendered package/module path is compiled for real.
    newArgs: ['--set', 'module=github.com/acme/go-svc'],
  });
});
