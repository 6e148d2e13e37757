// Types for deep imports of packages that ship no declaration for that file.
declare module '@zxcvbn-ts/language-common/dist/passwords.json.mjs' {
  const passwords: string[];
  export default passwords;
}

// swagger-ui-dist's helper that returns the package's directory (functions/docs.ts reads its files).
declare module 'swagger-ui-dist/absolute-path.js' {
  const getAbsoluteFSPath: () => string;
  export default getAbsoluteFSPath;
}
