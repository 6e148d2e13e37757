// One cold module initialisation: a fresh Node process imports a bundle and reports how long the
// import took, in wall time and in CPU time (all threads of the process: V8's compiler and GC
// helpers too). Node's own start-up is outside both, so no baseline has to be subtracted.
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export interface ImportSample {
  wallMs: number;
  cpuMs: number;
}

/** Exit code of the child when the bundle loads but exports no handler function. */
const NO_HANDLER = 3;

/**
 * The child's program: the clocks are read just around `import()`, the handler checked after.
 * An ES module (`--input-type=module`), so Node's ESM loader is up before the clock starts, as
 * the Lambda runtime's is when it imports a handler.
 */
function program(bundle: string): string {
  return [
    'const cpu0 = process.cpuUsage();',
    'const t0 = performance.now();',
    `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)});`,
    'const wallMs = performance.now() - t0;',
    'const cpu = process.cpuUsage(cpu0);',
    `if (typeof m.handler !== 'function') process.exit(${NO_HANDLER});`,
    'process.stdout.write(JSON.stringify({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000 }));',
  ].join('\n');
}

export function timeImport(bundle: string, env: NodeJS.ProcessEnv, cwd: string): Promise<ImportSample> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', program(bundle)], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === NO_HANDLER) return reject(new Error(`${bundle}: loads, but exports no handler function`));
      if (code !== 0) return reject(new Error(`${bundle}: importing failed (exit ${code})\n${stderr}`));
      try {
        resolve(JSON.parse(stdout) as ImportSample);
      } catch {
        reject(new Error(`${bundle}: unreadable timing ${JSON.stringify(stdout)}\n${stderr}`));
      }
    });
  });
}
