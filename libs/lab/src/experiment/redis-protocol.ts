/**
 * What travels through Redis between `gymlab-tune` (the search) and `gymlab-tune worker`
 * processes: a BullMQ job per trial (data: the trial's spec; return value: its sessions' metric
 * rows), `job.updateProgress(checkpoint)` for each checkpoint the trial reaches, and stop requests
 * on a pub/sub channel. Only metrics travel: workers write no files of their own.
 */
import { Redis } from 'ioredis';
import type { RemoteSessionRows, TrialCheckpoint } from './trial-run.js';
import type { Spec } from '@gymlab/spec';

export const DEFAULT_QUEUE = 'gymlab-tune';
export const JOB_FORMAT = 'gymlab-trial';

/** The pub/sub channel of stop requests for a queue. */
export const stopChannel = (queue: string): string => `${queue}:stop`;

export interface TrialJobData {
  readonly format: typeof JOB_FORMAT;
  readonly version: 1;
  readonly experiment: string;
  readonly trial: number;
  /** The trial's spec (validated again by the worker). */
  readonly spec: Spec;
}

export interface TrialJobResult {
  readonly finished: boolean;
  readonly frame: number;
  readonly lastValue: number | null;
  readonly framesUsed: number;
  readonly sessions: readonly RemoteSessionRows[];
}

export interface StopRequest {
  readonly jobId: string;
}

/** BullMQ job id of a trial's run: `<experiment>-t<trial>-r<resumes>` (BullMQ ids may not contain ':'). */
export const trialJobId = (experiment: string, trial: number, attempt: number): string => `${experiment}-t${trial}-r${attempt}`;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export function isTrialJobData(x: unknown): x is TrialJobData {
  return isObject(x) && x.format === JOB_FORMAT && x.version === 1 && typeof x.experiment === 'string' && Number.isInteger(x.trial) && isObject(x.spec) && typeof x.spec.name === 'string';
}

export function isTrialJobResult(x: unknown): x is TrialJobResult {
  return isObject(x) && typeof x.finished === 'boolean' && typeof x.frame === 'number' && typeof x.framesUsed === 'number' && Array.isArray(x.sessions);
}

export function isTrialCheckpoint(x: unknown): x is TrialCheckpoint {
  return isObject(x) && Number.isInteger(x.trial) && typeof x.frame === 'number' && (x.value === null || typeof x.value === 'number');
}

export function parseStopRequest(message: string): StopRequest | null {
  try {
    const x: unknown = JSON.parse(message);
    return isObject(x) && typeof x.jobId === 'string' ? { jobId: x.jobId } : null;
  } catch {
    return null;
  }
}

/** A `--redis` address that cannot be used: one line (bad input, exit 2). */
export class RedisAddressError extends Error {
  override readonly name = 'RedisAddressError';
}

/** Checks `redis://HOST:PORT[/DB]` (or rediss://) and returns it; throws `RedisAddressError` otherwise. */
export function checkRedisUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new RedisAddressError(`--redis ${url}: not a URL (allowed: redis://HOST:PORT)`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new RedisAddressError(`--redis ${url}: scheme ${u.protocol} (allowed: redis://HOST:PORT or rediss://HOST:PORT)`);
  if (u.hostname === '') throw new RedisAddressError(`--redis ${url}: no host (allowed: redis://HOST:PORT)`);
  return url;
}

/**
 * A connection for BullMQ (`maxRetriesPerRequest: null`, as its workers require), after checking
 * that the server answers PING within `timeoutMs`; `RedisAddressError` when it does not.
 */
export async function connectRedis(url: string, timeoutMs = 5000): Promise<Redis> {
  checkRedisUrl(url);
  const client = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, connectTimeout: timeoutMs, retryStrategy: () => null });
  client.on('error', () => {}); // reported through connect()/ping() below
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new RedisAddressError(`--redis ${url}: cannot connect (${(err as Error).message.split('\n')[0]})`);
  }
  // once connected, reconnect after a dropped connection
  client.options.retryStrategy = (times: number) => Math.min(times * 200, 2000);
  return client;
}
