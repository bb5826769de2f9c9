// @ts-check
// Redis (only when a real one is used), through node-redis as re-exported by @keyv/redis.

/** @typedef {Awaited<ReturnType<typeof redisClient>>} RedisClient */

/** @param {string} url */
export async function redisClient(url) {
  const { createClient } = await import('@keyv/redis');
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** @param {RedisClient} client */
export async function closeRedis(client) {
  if (typeof client.close === 'function') await client.close();
  else await client.quit();
}

/**
 * How many clients listen on the service's invalidation channel (named after the database).
 * @param {string} url
 */
export async function invalidationSubscribers(url) {
  const client = await redisClient(url);
  const channel = `ef:invalidate:${Number(new URL(url).pathname.slice(1) || 0) || 0}`;
  const reply = /** @type {[string, number]} */ (
    await client.sendCommand(['PUBSUB', 'NUMSUB', channel])
  );
  await closeRedis(client);
  return { channel, subscribers: Number(reply[1]) };
}

/** @param {string} flag @param {number} revision @param {number} j */
const answerKey = (flag, revision, j) => `ef:{${flag}}:${revision}:check:u:user-${j}`;

/**
 * Writes `count` cached check answers of the flag's revision, as the service would.
 * @param {RedisClient} client
 * @param {string} flag
 * @param {number} revision
 * @param {number} count
 */
export async function seedAnswers(client, flag, revision, count) {
  const BATCH = 10_000;
  // The app's cache-manager/Keyv serialisation of a cached check answer.
  const value = JSON.stringify({ value: true, expires: Date.now() + 600_000 });
  for (let i = 0; i < count; i += BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + BATCH); j++) {
      batch.push(client.sendCommand(['SET', answerKey(flag, revision, j), value, 'PX', '600000']));
    }
    await Promise.all(batch);
  }
}

/**
 * Deletes what seedAnswers() wrote.
 * @param {RedisClient} client
 * @param {string} flag
 * @param {number} revision
 * @param {number} count
 */
export async function unlinkAnswers(client, flag, revision, count) {
  const BATCH = 1000;
  for (let i = 0; i < count; i += BATCH) {
    const keys = [];
    for (let j = i; j < Math.min(count, i + BATCH); j++) keys.push(answerKey(flag, revision, j));
    await client.sendCommand(['UNLINK', ...keys]);
  }
}
