// Where `create` gets the new password: a hidden prompt on a terminal (asked twice), all of stdin
// with --password-stdin (for scripts: `printf '%s' "$PW" | ...`), or the unsafe --password option.
import type { CommandLine } from './command-line.ts';
import { AdminError, UsageError } from './errors.ts';

export interface Terminal {
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WriteStream;
}

export async function readPassword(source: CommandLine['password'], terminal: Terminal): Promise<string> {
  if (source.from === 'argv') return source.value;
  if (source.from === 'stdin') return withoutFinalNewline(await readAll(terminal.stdin));
  if (!terminal.stdin.isTTY) throw new UsageError('No terminal to ask for the password on: pipe it in with --password-stdin.');
  const password = await askHidden('Password: ', terminal);
  if ((await askHidden('Repeat it: ', terminal)) !== password) throw new AdminError('The two passwords differ; nothing was created.');
  return password;
}

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/** `echo secret |` adds a newline that is not part of the password; anything else is kept. */
function withoutFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/** Reads one line in raw mode without echoing it. Ctrl-C cancels. */
function askHidden(question: string, { stdin, stderr }: Terminal): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const finish = (outcome: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      outcome();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish(() => resolve(answer));
        if (char === '\u0003') return finish(() => reject(new AdminError('Cancelled; nothing was created.')));
        if (char === '\u007f' || char === '\b') answer = [...answer].slice(0, -1).join('');
        else if (char >= ' ') answer += char;
      }
    };
    stderr.write(question);
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}
