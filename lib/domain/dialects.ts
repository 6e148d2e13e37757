// The documented APIs served verbatim by compatibility routes (see lib/routes/compat/); ENABLED_DIALECTS
// picks which of them a deployment serves.

export const DIALECTS = ['tcap', 'eclecticiq', 'opentact', 'minisass'] as const;
export type Dialect = (typeof DIALECTS)[number];
