import {
  addressFamily,
  parseAttributeDate,
  parseCidr,
  parseFiniteNumber,
  parseRuleDate,
  parseVersion,
} from './operands';

describe(parseFiniteNumber.name, () => {
  it.each<[string, number | undefined]>([
    ['10', 10],
    ['-1.5e3', -1500],
    [' 7 ', 7],
    ['0', 0],
    ['-0', -0],
    ['0x10', 16], // Number's reading, as Unleash's
    ['', undefined],
    ['   ', undefined],
    ['ten', undefined],
    ['Infinity', undefined],
    ['-Infinity', undefined],
    ['NaN', undefined],
  ])('reads %j as %p', (text, expected) => {
    expect(parseFiniteNumber(text)).toBe(expected);
  });
});

describe(parseRuleDate.name, () => {
  it.each<[string, number | undefined]>([
    ['2025-01-31', Date.UTC(2025, 0, 31)],
    ['2025-01-31T12:00Z', Date.UTC(2025, 0, 31, 12)],
    ['2025-01-31T12:00:30Z', Date.UTC(2025, 0, 31, 12, 0, 30)],
    ['2025-01-31T12:00:30.5Z', Date.UTC(2025, 0, 31, 12, 0, 30, 500)],
    ['2025-01-31T12:00:30.123456789+01:00', Date.UTC(2025, 0, 31, 11, 0, 30, 123)],
    ['2025-01-31T12:00-05:30', Date.UTC(2025, 0, 31, 17, 30)],
    ['2025-01-31T12:00:30', undefined], // a time needs its offset
    ['2025-01-31T12Z', undefined],
    ['2025-1-31', undefined],
    ['x2025-01-31', undefined],
    ['2025-01-31x', undefined],
    ['2025-01-31T12:00:30.Z', undefined],
    ['2025-01-31T12:00:30.1234567890Z', undefined],
    ['2025-01-31T12:00+0100', undefined],
    ['2025-13-01', undefined], // matches the pattern, but Date.parse refuses it
    // Days the month does not have (Date.parse would roll them over into the next month).
    ['2025-02-29', undefined],
    ['2025-02-30', undefined],
    ['2025-04-31', undefined],
    ['2025-06-31T00:00Z', undefined],
    ['2025-09-31', undefined],
    ['2025-11-31', undefined],
    ['1900-02-29', undefined],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    ['2000-02-29', Date.UTC(2000, 1, 29)],
    ['0000-02-29', new Date(Date.UTC(2000, 1, 29)).setUTCFullYear(0)], // year 0 is a leap year
    ['2025-02-28', Date.UTC(2025, 1, 28)],
    ['2025-12-31', Date.UTC(2025, 11, 31)],
    ['2025-01-31T24:00Z', Date.UTC(2025, 1, 1)], // ISO-8601's end of the day
    ['20250-01-31', undefined],
  ])('reads %j as %p', (text, expected) => {
    expect(parseRuleDate(text)).toBe(expected);
  });
});

describe(parseAttributeDate.name, () => {
  it('reads what Date.parse reads, else nothing', () => {
    expect(parseAttributeDate('2025-01-31T12:00:00Z')).toBe(Date.UTC(2025, 0, 31, 12));
    expect(parseAttributeDate('tomorrow')).toBeUndefined();
  });
});

describe(parseVersion.name, () => {
  it('reads strict semver only', () => {
    expect(parseVersion('1.2.3-rc.1+b')?.version).toBe('1.2.3-rc.1');
    expect(parseVersion('1.2')).toBeUndefined();
  });
});

describe(parseCidr.name, () => {
  it.each([
    ['10.0.0.1', { address: '10.0.0.1', prefix: undefined, family: 'ipv4' }],
    ['10.0.0.0/8', { address: '10.0.0.0', prefix: 8, family: 'ipv4' }],
    ['0.0.0.0/0', { address: '0.0.0.0', prefix: 0, family: 'ipv4' }],
    ['10.0.0.0/32', { address: '10.0.0.0', prefix: 32, family: 'ipv4' }],
    ['::1', { address: '::1', prefix: undefined, family: 'ipv6' }],
    ['2001:db8::/128', { address: '2001:db8::', prefix: 128, family: 'ipv6' }],
  ])('reads %j', (text, expected) => {
    expect(parseCidr(text)).toEqual(expected);
  });

  it.each([
    '10.0.0.0/33',
    '2001:db8::/129',
    '10.0.0.0/-1',
    '10.0.0.0/',
    '10.0.0.0/08',
    '10.0.0.0/8.0',
    '10.0.0.0/ 8',
    '10.0.0.0/1e1',
    'fe80::1%eth0',
    'fe80::1%eth0/64',
    'example.com',
    '10.0.0.256',
    '',
  ])('refuses %j', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe(addressFamily.name, () => {
  it.each([
    ['10.1.2.3', 'ipv4'],
    ['::ffff:10.1.2.3', 'ipv6'],
    ['2001:db8::1', 'ipv6'],
    ['10.1.2', undefined],
    ['', undefined],
  ])('knows %j as %p', (text, family) => {
    expect(addressFamily(text)).toBe(family);
  });
});
