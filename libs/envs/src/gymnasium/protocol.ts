/**
 * The bridge's wire format (PROTOCOL.md beside this file): length-prefixed messages, JSON for the
 * handshake and errors, raw little-endian typed buffers for observations, actions and rewards.
 */

export const MSG = {
  make: 0x01,
  reset: 0x02,
  step: 0x03,
  close: 0x04,
  list: 0x05,
  spaces: 0x81,
  obs: 0x82,
  stepped: 0x83,
  listed: 0x84,
  error: 0xff,
} as const;

/** Dtype codes of array blocks. */
export const DTYPES = ['', 'float32', 'float64', 'uint8', 'int8', 'int16', 'int32', 'int64', 'bool', 'uint16', 'uint32'] as const;
const ITEM_SIZE: Readonly<Record<string, number>> = {
  float32: 4,
  float64: 8,
  uint8: 1,
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  bool: 1,
  uint16: 2,
  uint32: 4,
};

/** A decoded array block, its values widened to float32 (gymlab's observation type). */
export interface ArrayBlock {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** A malformed message from the child (a bug or a foreign process on the pipe). */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

/** One message: u32 LE length of the rest, u8 type, body. */
export function frame(type: number, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(5 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length + 1, true);
  out[4] = type;
  out.set(body, 5);
  return out;
}

export function jsonBody(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

export function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body)) as unknown;
  } catch {
    throw new ProtocolError('bridge: malformed JSON message from the child');
  }
}

/** RESET body: u8 seeded, i64 LE base seed (sub-env i gets seed + i). */
export function resetBody(seed: number | undefined): Uint8Array {
  const out = new Uint8Array(9);
  const view = new DataView(out.buffer);
  out[0] = seed === undefined ? 0 : 1;
  view.setBigInt64(1, BigInt(seed ?? 0), true);
  return out;
}

/**
 * STEP body: the actions as float64 (Box) or int64 (Discrete, MultiDiscrete, MultiBinary). Box
 * actions go as float64 so Gymnasium computes with exactly the numbers gymlab's own ports do
 * (NumPy 2 would keep float32 arithmetic for a float32 action, e.g. Pendulum's torque cost).
 */
export function stepBody(actions: ArrayLike<number>, float: boolean): Uint8Array {
  if (float) {
    const a = Float64Array.from(actions);
    return new Uint8Array(a.buffer);
  }
  const a = new BigInt64Array(actions.length);
  for (let i = 0; i < actions.length; i++) a[i] = BigInt(Math.trunc(actions[i]));
  return new Uint8Array(a.buffer);
}

/** Reads the array block at `offset`; returns it and the offset after it. */
export function readArray(bytes: Uint8Array, offset: number): [ArrayBlock, number] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (offset + 2 > bytes.length) throw new ProtocolError('bridge: truncated array block');
  const dtype = DTYPES[view.getUint8(offset)] ?? '';
  const ndim = view.getUint8(offset + 1);
  const itemSize = ITEM_SIZE[dtype];
  if (itemSize === undefined) throw new ProtocolError(`bridge: unknown dtype code ${view.getUint8(offset)}`);
  let pos = offset + 2;
  const shape: number[] = [];
  for (let d = 0; d < ndim; d++, pos += 4) shape.push(view.getUint32(pos, true));
  const count = shape.reduce((a, b) => a * b, 1);
  const end = pos + count * itemSize;
  if (end > bytes.length) throw new ProtocolError('bridge: array block longer than its message');
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = readItem(view, dtype, pos + i * itemSize);
  return [{ dtype, shape, data }, end];
}

function readItem(view: DataView, dtype: string, at: number): number {
  switch (dtype) {
    case 'float32':
      return view.getFloat32(at, true);
    case 'float64':
      return view.getFloat64(at, true);
    case 'uint8':
    case 'bool':
      return view.getUint8(at);
    case 'int8':
      return view.getInt8(at);
    case 'int16':
      return view.getInt16(at, true);
    case 'uint16':
      return view.getUint16(at, true);
    case 'int32':
      return view.getInt32(at, true);
    case 'uint32':
      return view.getUint32(at, true);
    default:
      return Number(view.getBigInt64(at, true));
  }
}

/** A decoded STEPPED message of `n` sub-envs. */
export interface SteppedMessage {
  readonly reward: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly nextObs: ArrayBlock;
  readonly obs: ArrayBlock;
}

/** STEPPED body: f64[n] rewards, u8[n] terminated, u8[n] truncated, next-obs block, obs block. */
export function readStepped(body: Uint8Array, n: number): SteppedMessage {
  if (body.length < 10 * n) throw new ProtocolError('bridge: truncated step message');
  const reward = new Float64Array(n);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  for (let i = 0; i < n; i++) reward[i] = view.getFloat64(8 * i, true);
  const terminated = body.slice(8 * n, 9 * n);
  const truncated = body.slice(9 * n, 10 * n);
  const [nextObs, at] = readArray(body, 10 * n);
  const [obs] = readArray(body, at);
  return { reward, terminated, truncated, nextObs, obs };
}
