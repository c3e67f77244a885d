import { JourneyError } from '../../lib/journey/errors';
import { ServiceError } from './service-error';

/** Runs a lib/journey operation; a JourneyError (bad input, a stale change) becomes the 400/409 it means. */
export function journeyToService<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof JourneyError) {
      throw new ServiceError(error.code === 'not_found' || error.code === 'duplicate' || error.code === 'conflict' ? 'conflict' : 'bad_request', error.message);
    }
    throw error;
  }
}
