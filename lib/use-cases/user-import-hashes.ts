// The one place `admin import` reaches the hash formats through (lib/passwords/foreign-hashes.ts):
// which hashes it accepts, and the stored form of Firebase's scrypt hashes.
export { type FirebaseScryptParams, firebaseScryptHash, hashFormat } from '../passwords/foreign-hashes.ts';
