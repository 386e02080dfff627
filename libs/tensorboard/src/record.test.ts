import { describe, expect, it } from 'vitest';
import { RecordCorruptError, RecordTruncatedError } from './errors.js';
import { RECORD_OVERHEAD, encodeRecord, encodeRecordInto, splitRecords } from './record.js';
import { encodeEventBytes } from './schema.js';
import { fromHex, toHex } from './test-utils/hex.js';

// REFERENCE.md section 1, golden bytes.
const FILE_VERSION_RECORD = '0f00000000000000 6d532b09 1a0d627261696e2e4576656e743a32 fc985129';
const LOSS_EVENT_PAYLOAD = '09000000000000f83f 1003 2a0d 0a0b 0a046c6f7373 150000003f';

describe('golden bytes', () => {
  it('frames Event{file_version:"brain.Event:2"} byte for byte', () => {
    const payload = encodeEventBytes({ fileVersion: 'brain.Event:2' });
    expect(toHex(encodeRecord(payload))).toBe(FILE_VERSION_RECORD.replace(/ /g, ''));
  });

  it('omits wall_time 0 (proto3) in the file_version event', () => {
    expect(toHex(encodeEventBytes({ wallTime: 0, fileVersion: 'brain.Event:2' }))).toBe('1a0d627261696e2e4576656e743a32');
  });

  it('encodes Event{wall_time 1.5, step 3, summary{value{tag "loss", simple_value 0.5}}} byte for byte', () => {
    const payload = encodeEventBytes({ wallTime: 1.5, step: 3, summary: { value: [{ tag: 'loss', simpleValue: 0.5 }] } });
    expect(toHex(payload)).toBe(LOSS_EVENT_PAYLOAD.replace(/ /g, ''));
  });
});

describe('encodeRecordInto', () => {
  it('writes at an offset and returns the end, leaving the bytes around untouched', () => {
    const payload = fromHex('0102030405');
    const target = new Uint8Array(3 + payload.length + RECORD_OVERHEAD + 2).fill(0xee);
    const end = encodeRecordInto(target, 3, payload);
    expect(end).toBe(3 + payload.length + RECORD_OVERHEAD);
    expect(toHex(target.subarray(3, end))).toBe(toHex(encodeRecord(payload)));
    expect([target[0], target[1], target[2], target[end], target[end + 1]]).toEqual([0xee, 0xee, 0xee, 0xee, 0xee]);
  });
});

describe('splitRecords', () => {
  const a = encodeRecord(fromHex('aa'));
  const b = encodeRecord(fromHex('bbbb'));
  const c = encodeRecord(new Uint8Array(0));
  const all = new Uint8Array([...a, ...b, ...c]);

  it('returns every payload with its byte offset', () => {
    const { records, truncatedTail } = splitRecords(all, 'f');
    expect(truncatedTail).toBeNull();
    expect(records.map((r) => [r.offset, toHex(r.payload)])).toEqual([
      [0, 'aa'],
      [17, 'bbbb'],
      [35, ''],
    ]);
  });

  it('rejects a flipped payload byte, naming the file and the record offset', () => {
    const bad = all.slice();
    bad[17 + 12] ^= 0x01; // first payload byte of the second record
    expect(() => splitRecords(bad, 'events.bad')).toThrow(RecordCorruptError);
    expect(() => splitRecords(bad, 'events.bad')).toThrow('events.bad: corrupt record at byte 17 (data-crc)');
  });

  it('rejects a flipped length byte as a length CRC mismatch', () => {
    const bad = all.slice();
    bad[17] ^= 0x04;
    try {
      splitRecords(bad, 'f');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RecordCorruptError);
      expect((e as RecordCorruptError).reason).toBe('length-crc');
      expect((e as RecordCorruptError).offset).toBe(17);
    }
  });

  it('rejects a flipped data CRC byte', () => {
    const bad = all.slice();
    bad[17 + 12 + 2] ^= 0x80; // first byte of the second record's data CRC
    expect(() => splitRecords(bad, 'f')).toThrow('corrupt record at byte 17 (data-crc)');
  });

  it('reports a record cut inside its payload as a truncated tail, keeping the records before it', () => {
    const cut = all.subarray(0, 17 + 13);
    const { records, truncatedTail } = splitRecords(cut, 'events.cut');
    expect(records.map((r) => toHex(r.payload))).toEqual(['aa']);
    expect(truncatedTail).toBeInstanceOf(RecordTruncatedError);
    expect(truncatedTail?.offset).toBe(17);
    expect(truncatedTail?.message).toBe('events.cut: truncated last record at byte 17: 13 of 18 bytes present');
  });

  it('reports a record cut inside its 12-byte header as a truncated tail', () => {
    const { records, truncatedTail } = splitRecords(all.subarray(0, 17 + 5), 'f');
    expect(records).toHaveLength(1);
    expect(truncatedTail?.have).toBe(5);
    expect(truncatedTail?.need).toBe(12);
  });
});
