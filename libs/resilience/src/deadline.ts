/**
 * Settles like `work`, or rejects with `expired()`'s error once `ms` have passed, whichever is
 * first. `work` is not cancelled (a promise cannot be): callers that hold a resource, such as a
 * connection in a transaction, release it in `expired`.
 */
export async function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  expired: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(expired()), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
