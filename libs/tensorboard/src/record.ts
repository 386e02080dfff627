/**
 * TFRecord framing, little-endian:
 * `uint64 length | uint32 maskedCrc32c(length bytes) | data[length] | uint32 maskedCrc32c(data)`.
 */
import { maskedCrc32c } from './crc32c.js';
import { RecordCorruptError, RecordTruncatedError } from './errors.js';

/** Bytes a record adds around its payload: 8 (length) + 4 (length CRC) + 4 (data CRC). */
export const RECORD_OVERHEAD = 16;
const HEADER = 12;
const TWO_POW_32 = 2 ** 32;

function writeU32(target: Uint8Array, at: number, v: number): void {
  target[at] = v & 0xff;
  target[at + 1] = (v >>> 8) & 0xff;
  target[at + 2] = (v >>> 16) & 0xff;
  target[at + 3] = (v >>> 24) & 0xff;
}

function readU32(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

/**
 * Frames `payload` into `target` at `offset`; `target` must have `payload.length + 16` bytes of
 * room there. Allocates nothing.
 * @returns the offset just past the record.
 */
export function encodeRecordInto(target: Uint8Array, offset: number, payload: Uint8Array): number {
  const n = payload.length;
  writeU32(target, offset, n >>> 0);
  writeU32(target, offset + 4, Math.floor(n / TWO_POW_32));
  writeU32(target, offset + 8, maskedCrc32c(target, offset, offset + 8));
  target.set(payload, offset + HEADER);
  const end = offset + HEADER + n;
  writeU32(target, end, maskedCrc32c(payload));
  return end + 4;
}

/** One framed record: `payload.length + 16` bytes. */
export function encodeRecord(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length + RECORD_OVERHEAD);
  encodeRecordInto(out, 0, payload);
  return out;
}

/** A verified record: where it starts in the file and its payload (a view, not a copy). */
export interface RecordSlice {
  readonly offset: number;
  readonly payload: Uint8Array;
}

/** Every complete record, and the truncated tail if the bytes end inside a record. */
export interface SplitRecords {
  readonly records: RecordSlice[];
  readonly truncatedTail: RecordTruncatedError | null;
}

/**
 * Splits TFRecord bytes into verified payloads. Both CRCs of every record are checked; a mismatch
 * throws `RecordCorruptError` naming `file` and the record's byte offset. Bytes that end inside a
 * record are not thrown but returned as `truncatedTail` (a crash mid-write leaves exactly this),
 * so the caller decides whether to ignore it.
 */
export function splitRecords(bytes: Uint8Array, file = '<bytes>'): SplitRecords {
  const records: RecordSlice[] = [];
  let at = 0;
  while (at < bytes.length) {
    const left = bytes.length - at;
    if (left < HEADER) return { records, truncatedTail: new RecordTruncatedError(file, at, left, HEADER) };
    const lengthCrc = readU32(bytes, at + 8);
    if (lengthCrc !== maskedCrc32c(bytes, at, at + 8)) {
      throw new RecordCorruptError(file, at, 'length-crc', 'the masked CRC-32C of the length field does not match');
    }
    const n = readU32(bytes, at) + readU32(bytes, at + 4) * TWO_POW_32;
    const need = HEADER + n + 4;
    if (left < need) return { records, truncatedTail: new RecordTruncatedError(file, at, left, need) };
    const start = at + HEADER;
    if (readU32(bytes, start + n) !== maskedCrc32c(bytes, start, start + n)) {
      throw new RecordCorruptError(file, at, 'data-crc', `the masked CRC-32C of the ${n}-byte payload does not match`);
    }
    records.push({ offset: at, payload: bytes.subarray(start, start + n) });
    at += need;
  }
  return { records, truncatedTail: null };
}
