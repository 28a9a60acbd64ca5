import { test } from 'node:test';
import { runTemplateScenario } from '../../helpers/template-scenario.js';

test('poly new spring-boot: the service passes its own tests and answers /health and its JSON endpoint', {
  timeout: 20 * 60_000,
}, async (t) => {
  await runTemplateScenario(t, {
    template: 'spring-boot',
    name: 'java-svc',
    tools: [['java', '-version']],
    testTimeoutMs: 18 * 60_000,
    startTimeoutMs: 5 * 60_000,
    // A non-default option value, so the rendered package/module path is compiled for real.
    newArgs: ['--set', 'package=org.acme.javasvc'],
  });
});
