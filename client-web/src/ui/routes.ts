/** Paths of the pages; the server answers every other path with index.html (SPA fallback). */
export const ROUTES = {
  welcome: '/',
  create: '/create',
  unlock: '/unlock',
  coffre: '/coffre',
  newCarte: '/coffre/nouvelle-carte',
  /** A professional's or the admin's account, from a one-time link (`#token`). */
  invitation: '/inscription',
  help: '/help',
  about: '/about',
} as const;
