// TEMPORARY stand-in for helper A's lib/passwords/foreign-hashes.ts (issue 19), so `admin import`
// builds and is tested before that lands: same names and signatures. At merge, delete this file and
// point lib/use-cases/user-import-hashes.ts at foreign-hashes.ts. Recognises shapes only, verifies nothing.
const SHAPES: [RegExp, string][] = [
  [/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/, 'argon2id'],
  [/^\$argon2i\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/, 'argon2i'],
  [/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/, 'bcrypt'],
  [/^pbkdf2_sha256\$\d+\$[^$]+\$[A-Za-z0-9+/=]+$/, 'django-pbkdf2-sha256'],
  [/^bcrypt_sha256\$\$2[ab]\$\d\d\$[./A-Za-z0-9]{53}$/, 'django-bcrypt-sha256'],
  [/^argon2\$argon2id?\$/, 'django-argon2'],
  [/^\$pbkdf2-sha(1|256|512)\$/, 'pbkdf2'],
  [/^\$scrypt\$ln=\d+,r=\d+,p=\d+\$/, 'scrypt'],
  [/^\$firebase-scrypt\$/, 'firebase-scrypt'],
];

/** The format's name, or undefined when the hash is not one we can verify. */
export function hashFormat(hash: string): string | undefined {
  return SHAPES.find(([shape]) => shape.test(hash))?.[1];
}

/** Firebase's project-wide scrypt parameters (`--firebase-scrypt`). */
export interface FirebaseScryptParams {
  signerKey: string;
  saltSeparator: string;
  rounds: number;
  memCost: number;
}

/** The self-contained stored form of a Firebase scrypt hash (the stub's shape; helper A's decides). */
export function firebaseScryptHash(params: FirebaseScryptParams, hashB64: string, saltB64: string): string {
  return `$firebase-scrypt$ln=${params.memCost},r=${params.rounds}$${params.saltSeparator}$${params.signerKey}$${saltB64}$${hashB64}`;
}
