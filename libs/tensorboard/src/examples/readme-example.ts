import { EventWriter, discreteHistogram, readEventDir, scalarsByTag } from '../index.js';

/** One session's TensorBoard log: metrics rows, a weight histogram, action counts, the spec, hparams. */
export function readmeExample(logDir: string): { returns: number[]; weightCount: number; status: string | undefined } {
  let clock = 1_700_000_000; // injectable clock, seconds (default: Date.now() / 1000)
  const tb = EventWriter.create(logDir, { nowSeconds: () => clock, hostname: 'lab', pid: 1 });
  tb.hparamsSessionStart({ hparams: { algorithm: 'PPO', lr: 3e-4, normalize: true }, groupName: 'trial_0' });
  tb.text('spec', '```json\n{ "agent": { "algorithm": "PPO" } }\n```', 0);

  const weights = new Float32Array(10_000).map((_, i) => Math.sin(i) * 0.1);
  for (let frame = 1000; frame <= 3000; frame += 1000) {
    clock += 10;
    tb.scalars({ return: frame / 100, loss: 1 / frame }, frame); // one event per metrics row
    tb.histogram('net/layer0.weight', weights, frame);
    tb.histogramFromCounts('actions', discreteHistogram([frame / 10, frame / 5]), frame);
  }
  tb.hparamsSessionEnd({ status: 'success' });
  tb.closeSync(); // or await tb.close(); buffered events also flush every 2 s and at 1 MiB

  const events = readEventDir(logDir); // every record's CRCs checked
  const returns = (scalarsByTag(events).get('return') ?? []).map((p) => p.value);
  const weightCount = events.find((e) => e.summary?.[0].tag === 'net/layer0.weight')?.summary?.[0].histo?.num ?? 0;
  const end = events.find((e) => e.summary?.[0].tag === '_hparams_/session_end_info');
  return { returns, weightCount, status: end?.summary?.[0].metadata?.hparams?.sessionEndInfo?.status };
}
