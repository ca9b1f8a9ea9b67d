// The organisation routes (docs/design/mandates-server.md, "Organisations"), through the
// app's one API client. b64 = base64url without padding; statements are envelope bytes.
import { type Api, api as appApi } from '../api';
import type { OrganisationInfo } from '../mandates/api';

export interface Membership {
  organisation: string;
  name: string;
  role: 'responsable' | 'aidant';
}

export interface AdminOrganisation {
  organisation: string;
  name: string;
  created: number;
  founded: boolean;
  members: number;
  mandates_in_force: number;
}

export interface OrgMandate {
  mandate: string;
  number: number;
  coffre: string;
  owner_key: string;
  rights: 'consult' | 'deposit' | 'consult_deposit';
  /** How many categories it covers (never which). */
  categories: number;
  not_before: number;
  not_after: number;
  state: string;
  days_left: number;
}

/** A proposal as the server lists it; the client trusts none of it before verifying `statement`. */
export interface OrgProposal {
  proposal: string;
  seq: number;
  /** The one-signature `org_chain` envelope (b64). */
  statement: string;
  proposer: string;
  created: number;
}

export class OrganisationsApi {
  readonly #api: Api;
  constructor(api: Api = appApi) {
    this.#api = api;
  }

  /** The organisations this account is a current member of. */
  mine(): Promise<{ organisations: Membership[] }> {
    return this.#api.request('GET', '/api/organisations');
  }

  /** The chain, keys and this member's wraps (`GET /api/organisations/{id}`). */
  organisation(id: string): Promise<OrganisationInfo> {
    return this.#api.request('GET', `/api/organisations/${encodeURIComponent(id)}`);
  }

  adminCreate(
    name: string,
    hours: number,
  ): Promise<{ organisation: string; name: string; link: string; expires: number }> {
    return this.#api.request('POST', '/api/admin/organisations', { name, hours });
  }

  adminList(): Promise<{ organisations: AdminOrganisation[] }> {
    return this.#api.request('GET', '/api/admin/organisations');
  }

  checkFounding(token: string): Promise<{ organisation: string; name: string }> {
    return this.#api.request('POST', '/api/organisations/founding/check', { token });
  }

  found(token: string, statement: string): Promise<{ organisation: string; seq: number; hash: string }> {
    return this.#api.request('POST', '/api/organisations/found', { token, statement });
  }

  append(id: string, statement: string): Promise<{ organisation: string; seq: number; hash: string }> {
    return this.#api.request('POST', `/api/organisations/${encodeURIComponent(id)}/chain`, { statement });
  }

  addKey(id: string, cert: string, wraps: { member: string; wrap: string }[]): Promise<{ generation: number }> {
    return this.#api.request('POST', `/api/organisations/${encodeURIComponent(id)}/keys`, { cert, wraps });
  }

  /** A responsable wraps existing key generations to current members (a new member's older keys). */
  addWraps(id: string, wraps: { generation: number; member: string; wrap: string }[]): Promise<{ added: number }> {
    return this.#api.request('POST', `/api/organisations/${encodeURIComponent(id)}/wraps`, { wraps });
  }

  /** A responsable posts a statement she signed alone, for a second responsable to countersign. */
  propose(id: string, statement: string): Promise<{ proposal: string; seq: number }> {
    return this.#api.request('POST', `/api/organisations/${encodeURIComponent(id)}/proposals`, { statement });
  }

  /** The proposals waiting for the chain's next seq (a responsable only). */
  proposals(id: string): Promise<{ proposals: OrgProposal[] }> {
    return this.#api.request('GET', `/api/organisations/${encodeURIComponent(id)}/proposals`);
  }

  /** A responsable refuses a proposal: the server deletes it. */
  refuseProposal(id: string, proposal: string): Promise<void> {
    return this.#api.request(
      'DELETE',
      `/api/organisations/${encodeURIComponent(id)}/proposals/${encodeURIComponent(proposal)}`,
    );
  }

  mandates(id: string): Promise<{ mandates: OrgMandate[] }> {
    return this.#api.request('GET', `/api/organisations/${encodeURIComponent(id)}/mandates`);
  }
}

export const organisationsApi = new OrganisationsApi();
