import pino from 'pino'

export type Logger = pino.Logger

/**
 * One JSON line per event. Tokens never reach a log line: request logs carry the path without its
 * query string, and the auth code never logs what it was given.
 */
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime })
}
