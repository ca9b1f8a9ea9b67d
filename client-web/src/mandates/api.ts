// The mandates and organisations API (docs/design/mandates-server.md), through the app's one
// client: JSON, b64 = base64url without padding, statements as envelope bytes in b64.
import { type Api, api as appApi, type NewEntryBody, type PaperItem, type UploadState } from '../api';

export type MandateState = 'upcoming' | 'in_force' | 'expired' | 'revoked' | 'renounced';

export interface MandateItem {
  mandate: string;
  number: number;
  coffre: string;
  owner_key: string;
  grantee: { type: 'person' | 'organisation'; id: string; key: string };
  rights: 'consult' | 'deposit' | 'consult_deposit';
  categories: string[];
  not_before: number;
  not_after: number;
  state: MandateState;
  days_left: number;
  /** The owner-signed `mandate` (b64). */
  statement: string;
  /** The revocation or renunciation that ended it (b64). */
  end: string | null;
  /**
   * The owner's note (b64 age file to the owner holding the owner-signed `mandate_note`):
   * served in the owner's own list only, when one was sent (with the mandate, or since by
   * `putNote`). Unverified until `openMandateNote`; maybe older than one this device saw.
   */
  note?: string;
}

export interface OrganisationInfo {
  organisation: string;
  name: string;
  root: string;
  chain: string[];
  members: { key: string; recipient: string; role: string }[];
  keys: { generation: number; cert: string }[];
  role: string | null;
  wraps: { generation: number; wrap: string }[];
  /**
   * Which (generation, member key) pairs hold a stored wrap, current members only; served to a
   * current responsable (empty otherwise). The server's word: it decides only which wraps
   * `completeKeys` leaves out, never to whom it wraps.
   */
  wrapped: { generation: number; member: string }[];
}

export interface GrantedPaper extends PaperItem {
  /** The metadata age file (b64). */
  meta: string;
  /** For a paper uploaded under a mandate: the server's deposit receipt (b64) dating it. */
  deposit_receipt?: string;
}

export interface AccessAnswer {
  counter: number;
  keys: { generation: number; cert: string; wrap: string }[];
  papers: GrantedPaper[];
}

export class MandatesApi {
  readonly #api: Api;
  constructor(api: Api = appApi) {
    this.#api = api;
  }

  list(): Promise<{ given: MandateItem[]; received: MandateItem[] }> {
    return this.#api.request('GET', '/api/mandates');
  }

  grant(
    mandate: string,
    journal: NewEntryBody,
    note?: string,
  ): Promise<{ mandate: string; number: number; seq: number }> {
    return this.#api.request('POST', '/api/mandates', note ? { mandate, journal, note } : { mandate, journal });
  }

  /** The owner's new note on one of its mandates (b64), in place of the stored one. */
  putNote(id: string, note: string): Promise<void> {
    return this.#api.request('PUT', `/api/mandates/${encodeURIComponent(id)}/note`, { note });
  }

  putKeys(id: string, wraps: { category: string; generation: number; wrap: string }[]): Promise<void> {
    return this.#api.request('PUT', `/api/mandates/${encodeURIComponent(id)}/keys`, { wraps });
  }

  revoke(id: string, revocation: string, journal: NewEntryBody): Promise<{ state: MandateState; ended: number }> {
    return this.#api.request('POST', `/api/mandates/${encodeURIComponent(id)}/revocation`, { revocation, journal });
  }

  renounce(id: string, renunciation: string): Promise<{ state: MandateState; ended: number }> {
    return this.#api.request('POST', `/api/mandates/${encodeURIComponent(id)}/renunciation`, { renunciation });
  }

  receipts(id: string): Promise<{ receipts: string[] }> {
    return this.#api.request('GET', `/api/mandates/${encodeURIComponent(id)}/receipts`);
  }

  access(id: string, receipt: string): Promise<AccessAnswer> {
    return this.#api.request('POST', `/api/mandates/${encodeURIComponent(id)}/access`, { receipt });
  }

  content(id: string, paper: string, counter: number): Promise<Uint8Array> {
    return this.#api.getBytes(
      `/api/mandates/${encodeURIComponent(id)}/papers/${encodeURIComponent(paper)}/content?counter=${counter}`,
    );
  }

  putLabels(id: string, labels: { category: string; label: string }[]): Promise<void> {
    return this.#api.request('PUT', `/api/mandates/${encodeURIComponent(id)}/labels`, { labels });
  }

  /** A deposit grantee: each covered category's current certificate and the label sealed to it. */
  categories(
    id: string,
  ): Promise<{ categories: { category: string; generation: number; cert: string; label: string | null }[] }> {
    return this.#api.request('GET', `/api/mandates/${encodeURIComponent(id)}/categories`);
  }

  /** `categories` of every mandate the account acts under now, in one request. */
  receivedCategories(): Promise<{
    mandates: {
      mandate: string;
      categories: { category: string; generation: number; cert: string; label: string | null }[];
    }[];
  }> {
    return this.#api.request('GET', '/api/mandates/received/categories');
  }

  /** A deposit grantee: starts an upload in the owner's coffre (as `POST /api/uploads`). */
  startDeposit(id: string, contentSize: number, chunkSize?: number): Promise<UploadState> {
    return this.#api.request('POST', `/api/mandates/${encodeURIComponent(id)}/deposits`, {
      content_size: contentSize,
      chunk_size: chunkSize,
    });
  }

  /** Files the deposit: the grantee-signed upload and the metadata file (b64). */
  fileDeposit(
    id: string,
    upload: string,
    statement: string,
    meta: string,
  ): Promise<{ paper: string; deposit_receipt: string; seq: number; receipt: string }> {
    return this.#api.request(
      'POST',
      `/api/mandates/${encodeURIComponent(id)}/deposits/${encodeURIComponent(upload)}/paper`,
      { statement, meta },
    );
  }

  /** The owner: each deposited paper's upload statement and deposit receipt (b64). */
  deposits(id: string): Promise<{ deposits: { paper: string; statement: string; deposit_receipt: string }[] }> {
    return this.#api.request('GET', `/api/mandates/${encodeURIComponent(id)}/deposits`);
  }

  /**
   * The owner: the next generation of one of its categories, its key wrapped to the owner
   * and, in the same request, to every consult mandate in force on it, with the owner's
   * `category_rotated` journal entry (`POST
   * /api/coffre/categories/{category}/generations`).
   */
  addGeneration(
    category: string,
    body: {
      cert: string;
      label: string;
      wrap: string;
      mandate_wraps: { mandate: string; wrap: string }[];
      journal: NewEntryBody;
    },
  ): Promise<{ category: string; generation: number }> {
    return this.#api.request('POST', `/api/coffre/categories/${encodeURIComponent(category)}/generations`, body);
  }

  organisation(id: string): Promise<OrganisationInfo> {
    return this.#api.request('GET', `/api/organisations/${encodeURIComponent(id)}`);
  }
}

export const mandatesApi = new MandatesApi();
