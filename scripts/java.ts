// DynamoDB Local is a Java program; check for a usable Java before starting anything.
import { spawnSync } from 'node:child_process';

export const JAVA_MISSING = 'Java 17+ is required for DynamoDB Local; on Debian/Ubuntu run `apt-get install -y openjdk-17-jre-headless`';

/** The Java major version from `java -version` ("17.0.15" → 17, "1.8.0_392" → 8), if any. */
function javaMajor(): number | undefined {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8', timeout: 15_000 });
  if (result.error || result.status !== 0) return undefined;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 ? Number(match[2]) : first;
}

/** Throws {@link JAVA_MISSING} (plus the version found, if too old) unless Java 17+ is on PATH. */
export function assertJava(): void {
  const major = javaMajor();
  if (major === undefined) throw new Error(JAVA_MISSING);
  if (major < 17) throw new Error(`${JAVA_MISSING} (found Java ${major})`);
}
