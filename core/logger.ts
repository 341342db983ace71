import pino from 'pino';

/** Structured JSON logs (one object per line). Every request and turn log carries a correlation id. */
export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'customer-service-bot' }, timestamp: pino.stdTimeFunctions.isoTime });
}
