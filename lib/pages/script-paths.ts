// Where the hosted pages load their scripts from (served by functions/page-assets.ts). Its own file
// so the pages that link the scripts do not import the module that reads them, and with it the
// @simplewebauthn/browser package only the assets function ships.

export const WEBAUTHN_SCRIPTS = ['/assets/simplewebauthn-browser.js', '/assets/passkey.js'] as const;
