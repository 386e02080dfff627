/**
 * Event file names: `events.out.tfevents.<10-digit seconds>.<hostname>.<pid>[suffix]`, as
 * TensorFlow names them (TensorBoard itself only requires `tfevents` in the name).
 */
import { EventWriterError } from './errors.js';

export const EVENT_FILE_PREFIX = 'events.out.tfevents.';

export interface EventFileNameParts {
  /** Seconds since the epoch; the integer part is written, zero-padded to 10 digits. */
  readonly seconds: number;
  readonly hostname: string;
  readonly pid: number;
  /** Appended as is, e.g. '.v2' or '.profile'; default ''. */
  readonly suffix?: string;
}

const UNSAFE = /[/\\\0]/;

/** `events.out.tfevents.<seconds padded to 10>.<hostname>.<pid><suffix>`. */
export function eventFileName(parts: EventFileNameParts): string {
  const { seconds, hostname, pid, suffix = '' } = parts;
  if (!(Number.isFinite(seconds) && seconds >= 0 && seconds < 1e10)) {
    throw new EventWriterError('invalid-argument', `event file name: seconds ${seconds} must be in [0, 1e10)`);
  }
  if (typeof hostname !== 'string' || hostname.length === 0 || UNSAFE.test(hostname)) {
    throw new EventWriterError('invalid-argument', `event file name: hostname '${String(hostname)}' must be non-empty, without '/', '\\' or NUL`);
  }
  if (!(Number.isSafeInteger(pid) && pid >= 0)) {
    throw new EventWriterError('invalid-argument', `event file name: pid ${pid} must be an integer >= 0`);
  }
  if (typeof suffix !== 'string' || UNSAFE.test(suffix)) {
    throw new EventWriterError('invalid-argument', `event file name: suffix '${String(suffix)}' must not contain '/', '\\' or NUL`);
  }
  return `${EVENT_FILE_PREFIX}${String(Math.floor(seconds)).padStart(10, '0')}.${hostname}.${pid}${suffix}`;
}

/** True for names TensorBoard loads as event files (they contain `tfevents`). */
export function isEventFileName(name: string): boolean {
  return name.includes('tfevents');
}
