// Configuration of where the service lives: its public URL (links, default issuer), the issuer of
// its tokens, and the name its pages and mails show.
import { absoluteUrl, text } from '../kinds.ts';
import { defineSection, type Env, variable } from '../section.ts';

const url = absoluteUrl();

export const siteSection = defineSection({
  name: 'site',
  variables: {
    publicUrl: variable('PUBLIC_URL', {
      kind: url,
      fallback: undefined as string | undefined,
      defaultText: "`API_ENDPOINT`, the API's own endpoint (`http://localhost:3000` for `npm start`)",
      description: 'base URL for links and the default issuer',
    }),
    apiEndpoint: variable('API_ENDPOINT', {
      kind: text('a URL'),
      fallback: undefined as string | undefined,
      defaultText: 'set by serverless.yml from CloudFormation',
      description: "the HTTP API's own endpoint; used when `PUBLIC_URL` is unset",
    }),
    issuer: variable('ISSUER', {
      kind: url,
      fallback: undefined as string | undefined,
      defaultText: '`PUBLIC_URL`',
      description: 'the `iss` of every token',
    }),
    productName: variable('PRODUCT_NAME', {
      kind: text(),
      fallback: 'Auth Service',
      description: 'the name mails and pages show',
    }),
  },
  check(values, report, failed) {
    if (failed.has('publicUrl') || values.publicUrl !== undefined) return;
    // In AWS the API's own endpoint is passed by CloudFormation (API_ENDPOINT); PUBLIC_URL wins
    // when set (custom domain, or http://localhost:3000 locally).
    const endpoint = values.apiEndpoint?.startsWith('http') ? values.apiEndpoint : undefined;
    if (endpoint === undefined) report('publicUrl', 'is required');
    else if (!url.schema.safeParse(endpoint).success) report('publicUrl', `must be an absolute URL, got "${endpoint}"`);
  },
  shape: ({ publicUrl, apiEndpoint, issuer, productName }) => {
    // check() made sure that one of PUBLIC_URL and API_ENDPOINT is a URL.
    const base = publicUrl ?? (url.schema.parse(apiEndpoint) as string);
    return { publicUrl: base, issuer: issuer ?? base, productName };
  },
});

export type SiteConfig = ReturnType<typeof siteSection.read>;
export const SITE_VARIABLES = siteSection.variableNames;

/** The public URL, issuer and product name, read once per environment. */
export const siteConfig = (env: Env = process.env): SiteConfig => siteSection.read(env);
