/** Paths of the pages; the server answers every other path with index.html (SPA fallback). */
export const ROUTES = {
  welcome: '/',
  create: '/create',
  unlock: '/unlock',
  coffre: '/coffre',
  newCarte: '/coffre/nouvelle-carte',
  /** The papers: the list, adding one, one shown full screen (`paperPath(id)`). */
  papers: '/coffre/papiers',
  addPaper: '/coffre/papiers/ajouter',
  paper: '/coffre/papier/:id',
  /** A professional's or the admin's account, from a one-time link (`#token`). */
  invitation: '/inscription',
  /** Mandates (docs/design/mandates-screens.md): « Mon code », giving one, the owner's list, the aidant's workspace. */
  myCode: '/coffre/mon-code',
  giveMandate: '/coffre/mandats/donner',
  mandates: '/coffre/mandats',
  helped: '/coffre/personnes',
  /** Organisations: every path under it (organisations/paths.ts), one lazy chunk. */
  organisations: '/organisation/:screen?',
  help: '/help',
  about: '/about',
} as const;

/** The full-screen page of one paper. */
export const paperPath = (id: string) => `/coffre/papier/${encodeURIComponent(id)}`;
