// The one place `admin import` reaches the hash formats through (lib/passwords/): which hashes it
// accepts, and the stored form of Firebase's scrypt hashes. See the stub's header for the merge step.
export { type FirebaseScryptParams, firebaseScryptHash, hashFormat } from '../passwords/import-hash-formats-stub.ts';
