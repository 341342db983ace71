import pino from 'pino';
import { redactText } from '../privacy/redact';

/** Structured JSON logs (one object per line). Every request and turn log carries a correlation id. */
export type Logger = pino.Logger;

export interface LoggerOptions {
  /**
   * LOG_CONTENT: log what customers and staff wrote (still with card numbers, ids and passwords redacted).
   * Off (the default): every content field is replaced by its length, at every level.
   */
  logContent?: boolean;
  /** Where the lines go (tests); standard output by default. */
  destination?: pino.DestinationStream;
}

/**
 * The fields that may hold what somebody wrote, at the top level and one level down (`{ message: { text } }`).
 * Every log call goes through this one rule, so a new call that logs a `text` cannot leak it.
 */
export const CONTENT_FIELDS = ['text', 'value', 'summary', 'comment', 'transcript', 'body', 'contact'];

/** A content field as logged: hidden (its size only), or with LOG_CONTENT redacted JSON. */
export function logContent(value: unknown, show: boolean): unknown {
  if (!show) {
    const size = typeof value === 'string' ? value.length : JSON.stringify(value ?? null).length;
    return `[content hidden: ${size} chars]`;
  }
  if (typeof value === 'string') return redactText(value);
  return JSON.parse(redactText(JSON.stringify(value ?? null))) as unknown;
}

export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const show = options.logContent ?? false;
  return pino(
    {
      level,
      base: { service: 'customer-service-bot' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: CONTENT_FIELDS.flatMap((field) => [field, `*.${field}`]),
        censor: (value: unknown) => logContent(value, show),
      },
    },
    options.destination,
  );
}
