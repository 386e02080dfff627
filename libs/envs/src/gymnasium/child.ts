/**
 * A Python child process spoken to synchronously. Gymlab's `Env`/`VectorEnv` are synchronous, so a
 * small worker thread owns the child's pipes and hands each complete message to this thread
 * through a `MessageChannel`; this thread blocks in `Atomics.wait` with a timeout until the reply
 * (or the child's exit) arrives. A child that does not answer in time is killed.
 */
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
  | { readonly kind: 'frame'; readonly data: Uint8Array }
  | { readonly kind: 'spawn-error'; readonly code: string; readonly message: string }
  | { readonly kind: 'exit'; readonly code: number | null; readonly signal: string | null; readonly stderr: string };

/** The worker: spawn, relay whole frames out, write requests in, report the exit with stderr's tail. */
const WORKER_SOURCE = `
const { spawn } = require('node:child_process');
const { workerData } = require('node:worker_threads');
const { command, args, env, ctl, port } = workerData;
const post = (m, transfer) => { port.postMessage(m, transfer || []); Atomics.add(ctl, 0, 1); Atomics.notify(ctl, 0); };
let tail = '';
let buf = Buffer.alloc(0);
const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
child.on('error', (e) => post({ kind: 'spawn-error', code: String(e.code || ''), message: e.message }));
if (child.pid !== undefined) post({ kind: 'pid', pid: child.pid });
child.stdin.on('error', () => {});
child.stderr.on('data', (d) => { tail = (tail + d.toString('utf8')).slice(-8192); });
child.stdout.on('data', (d) => {
  buf = buf.length ? Buffer.concat([buf, d]) : d;
  while (buf.length >= 4) {
    const len = buf.readUInt32LE(0);
    if (buf.length < 4 + len) break;
    const data = new Uint8Array(len);
    data.set(buf.subarray(4, 4 + len));
    buf = buf.subarray(4 + len);
    post({ kind: 'frame', data }, [data.buffer]);
  }
});
child.on('close', (code, signal) => post({ kind: 'exit', code, signal, stderr: tail }));
port.on('message', (m) => {
  if (m.kind === 'send') child.stdin.write(Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength));
  else if (m.kind === 'end') child.stdin.end();
  else if (m.kind === 'kill') { try { child.kill('SIGKILL'); } catch {} }
});
`;

export interface ChildOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** The last non-empty line of a stderr tail ('' if none). */
export function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  return lines.at(-1) ?? '';
}

export class SyncChild {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly ctl = new Int32Array(new SharedArrayBuffer(4));
  private pid: number | null = null;
  private exited: (WorkerEvent & { kind: 'exit' }) | null = null;
  private spawnError: (WorkerEvent & { kind: 'spawn-error' }) | null = null;
  /** Messages that arrived while waiting for something else. */
  private readonly frames: Uint8Array[] = [];

  constructor(opts: ChildOptions) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { command: opts.command, args: [...opts.args], env: { ...opts.env }, ctl: this.ctl, port: port2 },
      transferList: [port2],
      stdout: false,
      stderr: false,
    });
    this.worker.unref();
  }

  /** Sends one message (already framed). */
  send(bytes: Uint8Array): void {
    if (this.exited !== null || this.spawnError !== null) return;
    this.port.postMessage({ kind: 'send', data: bytes });
  }

  /** The next message's bytes (type byte first); throws `ChildFaultError` on exit, spawn failure or timeout. */
  receive(timeoutMs: number): Uint8Array {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.ctl, 0);
      const queued = this.frames.shift();
      if (queued !== undefined) return queued;
      const got = receiveMessageOnPort(this.port);
      if (got !== undefined) {
        this.note(got.message as WorkerEvent);
        continue;
      }
      if (this.spawnError !== null) {
        const e = this.spawnError;
        throw new ChildFaultError({ kind: 'no-python', message: e.code === 'ENOENT' ? 'not found' : e.message });
      }
      if (this.exited !== null) throw new ChildFaultError({ kind: 'crashed', message: exitText(this.exited), stderr: this.exited.stderr });
      const left = deadline - Date.now();
      if (left <= 0) {
        const stderr = this.kill();
        throw new ChildFaultError({ kind: 'timeout', message: `no answer within ${timeoutMs / 1000} s; killed it`, stderr });
      }
      Atomics.wait(this.ctl, 0, seen, left);
    }
  }

  /** Kills the child (SIGKILL) and waits briefly for its exit; returns stderr's tail. */
  kill(): string {
    if (this.pid !== null && this.exited === null) {
      try {
        process.kill(this.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.drainUntilExit(2000);
    void this.worker.terminate();
    return this.exited?.stderr ?? '';
  }

  /** Closes stdin (the child exits on EOF); kills it if it has not exited within `graceMs`. */
  close(graceMs = 2000): void {
    if (this.exited === null && this.spawnError === null) {
      this.port.postMessage({ kind: 'end' });
      this.drainUntilExit(graceMs);
    }
    if (this.exited === null && this.spawnError === null) this.kill();
    else void this.worker.terminate();
    this.port.close();
  }

  /** The child's process id (null until it started). */
  get processId(): number | null {
    this.drainUntilExit(0);
    return this.pid;
  }

  private note(ev: WorkerEvent): void {
    if (ev.kind === 'frame') this.frames.push(ev.data);
    else if (ev.kind === 'pid') this.pid = ev.pid;
    else if (ev.kind === 'exit') this.exited = ev;
    else if (ev.kind === 'spawn-error') this.spawnError = ev;
  }

  private drainUntilExit(ms: number): void {
    const deadline = Date.now() + ms;
    for (;;) {
      const seen = Atomics.load(this.ctl, 0);
      let got = receiveMessageOnPort(this.port);
      while (got !== undefined) {
        this.note(got.message as WorkerEvent);
        got = receiveMessageOnPort(this.port);
      }
      const left = deadline - Date.now();
      if (this.exited !== null || this.spawnError !== null || left <= 0) return;
      Atomics.wait(this.ctl, 0, seen, left);
    }
  }
}

function exitText(e: { readonly code: number | null; readonly signal: string | null }): string {
  return e.signal !== null ? `exited on signal ${e.signal}` : `exited with code ${e.code ?? '?'}`;
}
