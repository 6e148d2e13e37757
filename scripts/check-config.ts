// Checks the configuration in the environment, as a Lambda would read it at cold start: prints each
// bad variable on its own line and exits 1, or exits 0 when every section is valid.
// Usage: npx tsx scripts/check-config.ts
import { validateEnvironment } from '../lib/config/validate.ts';

const problems = validateEnvironment(process.env);
if (problems.length) {
  process.stderr.write(`Invalid configuration:\n${problems.map((problem) => `  ${problem}\n`).join('')}`);
  process.exit(1);
}
process.stdout.write('Configuration is valid.\n');
