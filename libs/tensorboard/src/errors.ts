/**
 * Typed errors of @gymlab/tensorboard. Every message is one line that names the file (or the
 * argument) and says what is allowed, so a caller can print it as is.
 */

/** The message of a caught value (an Error's message, anything else as a string). */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Base class: every error this library throws on purpose is a `TensorBoardError`. */
export class TensorBoardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Why a record failed to verify. */
export type RecordCorruption = 'length-crc' | 'data-crc' | 'bad-event';

/**
 * A record in the middle of an event file does not verify: a CRC mismatch, or a payload that
 * is not a valid `Event`. `offset` is the byte offset of the record's first byte in the file.
 */
export class RecordCorruptError extends TensorBoardError {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: RecordCorruption,
    detail: string,
  ) {
    super(`${file}: corrupt record at byte ${offset} (${reason}): ${detail}`);
  }
}

/**
 * The file ends inside a record (as after a crash mid-write). This can only be the last record
 * of the file; readers may choose to ignore it, as TensorBoard does.
 */
export class RecordTruncatedError extends TensorBoardError {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly have: number,
    readonly need: number,
  ) {
    super(`${file}: truncated last record at byte ${offset}: ${have} of ${need} bytes present`);
  }
}

/** What went wrong in an `EventWriter` call. */
export type EventWriterErrorCode = 'closed' | 'invalid-argument' | 'file-exists' | 'io';

/** A writer call was given bad input, was made after close, or hit a file-system error. */
export class EventWriterError extends TensorBoardError {
  constructor(
    readonly code: EventWriterErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A reader could not open or list what it was given (missing file, not a folder, ...). */
export class EventReadError extends TensorBoardError {}
