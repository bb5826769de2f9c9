import { HttpMetrics } from './http-metrics';

describe(HttpMetrics.name, () => {
  it('counts requests and builds a cumulative histogram per route, method and status', () => {
    const sut = new HttpMetrics();
    const check = sut.forRoute('/flags/:flag_name/check');
    check('GET', 200, 0.00005);
    check('GET', 200, 0.0003);
    check('GET', 200, 7);
    check('GET', 404, 0.002);
    const text = sut.exposition();
    expect(text).toContain(
      'edgeflags_http_requests_total{route="/flags/:flag_name/check",method="GET",status="200"} 3',
    );
    expect(text).toContain(
      'edgeflags_http_requests_total{route="/flags/:flag_name/check",method="GET",status="404"} 1',
    );
    const bucket = (le: string) =>
      Number(
        new RegExp(
          `_bucket\\{le="${le.replace('+', '\\+')}",route="/flags/:flag_name/check",method="GET",status="200"\\} (\\d+)`,
        ).exec(text)?.[1],
      );
    expect([
      bucket('0.0001'),
      bucket('0.00025'),
      bucket('0.0005'),
      bucket('5'),
      bucket('+Inf'),
    ]).toEqual([1, 1, 2, 2, 3]);
    expect(text).toMatch(
      /_sum\{route="\/flags\/:flag_name\/check",method="GET",status="200"\} 7\.00035/,
    );
  });

  it('escapes label values', () => {
    const sut = new HttpMetrics();
    sut.forRoute('/a"b\\c')('GET', 200, 0.1);
    expect(sut.exposition()).toContain('route="/a\\"b\\\\c"');
  });
});
