import { DomainError } from '@edugraph/kit';

/** Media's own codes (besides the kit's UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, NOT_FOUND, CONFLICT). */
export type MediaErrorCode =
  | 'FILE_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UPLOAD_MISSING'
  | 'UPLOAD_EXPIRED'
  | 'SIZE_MISMATCH'
  | 'CONTENT_TYPE_MISMATCH'
  | 'MAGIC_BYTES_MISMATCH'
  | 'CHECKSUM_MISMATCH'
  | 'INVALID_ASSET_STATE'
  | 'ASSET_NOT_READY';

export class MediaError extends DomainError<MediaErrorCode> {}

export class FileTooLargeError extends MediaError {
  constructor(kind: string, maxBytes: number) {
    super('FILE_TOO_LARGE', `A ${kind.toLowerCase()} file is at most ${maxBytes} bytes.`, {
      field: 'size',
      maxBytes,
    });
  }
}

export class UnsupportedMediaTypeError extends MediaError {
  constructor(kind: string, mimeType: string, allowed: readonly string[]) {
    super('UNSUPPORTED_MEDIA_TYPE', `"${mimeType}" is not accepted for ${kind} assets.`, {
      field: 'mimeType',
      allowed: [...allowed],
    });
  }
}

export class UploadMissingError extends MediaError {
  constructor() {
    super('UPLOAD_MISSING', 'Nothing was uploaded for this asset yet.');
  }
}

export class UploadExpiredError extends MediaError {
  constructor() {
    super('UPLOAD_EXPIRED', 'This upload expired; request a new one.');
  }
}

export class SizeMismatchError extends MediaError {
  constructor(expected: number, actual: number) {
    super('SIZE_MISMATCH', `The uploaded file has ${actual} bytes, ${expected} were declared.`, {
      expected,
      actual,
    });
  }
}

export class ContentTypeMismatchError extends MediaError {
  constructor(expected: string, actual: string | null) {
    super(
      'CONTENT_TYPE_MISMATCH',
      `The upload was stored as "${actual ?? 'unknown'}", "${expected}" was declared.`,
      {
        expected,
        actual,
      },
    );
  }
}

export class MagicBytesMismatchError extends MediaError {
  constructor(mimeType: string) {
    super('MAGIC_BYTES_MISMATCH', `The file content is not ${mimeType}.`, { expected: mimeType });
  }
}

export class ChecksumMismatchError extends MediaError {
  constructor() {
    super('CHECKSUM_MISMATCH', 'The SHA-256 of the uploaded file differs from the declared one.');
  }
}

export class InvalidAssetStateError extends MediaError {
  constructor(status: string, action: string) {
    super('INVALID_ASSET_STATE', `An asset in status ${status} cannot ${action}.`, { status });
  }
}

export class AssetNotReadyError extends MediaError {
  constructor(status: string) {
    super('ASSET_NOT_READY', `This asset is not available (status ${status}).`, { status });
  }
}
