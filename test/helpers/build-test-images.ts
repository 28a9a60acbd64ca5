// Builds the container tests' base images ahead of the test run (CI calls it
// once after `npm run build`): node dist/test/helpers/build-test-images.js
import { busyboxTestImage, debianSslTestImage, debianTestImage } from './docker-images.js';

const started = performance.now();
console.log(`built ${await busyboxTestImage()}`);
console.log(`built ${await debianTestImage()}`);
console.log(`built ${await debianSslTestImage()}`);
console.log(`test images ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
