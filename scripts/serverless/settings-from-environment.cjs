// The local stage's settings (stages/local.yml): every variable lib/config/ declares, taken from
// the environment of the shell that runs `npm start` or the tests (scripts/local-stack.ts sets
// them), so local runs keep being configured by environment variables. Deployed stages never use
// this: their settings are written in their own committed stage file.
'use strict';

const { require: requireTs } = require('tsx/cjs/api');

module.exports = () => {
  const { SECTIONS } = requireTs('../../lib/config/all.ts', __filename);
  const names = SECTIONS.flatMap((section) => section.variables.filter((v) => !v.setByLambda).map((v) => v.name));
  // Only what is set: an unset variable falls back to its default in serverless.yml (`${…, ''}`).
  return Object.fromEntries(names.filter((name) => process.env[name]).map((name) => [name, process.env[name]]));
};
