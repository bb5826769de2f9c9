import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { MemoCounter } from '@app/cache';
import { murmur3Bytes } from '@app/rollout';
import {
  attributesRead,
  readsClock,
  type EvaluationContext,
  type FlagDefinition,
} from '@app/flag-model';
import { bulkAnswers } from './bulk-plan';
import { BULK_BODY_HEAD, bulkBodyTail, bulkEtag, OfrepBulk } from './ofrep.presenter';

/** What the answers for one flag list depend on, besides the context's user id. */
interface ListInputs {
  /** Every flag's name and revision (a definition never changes within a revision), digested. */
  readonly flags: string;
  /** Every attribute any flag's rules read, sorted: the others cannot change an answer. */
  readonly attributes: readonly string[];
  /** An answer can change with the time alone: nothing for this list is memoised. */
  readonly readsClock: boolean;
}

const listInputs = new WeakMap<readonly FlagDefinition[], ListInputs>();

function inputsOf(flags: readonly FlagDefinition[]): ListInputs {
  let inputs = listInputs.get(flags);
  if (inputs === undefined) {
    const attributes = new Set<string>();
    for (const flag of flags) for (const name of attributesRead(flag)) attributes.add(name);
    inputs = {
      flags: hash('sha1', JSON.stringify(flags.map((f) => [f.name, f.revision])), 'base64url'),
      attributes: [...attributes].sort(),
      readsClock: flags.some(readsClock),
    };
    listInputs.set(flags, inputs);
  }
  return inputs;
}

/** The context reduced to what the list's answers depend on: the user id and the attributes its rules read. */
function contextKey({ attributes }: ListInputs, context: EvaluationContext): string {
  const parts: Array<string | null> = [context.userId ?? null];
  for (const name of attributes) {
    const value = context.attributes[name];
    parts.push(typeof value === 'string' ? value : null);
  }
  return JSON.stringify(parts);
}

const scratch = Buffer.allocUnsafe(16 * 1024);

/**
 * A 64-bit digest of a context key: two murmur3 passes with different seeds. Not a
 * cryptographic hash, on purpose: it runs on every request, where SHA-1 (an OpenSSL call) cost
 * more than the rest of the ETag. A collision could only make one client's revalidation of a
 * changed context a wrong 304; by accident that is a 2^-64 chance per change, and a client can
 * craft colliding contexts (murmur3 has seed-independent collisions) only to fool itself, since
 * an ETag is compared with nobody's If-None-Match but its own client's.
 */
function contextDigest(key: string): [number, number] {
  let bytes: Uint8Array = scratch;
  let length: number;
  if (key.length * 3 <= scratch.length) length = scratch.write(key, 0, 'utf8');
  else {
    bytes = Buffer.from(key, 'utf8');
    length = bytes.length;
  }
  return [murmur3Bytes(bytes, length, 0x9747b28c), murmur3Bytes(bytes, length, 0x5bd1e995)];
}

/**
 * The ETag of a list's answers for a context key: the flags' digest (once per list) and the
 * key's. Both determine every answer, so it changes whenever one can, and it is the same on
 * every instance that holds the same flags.
 */
function etagOf(inputs: ListInputs, [a, b]: readonly [number, number]): string {
  return `"${inputs.flags}${a.toString(36)}-${b.toString(36)}"`;
}

/** Bits of the doorkeeper (8 KiB): contexts seen once since it was last emptied. */
const DOORKEEPER_BITS = 1 << 16;

/**
 * Which contexts have been seen before: a bit per context digest, emptied when half full (and
 * with the memo). A context is memoised on its second request, not its first: a client-side
 * provider polls with the same context and is memoised from its second poll, while a stream of
 * contexts seen once (server traffic across many users, or the bench's cold case) does not keep
 * ~10 KB each in the memo, evicting the polled ones and growing the old generation that the
 * garbage collector walks. A false positive (two contexts on one bit) only memoises a context
 * early.
 */
class Doorkeeper {
  private readonly bits = new Uint8Array(DOORKEEPER_BITS >>> 3);
  private set = 0;

  /** Whether `hash` was seen before; records it. */
  seen(hash: number): boolean {
    const bit = hash & (DOORKEEPER_BITS - 1);
    const mask = 1 << (bit & 7);
    const byte = bit >>> 3;
    if ((this.bits[byte] & mask) !== 0) return true;
    if (++this.set > DOORKEEPER_BITS >>> 1) this.clear();
    this.bits[byte] |= mask;
    return false;
  }

  clear(): void {
    this.bits.fill(0);
    this.set = 0;
  }
}

/** Default bound on the memo: the serialised answers it holds, in bytes (UTF-8). */
export const BULK_MEMO_MAX_BYTES = 4 * 1024 * 1024;

/**
 * OFREP bulk evaluation: every flag of the list for a context, with the ETag, and a memo of the
 * answers of recent contexts for the flag list they were evaluated over. A client-side provider
 * polls the bulk endpoint with the same context over and over (and revalidates with
 * If-None-Match): a repeat then costs a map lookup instead of evaluating and serialising every
 * flag, and a revalidation that gets a 304 evaluates nothing (`etagOf`).
 *
 * Never stale: entries belong to one flag list object, and the reader hands out a new list
 * object whenever any flag has changed (its list memo is keyed by the highest known revision, the
 * generation that the edge cache moves on every write, pub/sub message and poll). A new list
 * empties the memo. Lists with a flag that reads the clock are not memoised. A context is
 * memoised from its second request (Doorkeeper). Bounded by the total size of the answers held,
 * least recently used out first.
 */
export class OfrepBulkMemo {
  private readonly entries: LRUCache<string, OfrepBulk>;
  private readonly doorkeeper = new Doorkeeper();
  private list: readonly FlagDefinition[] | undefined;

  /** `counter`: where its hits, misses and size are kept (CacheStats.ofrepBulk in the app). */
  constructor(
    maxBytes = BULK_MEMO_MAX_BYTES,
    private readonly counter = new MemoCounter(),
  ) {
    this.entries = new LRUCache<string, OfrepBulk>({
      maxSize: maxBytes,
      sizeCalculation: (bulk, key) => bulk.body.length + key.length + bulk.etag.length,
    });
    counter.maxBytes = maxBytes;
  }

  get hits(): number {
    return this.counter.hits;
  }

  get misses(): number {
    return this.counter.misses;
  }

  /**
   * The answers of every flag of `flags` for `context`, made as a response body ending with
   * `tail` (see bulkBodyTail). A memoised body made with another tail is still right: the
   * presenter re-frames its answers.
   */
  evaluate(
    flags: readonly FlagDefinition[],
    context: EvaluationContext,
    tail: Buffer = bulkBodyTail(),
  ): OfrepBulk {
    const inputs = inputsOf(flags);
    if (inputs.readsClock) {
      const body = bulkAnswers(flags, context, BULK_BODY_HEAD, tail);
      const answers = body.subarray(BULK_BODY_HEAD.length, body.length - tail.length);
      return new OfrepBulk(body, bulkEtag(answers), tail);
    }
    if (flags !== this.list) {
      this.entries.clear();
      this.doorkeeper.clear();
      this.list = flags;
      this.counted();
    }
    const key = contextKey(inputs, context);
    let bulk = this.entries.get(key);
    if (bulk !== undefined) {
      this.counter.hits++;
      return bulk;
    }
    this.counter.misses++;
    const digest = contextDigest(key);
    // The flags and this key determine every answer: the ETag is their digest (short to hash)
    // rather than the answers' (about 100 bytes a flag).
    bulk = new OfrepBulk(
      bulkAnswers(flags, context, BULK_BODY_HEAD, tail),
      etagOf(inputs, digest),
      tail,
    );
    if (this.doorkeeper.seen(digest[0])) {
      this.entries.set(key, bulk);
      this.counted();
    }
    return bulk;
  }

  /** Copies the size to the counter whenever it may have changed (two field reads). */
  private counted(): void {
    this.counter.entries = this.entries.size;
    this.counter.bytes = this.entries.calculatedSize;
  }

  /** The ETag `evaluate` gives, without evaluating any flag unless one reads the clock. */
  etagOf(flags: readonly FlagDefinition[], context: EvaluationContext): string {
    const inputs = inputsOf(flags);
    if (inputs.readsClock) return bulkEtag(bulkAnswers(flags, context));
    return etagOf(inputs, contextDigest(contextKey(inputs, context)));
  }

  /** Answers held now (for tests and stats). */
  get size(): number {
    return this.entries.size;
  }

  /** Total size of what is held, in the unit of the bound. */
  get heldChars(): number {
    return this.entries.calculatedSize;
  }
}
