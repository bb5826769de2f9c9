import { LoggerService } from '@nestjs/common';
import pino, { Logger, LevelWithSilent, LoggerOptions } from 'pino';
import { PinoPretty } from 'pino-pretty';

const PINO_LEVEL: Record<string, LevelWithSilent> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

export type LogFormat = 'json' | 'pretty';

/**
 * JSON lines for machines (production, or stdout piped to a collector); one coloured line per
 * log for a person at a terminal. LOG_FORMAT overrides the guess either way.
 */
export function chooseLogFormat(
  configured: LogFormat | undefined,
  env: string,
  stdoutIsTerminal: boolean,
): LogFormat {
  if (configured) return configured;
  return env !== 'production' && stdoutIsTerminal ? 'pretty' : 'json';
}

/**
 * One logger for Fastify and Nest. Authorization headers are never logged: request logging is off, and errors log no headers.
 * Writes to stdout unless given another destination (the unit spec's).
 */
export function createLogger(
  level: string,
  format: LogFormat = 'json',
  destination?: NodeJS.WritableStream,
): Logger {
  const options: LoggerOptions = {
    level: PINO_LEVEL[level] ?? 'info',
    base: { service: 'edgeflags' },
    redact: ['req.headers.authorization'],
  };
  if (format === 'json') return destination ? pino(options, destination) : pino(options);
  // pino-pretty as a synchronous stream in this thread rather than a worker transport: the
  // service logs a handful of lines (boot, errors, shutdown), and a line written just before
  // process.exit() must not be lost in a worker's buffer.
  return pino(
    options,
    PinoPretty({
      destination,
      sync: true,
      colorize: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,service,context',
      messageFormat: '{if context}[{context}] {end}{msg}',
    }),
  );
}

/**
 * Nest's own start-up chatter (one line per module and per route, ~30 lines) goes to debug, so
 * that a start-up reads as what edgeflags did; LOG_LEVEL=debug shows it again.
 */
const NEST_BOOT_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/** Nest's LoggerService on pino: Nest passes the context (and, for errors, a stack) as trailing strings. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]) {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.write('fatal', message, rest);
  }

  private write(
    level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal',
    message: unknown,
    rest: unknown[],
  ) {
    const strings = rest.filter((r): r is string => typeof r === 'string');
    const context = strings.length > 0 ? strings[strings.length - 1] : undefined;
    const stack = level === 'error' && strings.length > 1 ? strings[0] : undefined;
    if (level === 'info' && context !== undefined && NEST_BOOT_CONTEXTS.has(context))
      level = 'debug';
    if (message instanceof Error) this.logger[level]({ context, err: message }, message.message);
    else
      this.logger[level](
        { context, stack },
        typeof message === 'string' ? message : JSON.stringify(message),
      );
  }
}
