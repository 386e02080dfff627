import { describe, expect, it } from 'vitest';
import { crc32c, maskCrc, maskedCrc32c, unmaskCrc } from './crc32c.js';
import { fromHex, seededRandom } from './test-utils/hex.js';

/** Bit-at-a-time CRC-32C straight from the definition (reflected poly 0x82F63B78). */
function crcBitwise(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('gives the CRC-32C check value for "123456789"', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  it('is 0 for no bytes', () => {
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('agrees with a bit-at-a-time CRC on every length 0..67 and on offsets', () => {
    const rand = seededRandom(11);
    const data = Uint8Array.from({ length: 67 }, () => Math.floor(rand() * 256));
    for (let n = 0; n <= data.length; n++) expect(crc32c(data.subarray(0, n))).toBe(crcBitwise(data.subarray(0, n)));
    expect(crc32c(data, 5, 40)).toBe(crcBitwise(data.subarray(5, 40)));
  });
});

describe('masked CRC', () => {
  it('matches the masked CRCs in the reference record (length field and payload)', () => {
    expect(maskedCrc32c(fromHex('0f00000000000000'))).toBe(0x092b536d); // bytes 6d532b09, little-endian
    expect(maskedCrc32c(fromHex('1a0d627261696e2e4576656e743a32'))).toBe(0x295198fc); // bytes fc985129
  });

  it('rotates right by 15 and adds 0xA282EAD8 mod 2^32; unmask inverts it', () => {
    expect(maskCrc(0)).toBe(0xa282ead8);
    expect(maskCrc(1 << 15)).toBe(0xa282ead8 + 1);
    expect(maskCrc(1)).toBe((0x00020000 + 0xa282ead8) >>> 0);
    expect(maskCrc(0xffffffff)).toBe((0xffffffff + 0xa282ead8) % 2 ** 32);
    for (const c of [0, 1, 0xe3069283, 0xffffffff, 0x12345678]) expect(unmaskCrc(maskCrc(c))).toBe(c);
  });
});
