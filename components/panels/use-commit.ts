import { plainMessage } from '../../lib/journey/plain-words';

/** Runs a write of the document and says, in plain words, why it was refused; true when it was written. */
export function useCommit(onError: (message: string | null) => void): (write: () => void) => boolean {
  return (write) => {
    try {
      write();
      onError(null);
      return true;
    } catch (error) {
      onError(plainMessage(error instanceof Error ? error.message : String(error)));
      return false;
    }
  };
}
