/**
 * CRC-32C (Castagnoli), as TFRecord framing uses it: reflected polynomial 0x82F63B78,
 * initial value and final xor 0xFFFFFFFF. Check value: crc32c("123456789") = 0xE3069283.
 *
 * Table-driven, slicing by 4 bytes: T[0][n] is the CRC register after shifting in byte n;
 * T[k][n] = (T[k-1][n] >>> 8) ^ T[0][T[k-1][n] & 0xFF] advances it by k further zero bytes.
 */

const POLY = 0x82f63b78;

function buildTables(): Uint32Array {
  const t = new Uint32Array(4 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let k = 1; k < 4; k++) {
    for (let n = 0; n < 256; n++) {
      const prev = t[(k - 1) * 256 + n];
      t[k * 256 + n] = ((prev >>> 8) ^ t[prev & 0xff]) >>> 0;
    }
  }
  return t;
}

/** Read-only lookup tables (computed once; never written after module load). */
const TABLE = buildTables();

/**
 * CRC-32C of `bytes[start, end)`.
 * @returns the CRC as an unsigned 32-bit integer.
 */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const t = TABLE;
  let c = 0xffffffff;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    c ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    c = t[768 + (c & 0xff)] ^ t[512 + ((c >>> 8) & 0xff)] ^ t[256 + ((c >>> 16) & 0xff)] ^ t[c >>> 24];
  }
  for (; i < end; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Masked CRC of TFRecord: `((c >>> 15) | (c << 17)) + 0xA282EAD8 (mod 2^32)` with c = crc32c. */
export function maskCrc(c: number): number {
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** Inverse of `maskCrc`. */
export function unmaskCrc(masked: number): number {
  const rot = (masked - 0xa282ead8) >>> 0;
  return ((rot >>> 17) | (rot << 15)) >>> 0;
}

/** `maskCrc(crc32c(bytes[start, end)))`. */
export function maskedCrc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return maskCrc(crc32c(bytes, start, end));
}
