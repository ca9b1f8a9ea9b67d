// What bench/signin-load.mjs needs of the client, bundled from src/ (the code the app ships):
// a whole new coffre as the browser makes it, and the carte's signed challenge.
export { createBody, makeCoffre } from '../src/coffre/create';
export { carteAuthKey, generateCarte, signAuthChallenge } from '../src/crypto/unlock';
