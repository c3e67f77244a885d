import { ImportError } from '../../lib/exchange/import-error';

/** The ImportError `run` throws; the test fails when it throws none, or another error. */
export function caughtImportError(run: () => unknown): ImportError {
  try {
    run();
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('expected an ImportError');
}
