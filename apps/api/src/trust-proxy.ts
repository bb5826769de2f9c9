import { AppConfig } from '@app/config';

/**
 * Fastify 5.12 turned a numeric `trustProxy` into "trust no proxy" (a hop count cannot tell a
 * proxy from a direct client that forges X-Forwarded-For). TRUST_PROXY=<hops> is documented and in
 * use, so a hop count keeps its meaning as a trust function: the nearest `hops` addresses are
 * proxies. As docs/configuration.md says, that is safe only when clients cannot reach the service
 * except through those proxies; addresses/CIDRs are the safer setting.
 */
export function fastifyTrustProxy(
  trust: AppConfig['http']['trustProxy'],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') return trust;
  return (_address, hop) => hop < trust;
}
