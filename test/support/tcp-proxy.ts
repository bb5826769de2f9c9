import net from 'node:net';

/**
 * How the proxy treats traffic now:
 * - `open`: forwards both ways;
 * - `frozen`: a hung server (SIGSTOPped, saturated): every socket stays open but nothing is
 *   forwarded either way, and new connections are accepted and stall the same way;
 * - `blackhole`: a network partition: established connections are dropped and new ones are
 *   accepted and never answered (a client's connect timeout is what ends them);
 * - `refused`: a server that is down: every connection is dropped and new ones refused.
 */
export type ProxyMode = 'open' | 'frozen' | 'blackhole' | 'refused';

interface Link {
  client: net.Socket;
  upstream: net.Socket | undefined;
  /** Accepted while blackholed: never forwarded, dropped on restore. */
  blackholed: boolean;
  toServer: Buffer[];
  toClient: Buffer[];
}

/** A TCP proxy in front of a real server, which the test can freeze, blackhole or cut. */
export class TcpProxy {
  private readonly server: net.Server;
  private readonly links = new Set<Link>();
  private current: ProxyMode = 'open';
  /** Added latency on every chunk from the server: makes requests slow enough to be caught in flight. */
  delayMs = 0;
  /** Connections clients opened through the proxy (accepted or refused), since it started. */
  connections = 0;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = '127.0.0.1',
  ) {
    this.server = net.createServer((client) => this.accept(client));
  }

  get mode(): ProxyMode {
    return this.current;
  }

  /** A proxy in front of the server of a `postgres://` or `redis://` URL, and the URL that goes through it. */
  static async inFrontOf(url: string): Promise<{ proxy: TcpProxy; url: string }> {
    const target = new URL(url);
    const defaultPort = target.protocol.startsWith('redis') ? 6379 : 5432;
    const proxy = new TcpProxy(Number(target.port || defaultPort), target.hostname);
    target.port = String(await proxy.listen());
    return { proxy, url: target.toString() };
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Stops forwarding without closing anything. */
  freeze(): void {
    this.current = 'frozen';
  }

  /** Drops established connections; accepts new ones and never answers them. */
  blackhole(): void {
    this.dropAll();
    this.current = 'blackhole';
  }

  /** Drops every connection and refuses new ones. */
  refuse(): void {
    this.dropAll();
    this.current = 'refused';
  }

  /** The old name of `refuse()`. */
  cut(): void {
    this.refuse();
  }

  /** Back to forwarding: frozen traffic flows on, blackholed connections are dropped. */
  restore(): void {
    this.current = 'open';
    for (const link of [...this.links]) {
      if (link.blackholed) this.drop(link);
      else if (link.upstream === undefined) this.connectUpstream(link);
      else this.flush(link);
    }
  }

  async close(): Promise<void> {
    this.refuse();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    this.connections++;
    client.on('error', () => undefined);
    if (this.current === 'refused') {
      client.destroy();
      return;
    }
    const link: Link = {
      client,
      upstream: undefined,
      blackholed: this.current === 'blackhole',
      toServer: [],
      toClient: [],
    };
    this.links.add(link);
    client.on('data', (chunk: Buffer) => this.send(link, 'toServer', chunk));
    client.on('close', () => this.drop(link));
    if (this.current === 'open') this.connectUpstream(link);
  }

  private connectUpstream(link: Link): void {
    const upstream = net.connect(this.targetPort, this.targetHost);
    link.upstream = upstream;
    upstream.on('error', () => undefined);
    upstream.on('close', () => this.drop(link));
    upstream.on('data', (chunk: Buffer) => this.send(link, 'toClient', chunk));
    this.flush(link);
  }

  private send(link: Link, direction: 'toServer' | 'toClient', chunk: Buffer): void {
    if (this.current !== 'open' || (direction === 'toServer' && link.upstream === undefined))
      link[direction].push(chunk);
    else this.write(link, direction, chunk);
  }

  private flush(link: Link): void {
    for (const direction of ['toServer', 'toClient'] as const) {
      const held = link[direction].splice(0);
      for (const chunk of held) this.write(link, direction, chunk);
    }
  }

  private write(link: Link, direction: 'toServer' | 'toClient', chunk: Buffer): void {
    if (direction === 'toServer') link.upstream?.write(chunk);
    else if (this.delayMs === 0) link.client.write(chunk);
    else setTimeout(() => link.client.write(chunk), this.delayMs);
  }

  private drop(link: Link): void {
    if (!this.links.delete(link)) return;
    link.client.destroy();
    link.upstream?.destroy();
  }

  private dropAll(): void {
    for (const link of [...this.links]) this.drop(link);
  }
}
