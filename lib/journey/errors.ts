/**
 * Why a write to a journey document was refused. Every refusal happens before
 * the transaction starts, so a thrown JourneyError means nothing was applied.
 */
export type JourneyErrorCode =
  | 'invalid'
  | 'not_found'
  | 'hub_protected'
  | 'duplicate'
  | 'self_loop'
  | 'conflict';

export class JourneyError extends Error {
  readonly code: JourneyErrorCode;

  constructor(code: JourneyErrorCode, message: string) {
    super(message);
    this.name = 'JourneyError';
    this.code = code;
  }
}
