// What the Node scripts of tools/ share: option parsing with one-line errors, checked numeric
// options, loading the built gymlab libs, the median and a CPU-time timer.
import { parseArgs } from 'node:util';

/**
 * The command-line helpers of one script. Every failure is one line `script: message` on stderr
 * and exit code 2 (bad arguments) unless told otherwise.
 */
export function benchCli(script, usage) {
  const fail = (message, code = 2) => {
    process.stderr.write(`${script}: ${message}\n`);
    process.exit(code);
  };
  return {
    fail,
    /** `parseArgs({ options, strict: true }).values`, or the error and the usage line. */
    parse(options) {
      try {
        return parseArgs({ options, strict: true }).values;
      } catch (err) {
        return fail(`${err.message}\n${usage}`);
      }
    },
    /** Option `name` of `args` as an integer >= `min` (1: positive, 0: non-negative). */
    int(args, name, min) {
      const n = Number(args[name]);
      if (!Number.isInteger(n) || n < min) fail(`--${name} must be a ${min > 0 ? 'positive' : 'non-negative'} integer, got "${args[name]}"`);
      return n;
    },
    /** `--backend`: undefined (the spec's) or one of `allowed` (the CPU backends; `fast` where the tool runs it). */
    backend(args, allowed = ['wasm', 'cpu']) {
      if (args.backend !== undefined && !allowed.includes(args.backend)) fail(`--backend must be one of ${allowed.join(', ')}, got "${args.backend}"`);
      return args.backend;
    },
    /** `import(name)`, or exit 3 saying to build the libs. */
    async importLib(name) {
      try {
        return await import(name);
      } catch (err) {
        return fail(`cannot load ${name} (${err.message.split('\n')[0]}); build the libs first: npx tsc -b libs/lab`, 3);
      }
    },
    /** `loadSpec(file, name, { sets })`, or its one-line error. */
    loadSpec(loadSpec, file, name, sets) {
      try {
        return loadSpec(file, name, { sets });
      } catch (err) {
        return fail(err.message);
      }
    },
  };
}

/** A seeded uniform [-0.5, 0.5) stream (mulberry32), for benchmark inputs and initial weights. */
export function seededUniform(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

/** Median of a non-empty list of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Mean CPU (user + system) and wall microseconds of fn over n calls, after a warm-up of n / 20 calls (at least 3). */
export function timed(fn, n) {
  for (let i = 0; i < Math.max(3, n / 20); i++) fn();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / n, wall: ((performance.now() - t0) * 1e3) / n };
}

/**
 * The options every session tool takes: the spec (`--spec-file`, default `specFile`; `--spec-name`,
 * default `specName`), `--backend`, and the internal `--child` its fresh Node processes receive.
 */
export function sessionToolOptions(specFile, specName = 'ppo_cartpole') {
  return {
    'spec-file': { type: 'string', default: specFile },
    'spec-name': { type: 'string', default: specName },
    backend: { type: 'string' },
    child: { type: 'string' },
  };
}
