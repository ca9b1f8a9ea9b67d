// A category generation's listing from its owner-signed metadata index (protocol.md section
// 6.1; docs/design/papers-screens.md): the index opened against what this device remembers
// of it, then checked against the host's listing and the owner's deletions. The papers the
// index holds are shown from it as they are; the listed ones it does not hold (newer) are
// opened from their own files. Any fault is a warning for the generation, whose papers are
// then all opened from their files: never a silently wrong list.
import { ApiError, type IndexItem, type PaperItem } from '../api';
import { b64decode, b64encode } from '../crypto/encoding';
import { CoffreCryptoError } from '../crypto/errors';
import type { Deletion } from '../crypto/paper';
import {
  checkIndexListing,
  type IndexCheckpoint,
  type IndexEntry,
  type OpenedIndex,
  openPaperIndex,
  type PaperIndex,
} from '../crypto/paper-index';
import { parseEnvelope, peekBody, statementHash } from '../crypto/statement';
import type { Unlocked } from '../session';
import type { CategoryGeneration } from './categories';

/**
 * What this device remembers of each category generation's index: its `seq` and statement
 * hash, like the journal's checkpoint, so a host that serves an older index (`rollback`) or
 * another one at the same seq (`fork`) is caught. Nothing on a shared computer.
 */
export interface IndexCheckpointStore {
  get(coffre: string, category: string, generation: number): IndexCheckpoint | undefined;
  set(coffre: string, category: string, generation: number, checkpoint: IndexCheckpoint): void;
}

const indexKey = (coffre: string) => `coffre:paper-indexes:${coffre}`;

function readAll(coffre: string): Record<string, IndexCheckpoint> {
  try {
    const raw = JSON.parse(localStorage.getItem(indexKey(coffre)) ?? '{}') as unknown;
    return raw && typeof raw === 'object' ? (raw as Record<string, IndexCheckpoint>) : {};
  } catch {
    return {};
  }
}

export const localIndexCheckpoints: IndexCheckpointStore = {
  get(coffre, category, generation) {
    const cp = readAll(coffre)[`${category}:${generation}`];
    return cp && typeof cp.seq === 'number' && typeof cp.hash === 'string' ? { seq: cp.seq, hash: cp.hash } : undefined;
  },
  set(coffre, category, generation, checkpoint) {
    const all = readAll(coffre);
    all[`${category}:${generation}`] = { seq: checkpoint.seq, hash: checkpoint.hash };
    try {
      localStorage.setItem(indexKey(coffre), JSON.stringify(all));
    } catch {
      // Storage full or refused: this device simply remembers less (as on a shared computer).
    }
  },
};

/** In memory only (a shared computer keeps nothing; tests). */
export function memoryIndexCheckpoints(): IndexCheckpointStore {
  const kept = new Map<string, IndexCheckpoint>();
  return {
    get: (coffre, category, generation) => kept.get(`${coffre}:${category}:${generation}`),
    set: (coffre, category, generation, cp) => void kept.set(`${coffre}:${category}:${generation}`, cp),
  };
}

/** Why a generation's index was not used (the code shown with the warning). */
export const INDEX_MISSING = 'index_missing';

export interface GenerationListing {
  category: string;
  generation: number;
  /** Index entries the host still lists with the same upload statement: shown as they are. */
  indexed: IndexEntry[];
  /** Listed papers to open from their own files (newer than the index, or all of them). */
  fromFiles: PaperItem[];
  /** The index, opened and checked (then remembered). */
  opened?: OpenedIndex;
  /** The seq the next index of this generation takes, when the owner may seal one. */
  nextSeq?: number;
  /** The index held papers since deleted (the next index leaves them out). */
  dropped: number;
  /** The index could not be used: the protocol or API code. */
  warning?: string;
}

export interface GenerationInput {
  session: Pick<Unlocked, 'instance' | 'coffre' | 'epoch' | 'keys'>;
  category: string;
  generation: CategoryGeneration;
  /** The host's listing of this generation. */
  listed: readonly PaperItem[];
  /** The host's current index of it, if any. */
  index?: IndexItem;
  fetchIndex: () => Promise<Uint8Array>;
  remembered?: IndexCheckpoint;
  /** The owner's deletions, verified. */
  deletions: readonly Deletion[];
}

/**
 * Lists one category generation from its index (see the file's comment). An index signed at
 * an older epoch is not read (that epoch's key may be the lost one): the generation is
 * listed from its files and indexed again at the current epoch.
 */
export async function listGeneration(input: GenerationInput): Promise<GenerationListing> {
  const { session, category, listed, index, remembered } = input;
  const g = input.generation.generation;
  const base = { category, generation: g, indexed: [], fromFiles: [...listed], dropped: 0 };
  if (!index) {
    // A host that drops an index this device has seen is withholding it.
    if (remembered) return { ...base, warning: INDEX_MISSING };
    return { ...base, nextSeq: 0 };
  }
  try {
    const statement = b64decode(index.statement);
    const peeked = peekBody<PaperIndex>(parseEnvelope(statement).bodyBytes, 'paper_index');
    if (peeked.epoch < session.epoch && peeked.category === category && peeked.generation === g) {
      if (remembered && peeked.seq < remembered.seq) return { ...base, warning: 'rollback' };
      return { ...base, nextSeq: peeked.seq + 1 };
    }
    const file = await input.fetchIndex();
    const opened = await openPaperIndex({
      instance: session.instance,
      coffre: session.coffre,
      epoch: session.epoch,
      ownerKey: session.keys.publicKey,
      key: input.generation.key,
      category,
      generation: g,
      remembered,
      statement,
      file,
    });
    const check = checkIndexListing(
      opened,
      listed.map((p) => ({ paper: p.paper, upload: b64encode(statementHash(b64decode(p.statement))) })),
      input.deletions,
    );
    const byId = new Map(listed.map((p) => [p.paper, p]));
    return {
      category,
      generation: g,
      indexed: check.indexed,
      fromFiles: check.newer.map((id) => byId.get(id) as PaperItem),
      opened,
      nextSeq: opened.statement.seq + 1,
      dropped: opened.papers.length - check.indexed.length,
    };
  } catch (e) {
    if (e instanceof CoffreCryptoError) return { ...base, warning: e.code };
    if (e instanceof ApiError && e.status !== 401)
      return { ...base, warning: e.status === 404 ? INDEX_MISSING : e.code };
    throw e;
  }
}
