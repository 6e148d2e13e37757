// How the account page shows dates and browsers: UTC days and minutes (the server does not know the
// reader's time zone, and the page runs no script), and a user agent boiled down to "Firefox on
// Windows" so a user can recognise a device without reading a 150-character string.

/** 2026-11-30 */
export const shownDay = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

/** 2026-11-30 05:12 UTC */
export const shownTime = (epochMs: number) => `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const BROWSERS: readonly [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrom(e|ium)\/|CriOS\//, 'Chrome'],
  [/Safari\//, 'Safari'],
  [/curl\//, 'curl'],
  [/^(node|undici|axios|python-requests|okhttp|Go-http-client)/i, 'a program'],
];

const SYSTEMS: readonly [RegExp, string][] = [
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/** "Chrome on Linux", "Firefox", "an unknown browser"; never more than the two names. */
export function shownUserAgent(userAgent: string | undefined): string {
  if (!userAgent) return 'an unknown browser';
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? (system ? `a browser on ${system}` : 'an unknown browser');
}
