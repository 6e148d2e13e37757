// The last line of defence of scripts/process-group.ts: a small process of its own that outlives
// its parent. The parent lists its children's process groups on our stdin ("+<pgid>" / "-<pgid>"
// lines); when stdin ends, the parent has exited, however it died (even SIGKILL, which runs no exit
// hook), and every group still listed gets SIGTERM, then SIGKILL after a grace period.
// Plain CommonJS, no imports from the project: it must start fast and run without tsx.
'use strict';

const GRACE_MS = 3000;
const POLL_MS = 100;
const groups = new Set();

function exists(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function signal(name) {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, name);
    } catch {
      // Gone already (ESRCH); nothing else can be done for a group we may not signal.
      groups.delete(pgid);
    }
  }
}

function reap() {
  signal('SIGTERM');
  const deadline = Date.now() + GRACE_MS;
  const timer = setInterval(() => {
    for (const pgid of groups) if (!exists(pgid)) groups.delete(pgid);
    if (groups.size > 0 && Date.now() < deadline) return;
    clearInterval(timer);
    signal('SIGKILL');
    process.exit(0);
  }, POLL_MS);
}

let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    const pgid = Number(line.slice(1));
    // Never 0 or 1: kill(-0) is our own group, kill(-1) is every process we may signal.
    if (!Number.isInteger(pgid) || pgid <= 1) continue;
    if (line[0] === '+') groups.add(pgid);
    else if (line[0] === '-') groups.delete(pgid);
  }
});
process.stdin.once('end', reap);
process.stdin.once('error', reap);
