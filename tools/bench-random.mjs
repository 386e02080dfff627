// Draws per second of @gymlab/random's Rng (numpy's PCG64), from the built dist.
// Usage: npx tsc -b libs/random && node tools/bench-random.mjs [draws]
import { Rng } from '../libs/random/dist/index.js';

const n = Number(process.argv[2] ?? 2e7);
const cases = {
  'random()': (r) => r.random(),
  'uniform(-0.05, 0.05)': (r) => r.uniform(-0.05, 0.05),
  'nextUint32()': (r) => r.nextUint32(),
  'int(10)': (r) => r.int(10),
  'normal()': (r) => r.normal(),
};

for (const [name, draw] of Object.entries(cases)) {
  const rng = new Rng(0);
  let sink = 0;
  for (let i = 0; i < 1e6; i++) sink += draw(rng); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink += draw(rng);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${name.padEnd(22)} ${(n / s / 1e6).toFixed(1).padStart(6)} M draws/s  (${n} draws, ${s.toFixed(2)} s, checksum ${sink.toFixed(3)})`);
}
