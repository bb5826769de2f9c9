import { Writable } from 'node:stream';
import pino from 'pino';
import { chooseLogFormat, createLogger, PinoNestLogger } from './logging';

/** Collects what a logger writes, line by line. */
function sink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe(chooseLogFormat.name, () => {
  it.each([
    [undefined, 'development', true, 'pretty'],
    [undefined, 'development', false, 'json'],
    [undefined, 'production', true, 'json'],
    [undefined, 'test', false, 'json'],
    ['json', 'development', true, 'json'],
    ['pretty', 'production', false, 'pretty'],
  ] as const)('LOG_FORMAT=%s, NODE_ENV=%s, terminal=%s: %s', (configured, env, tty, expected) => {
    expect(chooseLogFormat(configured, env, tty)).toBe(expected);
  });
});

describe(PinoNestLogger.name, () => {
  it('writes JSON with the context, and sends Nest start-up chatter to debug', () => {
    const { lines, stream } = sink();
    const logger = new PinoNestLogger(pino({ level: 'info' }, stream));
    logger.log('Mapped {/flags, GET} route', 'RouterExplorer');
    logger.log('applied 3 migrations', 'Migrations');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 30,
      context: 'Migrations',
      msg: 'applied 3 migrations',
    });
  });

  it('keeps the start-up chatter at debug level', () => {
    const { lines, stream } = sink();
    new PinoNestLogger(pino({ level: 'debug' }, stream)).log('Mapped route', 'RouterExplorer');
    expect(JSON.parse(lines[0])).toMatchObject({ level: 20, context: 'RouterExplorer' });
  });
});

describe(createLogger.name, () => {
  it('writes one coloured line per log, context first, in the pretty format', () => {
    const { lines, stream } = sink();
    new PinoNestLogger(createLogger('log', 'pretty', stream)).warn('connection lost', 'Redis');
    expect(lines).toHaveLength(1);
    const ansi = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g');
    expect(lines[0]).toMatch(ansi); // coloured
    const plain = lines[0].replace(ansi, '');
    expect(plain).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: \[Redis\] connection lost$/);
  });

  it('writes JSON lines in the json format', () => {
    const { lines, stream } = sink();
    new PinoNestLogger(createLogger('log', 'json', stream)).log('ready', 'Boot');
    expect(JSON.parse(lines[0])).toMatchObject({
      service: 'edgeflags',
      context: 'Boot',
      msg: 'ready',
    });
  });
});
