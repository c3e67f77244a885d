import pino from 'pino';
import { sourceMappedStack } from './source-mapped-stack';

/** An error in the log, its stack naming the TypeScript lines of the compiled server. */
function serializeError(value: unknown): unknown {
  const serialized: unknown = pino.stdSerializers.err(value as Error);
  if (typeof serialized === 'object' && serialized !== null && 'stack' in serialized && typeof serialized.stack === 'string') {
    serialized.stack = sourceMappedStack(serialized.stack);
  }
  return serialized;
}

/** Structured (JSON) logs on stdout; one logger, children per subsystem. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { app: 'journeyhub' },
  timestamp: pino.stdTimeFunctions.isoTime,
  serializers: { err: serializeError },
});

export type Logger = typeof logger;
