/**
 * Recordings in Debian's Chromium (playwright-core): `gymlab enjoy RUN --record x.gif` writes an
 * animated GIF that the browser decodes (ImageDecoder) at the recorder's size with frames that
 * differ, and a train run with `--record-best` embeds its recording in report.html, where it loads.
 * Fails (does not skip) when Chromium is missing.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '@gymlab/cli-kit/testing';
import { DEMO, ensureBuilt, runCli, spawnCli, tempDir } from './test-utils/cli.js';

const CHROMIUM = '/usr/bin/chromium';

let browser: Browser;
let page: Page;
let runDir = '';
let data = '';

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`record browser test: ${CHROMIUM} is missing; install it (Debian: apt-get install -y chromium)`);
  ensureBuilt();
  data = tempDir('rec-data');
  const r = runCli(['run', DEMO, 'ppo_cartpole', 'dev', '-s', 'env.max_frame=600', '-s', 'meta.log_frequency=200', '--data-dir', data, '--no-tensorboard', '--record-best'], { timeout: 240_000 });
  if (r.code !== 0) throw new Error(`run failed (${r.code}): ${r.stderr}`);
  runDir = join(data, readdirSync(data)[0]);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  page = await browser.newPage();
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

interface Decoded {
  readonly type: string;
  readonly frames: number;
  readonly width: number;
  readonly height: number;
  /** Pixels that differ between the first and the last frame. */
  readonly changed: number;
}

/**
 * Decodes a GIF in the page with ImageDecoder and compares its first and last frames on a canvas
 * (page code as text: the tests' TypeScript has no DOM types).
 */
const decodeGif = new Function(
  'b64',
  `return (async () => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const decoder = new ImageDecoder({ data: bytes, type: 'image/gif' });
    await decoder.tracks.ready;
    const frames = decoder.tracks.selectedTrack.frameCount;
    const pixels = async (i) => {
      const { image } = await decoder.decode({ frameIndex: i });
      const canvas = new OffscreenCanvas(image.displayWidth, image.displayHeight);
      const ctx = canvas.getContext('2d');
      ctx.drawImage(image, 0, 0);
      image.close();
      return { data: ctx.getImageData(0, 0, canvas.width, canvas.height).data, w: canvas.width, h: canvas.height };
    };
    const first = await pixels(0);
    const last = await pixels(frames - 1);
    let changed = 0;
    for (let i = 0; i < first.data.length; i += 4) if (first.data[i] !== last.data[i] || first.data[i + 1] !== last.data[i + 1]) changed++;
    return { type: decoder.type, frames, width: first.w, height: first.h, changed };
  })();`,
) as (b64: string) => Promise<Decoded>;

/** Decodes on a file: page (ImageDecoder exists only in secure contexts, which about:blank is not). */
async function decodeInBrowser(gif: Uint8Array): Promise<Decoded> {
  const blank = join(tempDir('rec-page'), 'blank.html');
  writeFileSync(blank, '<!DOCTYPE html><title>decode</title>');
  await page.goto(pathToFileURL(blank).href);
  return page.evaluate(decodeGif, Buffer.from(gif).toString('base64'));
}

describe('gymlab enjoy --record', () => {
  it('writes a GIF Chromium decodes: 300 x 200 CartPole frames, one per step, that differ', async () => {
    const out = join(tempDir('rec-out'), 'cartpole.gif');
    const r = runCli(['enjoy', runDir, '--episodes', '1', '--record', out]);
    expect(r.code, r.stderr).toBe(0);
    const frames = Number(/recorded: .*cartpole\.gif \((\d+) frames, 300x200\)/.exec(r.stdout)?.[1]);
    const ret = Number(/episode 1: return (\S+)/.exec(r.stdout)?.[1]);
    expect(frames).toBe(ret + 1); // CartPole: reward 1 per step; a frame after reset and after each step
    const decoded = await decodeInBrowser(new Uint8Array(readFileSync(out)));
    expect(decoded).toMatchObject({ type: 'image/gif', frames, width: 300, height: 200 });
    expect(decoded.changed).toBeGreaterThan(50);
  }, 300_000);

  it('refuses a bad target in one line, exit 2, writing nothing', () => {
    const dir = tempDir('rec-bad');
    const existing = join(dir, 'taken.gif');
    writeFileSync(existing, 'x');
    const cases: [string, RegExp][] = [
      [join(dir, 'x.png'), /must end in \.gif, \.mp4 or \.webm/],
      [existing, /the file exists/],
      [join(dir, 'missing', 'x.gif'), /does not exist/],
    ];
    for (const [target, message] of cases) {
      const r = runCli(['enjoy', runDir, '--episodes', '1', '--record', target]);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.code).toBe(2);
    }
    expect(readdirSync(dir)).toEqual(['taken.gif']);
    expect(readFileSync(existing, 'utf8')).toBe('x');
  }, 300_000);

  it('.mp4 pipes raw RGBA frames to the ffmpeg on PATH and renames its output; without ffmpeg, one line and exit 2', () => {
    const bin = tempDir('rec-fake-ffmpeg');
    // a stand-in ffmpeg: answers -version, otherwise copies stdin to its last argument
    writeFileSync(join(bin, 'ffmpeg'), '#!/bin/sh\n[ "$1" = "-version" ] && exit 0\nfor a; do out="$a"; done\ncat > "$out"\n', { mode: 0o755 });
    const dir = tempDir('rec-mp4');
    const path = process.env.PATH;
    try {
      process.env.PATH = `${bin}:${path ?? ''}`;
      const r = runCli(['enjoy', runDir, '--episodes', '1', '--record', join(dir, 'x.mp4')]);
      expect(r.code, r.stderr).toBe(0);
      const frames = Number(/recorded: .*x\.mp4 \((\d+) frames, 300x200\)/.exec(r.stdout)?.[1]);
      expect(frames).toBeGreaterThan(1);
      expect(readdirSync(dir)).toEqual(['x.mp4']);
      expect(readFileSync(join(dir, 'x.mp4')).length).toBe(frames * 300 * 200 * 4);
      process.env.PATH = '/nonexistent';
      const none = runCli(['enjoy', runDir, '--episodes', '1', '--record', join(dir, 'y.webm')]);
      expect(none.stderr).toMatch(/--record .*y\.webm: \.webm needs ffmpeg on PATH, which was not found; record a \.gif instead/);
      expect(none.code).toBe(2);
    } finally {
      process.env.PATH = path;
    }
  }, 300_000);

  it('refuses --record-best for an env it cannot draw before making a folder', () => {
    const dir = tempDir('rec-mujoco');
    const r = runCli(['run', DEMO, 'ppo_cartpole', 'dev', '-s', 'env.name=InvertedPendulum-v5', '--data-dir', dir, '--record-best']);
    expect(r.stderr).toMatch(/--record-best: InvertedPendulum-v5 cannot be drawn/);
    expect(r.code).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  }, 300_000);
});

describe('gymlab enjoy on long plays (issue 13: --episodes 1e9 ran with no progress line)', () => {
  it('prints each episode as it ends, and bounds --episodes', async () => {
    const child = spawnCli(['enjoy', runDir, '--episodes', '1000000']);
    const out = collect(child);
    await out.waitFor(/episode 2: return \d/);
    expect(child.exitCode).toBeNull(); // still playing: the lines came before the end
    child.kill('SIGTERM');
    await out.exit;
    const r = runCli(['enjoy', runDir, '--episodes', '1e9']);
    expect(r.stderr).toMatch(/^gymlab: enjoy: episodes must be an integer from 1 to 1000000 \(got 1000000000\)\n$/);
    expect(r.code).toBe(2);
  }, 300_000);
});

describe('train --record-best', () => {
  it("embeds the best checkpoint's recording in report.html, where Chromium loads it", async () => {
    expect(existsSync(join(runDir, 'recording.gif'))).toBe(true);
    await page.goto(pathToFileURL(join(runDir, 'report.html')).href, { waitUntil: 'load' });
    const img: unknown = await page.evaluate("(() => { const el = document.getElementById('recording'); return el === null ? null : { complete: el.complete, width: el.naturalWidth, height: el.naturalHeight }; })()");
    expect(img).toEqual({ complete: true, width: 300, height: 200 });
  });
});
