/**
 * A Python child process spoken to synchronously (gymlab's `Env`/`VectorEnv` are synchronous).
 * Requests and replies go through two named pipes that this thread reads and writes with blocking
 * calls (about 30 us a round trip, against about 1 ms through Node's asynchronous pipes and a
 * thread hop). A small worker thread owns the process: it spawns it, keeps its stderr's tail,
 * reports its exit, and is the watchdog: a request not answered within its timeout gets the child
 * killed, which ends the blocking read with end-of-file.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** What went wrong with the child, for `GymnasiumBridgeError`. */
export type ChildFault =
  | { readonly kind: 'no-python'; readonly message: string }
  | { readonly kind: 'crashed'; readonly message: string; readonly stderr: string }
  | { readonly kind: 'timeout'; readonly message: string; readonly stderr: string };

export class ChildFaultError extends Error {
  override readonly name = 'ChildFaultError';
  constructor(readonly fault: ChildFault) {
    super(fault.message);
  }
}

type WorkerEvent =
  | { readonly kind: 'pid'; readonly pid: number }
  | { readonly kind: 'spawn-error'; readonly code: string; readonly message: string }
  | { readonly kind: 'exit'; readonly code: number | null; readonly signal: string | null; readonly stderr: string };

/** Slots of the shared control array. */
const EVENTS = 0; // bumped by the worker after each event it posts
const IN_FLIGHT = 1; // 1 while this thread waits for the child
const TIMEOUT_MS = 2; // the current wait's limit
const OPENED = 3; // 1 once this thread holds the reply pipe open
const TIMED_OUT = 4; // set by the watchdog when it killed the child

/** The worker: spawn, keep stderr's tail, watch the time, report the exit, unblock a pending open of the reply pipe. */
const WORKER_SOURCE = `
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const { workerData } = require('node:worker_threads');
const { command, args, env, ctl, clock, port, replyPipe } = workerData;
const post = (m) => { port.postMessage(m); Atomics.add(ctl, ${EVENTS}, 1); Atomics.notify(ctl, ${EVENTS}); };
let tail = '';
const unblock = () => {
  const t = setInterval(() => {
    if (Atomics.load(ctl, ${OPENED}) === 1) return clearInterval(t);
    try { fs.closeSync(fs.openSync(replyPipe, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK)); clearInterval(t); } catch {}
  }, 5);
};
const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
const watch = setInterval(() => {
  if (Atomics.load(ctl, ${IN_FLIGHT}) === 1 && Date.now() - clock[0] > Atomics.load(ctl, ${TIMEOUT_MS})) {
    Atomics.store(ctl, ${TIMED_OUT}, 1);
    try { child.kill('SIGKILL'); } catch {}
  }
}, 20);
child.on('error', (e) => { clearInterval(watch); post({ kind: 'spawn-error', code: String(e.code || ''), message: e.message }); unblock(); });
if (child.pid !== undefined) post({ kind: 'pid', pid: child.pid });
child.stderr.on('data', (d) => { tail = (tail + d.toString('utf8')).slice(-8192); });
child.on('close', (code, signal) => { clearInterval(watch); post({ kind: 'exit', code, signal, stderr: tail }); unblock(); });
port.on('message', (m) => { if (m.kind === 'kill') { try { child.kill('SIGKILL'); } catch {} } });
`;

export interface ChildOptions {
  readonly command: string;
  /** Arguments before the two pipe paths (request, reply), which are appended. */
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Longest wait for the child to open its pipes, ms. */
  readonly startTimeoutMs: number;
}

/** The last non-empty line of a stderr tail ('' if none). */
export function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return lines.at(-1) ?? '';
}

export class SyncChild {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly ctl = new Int32Array(new SharedArrayBuffer(4 * 5));
  private readonly clock = new Float64Array(new SharedArrayBuffer(8));
  /** Folder of the two named pipes, removed once both sides have opened them. */
  private readonly dir: string;
  private requestFd: number | null = null;
  private replyFd: number | null = null;
  private pid: number | null = null;
  private exited: (WorkerEvent & { kind: 'exit' }) | null = null;
  private spawnError: (WorkerEvent & { kind: 'spawn-error' }) | null = null;
  private fault: ChildFaultError | null = null;

  constructor(opts: ChildOptions) {
    this.dir = mkdtempSync(join(tmpdir(), 'gymlab-bridge-'));
    const requestPipe = join(this.dir, 'request');
    const replyPipe = join(this.dir, 'reply');
    try {
      execFileSync('mkfifo', ['-m', '600', requestPipe, replyPipe], { stdio: 'ignore' });
    } catch (err) {
      rmSync(this.dir, { recursive: true, force: true });
      throw new ChildFaultError({ kind: 'no-python', message: `cannot make its named pipes with mkfifo (${(err as Error).message.split('\n')[0]})` });
    }
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { command: opts.command, args: [...opts.args, requestPipe, replyPipe], env: { ...opts.env }, ctl: this.ctl, clock: this.clock, port: port2, replyPipe },
      transferList: [port2],
      stdout: false,
      stderr: false,
    });
    this.worker.unref();
    // read-write: opening does not wait for the child, and its death never makes a write fail
    this.requestFd = openSync(requestPipe, constants.O_RDWR);
    this.inFlight(opts.startTimeoutMs);
    this.replyFd = openSync(replyPipe, constants.O_RDONLY); // returns when the child opens it (or the worker gives up on it)
    Atomics.store(this.ctl, OPENED, 1);
    Atomics.store(this.ctl, IN_FLIGHT, 0);
    // both ends hold the pipes open now: their names are no longer needed, and nothing is left behind
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Sends one message (already framed). */
  send(bytes: Uint8Array): void {
    if (this.requestFd === null || this.fault !== null) return;
    let off = 0;
    while (off < bytes.length) off += writeSync(this.requestFd, bytes, off, bytes.length - off);
  }

  /** The next message's bytes (type byte first); throws `ChildFaultError` on exit, spawn failure or timeout. */
  receive(timeoutMs: number): Uint8Array {
    if (this.fault !== null) throw this.fault;
    this.inFlight(timeoutMs);
    try {
      const head = this.readExactly(4);
      const length = head === null ? 0 : new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true);
      const body = head === null ? null : this.readExactly(length);
      if (body !== null && length > 0) return body;
    } finally {
      Atomics.store(this.ctl, IN_FLIGHT, 0);
    }
    throw this.failed();
  }

  /** Kills the child (SIGKILL) and waits briefly for its exit; returns stderr's tail. */
  kill(): string {
    if (this.exited === null && this.spawnError === null) {
      this.port.postMessage({ kind: 'kill' });
      this.drainUntilExit(3000);
    }
    return this.exited?.stderr ?? '';
  }

  /** Closes the request pipe (the child exits on end-of-file); kills the child if it has not exited within `graceMs`. */
  close(graceMs = 2000): void {
    this.closeFd('requestFd');
    this.drainUntilExit(graceMs);
    if (this.exited === null && this.spawnError === null) this.kill();
    this.closeFd('replyFd');
    void this.worker.terminate();
    this.port.close();
  }

  /** The child's process id (null until it started). */
  get processId(): number | null {
    this.drainUntilExit(0);
    return this.pid;
  }

  private inFlight(timeoutMs: number): void {
    Atomics.store(this.ctl, TIMEOUT_MS, Math.max(1, Math.min(2 ** 31 - 1, Math.round(timeoutMs))));
    this.clock[0] = Date.now();
    Atomics.store(this.ctl, IN_FLIGHT, 1);
  }

  /** `n` bytes from the reply pipe, or null at end-of-file (the child is gone). */
  private readExactly(n: number): Uint8Array | null {
    if (this.replyFd === null) return null;
    const out = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      const k = readSync(this.replyFd, out, got, n - got, null);
      if (k === 0) return null;
      got += k;
    }
    return out;
  }

  /** The fault after end-of-file on the reply pipe: the spawn failed, the watchdog killed the child, or it exited. */
  private failed(): ChildFaultError {
    this.drainUntilExit(3000);
    const stderr = this.exited?.stderr ?? '';
    const limit = Atomics.load(this.ctl, TIMEOUT_MS);
    if (this.spawnError !== null) {
      const e = this.spawnError;
      this.fault = new ChildFaultError({ kind: 'no-python', message: e.code === 'ENOENT' ? 'not found' : e.message });
    } else if (Atomics.load(this.ctl, TIMED_OUT) === 1) {
      this.fault = new ChildFaultError({ kind: 'timeout', message: `no answer within ${limit / 1000} s; killed it`, stderr });
    } else {
      this.fault = new ChildFaultError({ kind: 'crashed', message: this.exited === null ? 'closed its pipe' : exitText(this.exited), stderr });
    }
    return this.fault;
  }

  private closeFd(which: 'requestFd' | 'replyFd'): void {
    const fd = this[which];
    if (fd === null) return;
    this[which] = null;
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  }

  private note(ev: WorkerEvent): void {
    if (ev.kind === 'pid') this.pid = ev.pid;
    else if (ev.kind === 'exit') this.exited = ev;
    else this.spawnError = ev;
  }

  private drainUntilExit(ms: number): void {
    const deadline = Date.now() + ms;
    for (;;) {
      const seen = Atomics.load(this.ctl, EVENTS);
      let got = receiveMessageOnPort(this.port);
      while (got !== undefined) {
        this.note(got.message as WorkerEvent);
        got = receiveMessageOnPort(this.port);
      }
      const left = deadline - Date.now();
      if (this.exited !== null || this.spawnError !== null || left <= 0) return;
      Atomics.wait(this.ctl, EVENTS, seen, left);
    }
  }
}

function exitText(e: { readonly code: number | null; readonly signal: string | null }): string {
  return e.signal !== null ? `exited on signal ${e.signal}` : `exited with code ${e.code ?? '?'}`;
}
