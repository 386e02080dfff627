/**
 * Recording an agent: each frame of an env drawn as SVG (`renderSvg` of @gymlab/envs), rasterised
 * with resvg, and encoded as an animated GIF (gifenc, in this process) or, for `.mp4`/`.webm`, piped
 * as raw RGBA frames to `ffmpeg` when it is on PATH. The file is written whole (temp file, rename)
 * and never over an existing one.
 */
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- gifenc ships no types; this brings its declaration to every program that compiles this file (the tests' too)
/// <reference path="../types/gifenc.d.ts" />
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import gifenc from 'gifenc';
import { checkRenderable, renderFps, renderSvg } from '@gymlab/envs';
import type { Env } from '@gymlab/envs';
import { PreflightError } from '../run/check-spec.js';
import { writeFileAtomic } from '../run/fs-utils.js';

export type RecordFormat = 'gif' | 'mp4' | 'webm';

export const RECORD_FORMATS: readonly RecordFormat[] = ['gif', 'mp4', 'webm'];

/** Width of recorded frames in pixels (height keeps the env's aspect ratio). */
export const RECORD_WIDTH = 300;

/** Frames recorded at most (later frames are played, not recorded); a CartPole episode is 500. */
export const MAX_RECORD_FRAMES = 5000;

/** `enjoy --episodes` at most. */
export const MAX_ENJOY_EPISODES = 1_000_000;

export interface RecordTarget {
  readonly file: string;
  readonly format: RecordFormat;
}

/** The ffmpeg on PATH, or null. */
export function findFfmpeg(): string | null {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore', timeout: 10_000 });
    return 'ffmpeg';
  } catch {
    return null;
  }
}

/**
 * Checks where a recording goes, before anything is played: a known extension, a folder that
 * exists, no file there yet, and ffmpeg for video. One `PreflightError` line otherwise.
 */
export function recordTarget(path: string): RecordTarget {
  const file = resolve(path);
  const ext = extname(file).slice(1).toLowerCase();
  if (!(RECORD_FORMATS as readonly string[]).includes(ext)) throw new PreflightError(`--record ${path}: the file must end in .gif, .mp4 or .webm`);
  const format = ext as RecordFormat;
  const dir = dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new PreflightError(`--record ${path}: folder ${dir} does not exist`);
  if (existsSync(file)) throw new PreflightError(`--record ${path}: the file exists (recordings are never overwritten)`);
  if (format !== 'gif' && findFfmpeg() === null) throw new PreflightError(`--record ${path}: .${format} needs ffmpeg on PATH, which was not found; record a .gif instead`);
  return { file, format };
}

/** Receives RGBA frames; `finish` writes the file. */
interface FrameSink {
  add(rgba: Uint8Array, width: number, height: number): void;
  finish(): Promise<void>;
}

class GifSink implements FrameSink {
  private readonly gif = gifenc.GIFEncoder();
  constructor(
    private readonly file: string,
    private readonly delayMs: number,
  ) {}
  add(rgba: Uint8Array, width: number, height: number): void {
    const palette = gifenc.quantize(rgba, 256);
    this.gif.writeFrame(gifenc.applyPalette(rgba, palette), width, height, { palette, delay: this.delayMs });
  }
  finish(): Promise<void> {
    this.gif.finish();
    writeFileAtomic(this.file, this.gif.bytes());
    return Promise.resolve();
  }
}

class FfmpegSink implements FrameSink {
  private readonly tmp: string;
  private child: ReturnType<typeof spawn> | null = null;
  private closed: Promise<number> | null = null;
  constructor(
    private readonly file: string,
    private readonly format: 'mp4' | 'webm',
    private readonly fps: number,
  ) {
    this.tmp = `${file}.tmp-${process.pid}.${format}`;
  }
  add(rgba: Uint8Array, width: number, height: number): void {
    if (this.child === null) {
      const codec = this.format === 'mp4' ? ['-c:v', 'libx264', '-pix_fmt', 'yuv420p'] : ['-c:v', 'libvpx-vp9'];
      const args = ['-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${width}x${height}`, '-r', String(this.fps), '-i', '-', ...codec, '-y', this.tmp];
      const child = spawn('ffmpeg', args, { stdio: ['pipe', 'ignore', 'ignore'] });
      this.closed = new Promise((done) => {
        child.on('close', (code) => done(code ?? 1));
        child.on('error', () => done(1));
      });
      this.child = child;
    }
    this.child.stdin?.write(rgba);
  }
  async finish(): Promise<void> {
    if (this.child === null || this.closed === null) throw new Error('record: no frames to encode');
    this.child.stdin?.end();
    const code = await this.closed;
    if (code !== 0) {
      rmSync(this.tmp, { force: true });
      throw new Error(`record: ffmpeg exited with ${code} encoding ${this.file}`);
    }
    renameSync(this.tmp, this.file);
  }
}

export interface RecorderInfo {
  readonly file: string;
  readonly format: RecordFormat;
  readonly frames: number;
  readonly width: number;
  readonly height: number;
  /** Frames were left out past `MAX_RECORD_FRAMES`. */
  readonly truncated: boolean;
}

/** Draws `env` at each `capture()` into a GIF or video. */
export class Recorder {
  private readonly sink: FrameSink;
  private frames = 0;
  private width = 0;
  private height = 0;
  private truncated = false;

  constructor(
    private readonly target: RecordTarget,
    private readonly env: Env,
    private readonly maxFrames: number = MAX_RECORD_FRAMES,
  ) {
    const fps = renderFps(env);
    this.sink = target.format === 'gif' ? new GifSink(target.file, Math.round(1000 / fps)) : new FfmpegSink(target.file, target.format, fps);
    checkRenderable(env); // an env that cannot be drawn is refused before anything is played
  }

  /** Adds the env's current frame. */
  capture(): void {
    if (this.frames >= this.maxFrames) {
      this.truncated = true;
      return;
    }
    const image = new Resvg(renderSvg(this.env), { fitTo: { mode: 'width', value: RECORD_WIDTH }, font: { loadSystemFonts: false }, logLevel: 'off' }).render();
    this.width = image.width;
    this.height = image.height;
    this.sink.add(new Uint8Array(image.pixels.buffer, image.pixels.byteOffset, image.pixels.byteLength), image.width, image.height);
    this.frames++;
  }

  async finish(): Promise<RecorderInfo> {
    await this.sink.finish();
    return { file: this.target.file, format: this.target.format, frames: this.frames, width: this.width, height: this.height, truncated: this.truncated };
  }
}
