// Password length limits per NIST SP 800-63B section 3.1.1.2: at least 8 characters, and at
// least 64 allowed (we allow 128). Their own file: request schemas bound input sizes with them
// without loading argon2 or the common-password dictionary.

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;
