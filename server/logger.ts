import pino from 'pino';

/** Structured (JSON) logs on stdout; one logger, children per subsystem. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { app: 'journeyhub' },
  timestamp: pino.stdTimeFunctions.isoTime,
});

export type Logger = typeof logger;
