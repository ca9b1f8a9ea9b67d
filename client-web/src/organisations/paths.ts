// The organisation screens' paths (docs/design/organisations-screens.md), kept out of the
// first load's route table: the app routes `/organisation/:screen?` to one lazy chunk.
export const ORG_PATHS = {
  /** The founding link's page (the server's `FOUNDING_PATH`; the token follows after `#`). */
  found: '/organisation/fonder',
  /** « Mon organisation » (`?id=` one of this account's organisations). */
  organisation: '/organisation',
  /** The instance admin's screen. */
  admin: '/organisation/admin',
} as const;
