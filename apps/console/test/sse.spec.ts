import { SseParser, type SseMessage } from '../src/live/sse';

const parse = (...chunks: string[]) => {
  const messages: SseMessage[] = [];
  const sut = new SseParser((m) => messages.push(m));
  for (const chunk of chunks) sut.push(chunk);
  return { messages, sut };
};

describe(SseParser.name, () => {
  it('reads a message with an id, ignoring comments (keep-alives)', () => {
    const { messages, sut } = parse(': keepalive\n\nid: 7\ndata: {"flag":"a"}\n\n');
    expect(messages).toEqual([{ event: 'message', data: '{"flag":"a"}', lastEventId: '7' }]);
    expect(sut.lastEventId).toBe('7');
  });

  it('joins a message split anywhere across chunks, whatever the line ends', () => {
    const text = 'id: 1\r\ndata: one\r\n\r\nid: 2\rdata: two\r\rid: 3\ndata: three\n\n';
    const whole = parse(text).messages;
    expect(whole.map((m) => [m.lastEventId, m.data])).toEqual([
      ['1', 'one'],
      ['2', 'two'],
      ['3', 'three'],
    ]);
    for (let cut = 1; cut < text.length; cut++) {
      expect(parse(text.slice(0, cut), text.slice(cut)).messages).toEqual(whole);
    }
  });

  it('joins data lines with newlines, keeps the event name, and one leading space only', () => {
    const { messages } = parse('event: ping\ndata:  a\ndata\ndata: b\n\n');
    expect(messages).toEqual([{ event: 'ping', data: ' a\n\nb', lastEventId: '' }]);
  });

  it('dispatches nothing for a message without data, but moves the id on', () => {
    const { messages, sut } = parse('id: 9\n\n', 'data: x\n\n');
    expect(messages).toEqual([{ event: 'message', data: 'x', lastEventId: '9' }]);
    expect(sut.lastEventId).toBe('9');
  });

  it('waits for the blank line before dispatching', () => {
    const { messages } = parse('id: 1\ndata: x\n');
    expect(messages).toEqual([]);
  });

  it('carries the id a previous connection ended at, and reads retry', () => {
    const messages: SseMessage[] = [];
    const sut = new SseParser((m) => messages.push(m), '41');
    sut.push('retry: 2500\ndata: x\n\nretry: soon\n');
    expect(messages[0].lastEventId).toBe('41');
    expect(sut.retryMs).toBe(2500);
  });
});
