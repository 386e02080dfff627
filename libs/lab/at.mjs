import { analyzeTrialFolder } from './dist/index.js';
import { readFileSync } from 'node:fs';
const run = process.argv[2];
const spec = Object.values(JSON.parse(readFileSync(run + '/spec.json', 'utf8')))[0];
for (let k = 0; k < 3; k++) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  analyzeTrialFolder(run, 0, spec);
  const c = process.cpuUsage(c0); console.log((performance.now()-t0).toFixed(0), 'ms wall', ((c.user + c.system) / 1000).toFixed(0), 'ms CPU');
}
