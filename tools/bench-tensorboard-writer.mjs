#!/usr/bin/env node
// Time per EventWriter call. Build first (npx tsc -b libs/tensorboard), then:
//   nice -n 19 node tools/bench-tensorboard-writer.mjs
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventWriter, computeHistogram } from '@gymlab/tensorboard';

const dir = mkdtempSync(join(tmpdir(), 'gymlab-tb-bench-'));
const w = EventWriter.create(dir); // default buffering: 2 s interval, 1 MiB
const tags = Array.from({ length: 15 }, (_, i) => `metric_${i}`);

/** Mean microseconds per call of fn over n calls, after a warm-up. */
function time(label, n, fn) {
  for (let i = 0; i < Math.min(n, 2000); i++) fn(i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  const us = Number(process.hrtime.bigint() - t0) / n / 1000;
  console.log(`${label.padEnd(44)} ${us.toFixed(2).padStart(9)} us`);
}

time('scalar (incl. amortized file appends)', 200_000, (i) => w.scalar(tags[i % 15], i * 0.5, i));
time('15 x scalar (one metrics row)', 20_000, (i) => { for (const t of tags) w.scalar(t, i, i); });
const row = Object.fromEntries(tags.map((t, i) => [t, i]));
time('scalars(row of 15)', 50_000, (i) => w.scalars(row, i));
const weights = new Float32Array(10_000).map((_, i) => Math.sin(i * 0.37) * 0.05);
time('histogram of 10k float32', 3000, (i) => w.histogram('w', weights, i));
const scratch = new Float64Array(1551);
time('computeHistogram of 10k float32 (no encode)', 3000, () => computeHistogram(weights, { scratch }));
const big = new Float32Array(1_000_000).map((_, i) => Math.sin(i * 0.37));
time('histogram of 1M float32', 20, (i) => w.histogram('big', big, i));
w.closeSync();
console.log(`event file: ${(statSync(w.filePath).size / 1e6).toFixed(1)} MB`);
rmSync(dir, { recursive: true, force: true });
