#!/usr/bin/env node
// Prints the comparison of tools/bench-ppo-cartpole.sh from the two sides' JSON result files
// (either may be "-" when that side was skipped).
import { readFileSync } from 'node:fs';

const [torchFile, gymlabFile] = process.argv.slice(2);
const read = (f) => (f && f !== '-' ? JSON.parse(readFileSync(f, 'utf8').trim().split('\n').pop()) : null);
const torch = read(torchFile);
const gymlab = read(gymlabFile);
const fmt = (x, d = 1) => (x === null || x === undefined ? 'n/a' : Number(x).toFixed(d));

const lines = ['', 'side     frames   seconds   frames/s   opt_steps  episodes  return_ma(100)  runtime'];
if (torch) {
  lines.push(
    `torch  ${String(torch.frames).padStart(8)}  ${fmt(torch.seconds, 2).padStart(8)}  ${fmt(torch.fps).padStart(9)}  ${String(torch.opt_steps).padStart(10)}  ${String(torch.episodes).padStart(8)}  ${fmt(torch.return_ma).padStart(14)}  PyTorch ${torch.torch}, ${torch.threads} thread`,
  );
}
if (gymlab) {
  lines.push(
    `gymlab ${String(gymlab.frames).padStart(8)}  ${fmt(gymlab.seconds, 2).padStart(8)}  ${fmt(gymlab.fps).padStart(9)}  ${String(gymlab.opt_steps).padStart(10)}  ${String(gymlab.episodes).padStart(8)}  ${fmt(gymlab.return_ma).padStart(14)}  tfjs ${gymlab.backend} (${gymlab.versions?.tfjs ?? '?'}), Node ${gymlab.node}`,
  );
}
if (torch && gymlab) {
  lines.push('', `ratio gymlab/torch frames/s: ${(gymlab.fps / torch.fps).toFixed(3)}  (torch is ${(torch.fps / gymlab.fps).toFixed(2)}x gymlab)`);
}
process.stdout.write(lines.join('\n') + '\n');
