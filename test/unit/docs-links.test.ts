// Every link in the repository's Markdown works from a fresh clone: relative links point at files
// the repository holds (not at ignored or generated-only paths, not outside it), and #anchors name a
// heading that exists, slugged as GitHub slugs it. Pure: reads files, starts nothing.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));

/** Folders never walked: dependencies, VCS data and local output a clone does not have. */
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

// ---------------------------------------------------------------------------------------------
// Markdown reading: enough of CommonMark to find links and headings without a parser dependency.
// ---------------------------------------------------------------------------------------------

interface Line {
  number: number;
  text: string;
}

/** The lines outside fenced code blocks and HTML comments (which render no links or headings). */
function proseLines(markdown: string): Line[] {
  const out: Line[] = [];
  let fence: { char: string; length: number } | undefined;
  let inComment = false;
  markdown.split(/\r?\n/).forEach((raw, index) => {
    const number = index + 1;
    if (fence) {
      const close = raw.match(/^ {0,3}(`{3,}|~{3,})\s*$/);
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length) fence = undefined;
      return;
    }
    const open = raw.match(/^ {0,3}(`{3,}|~{3,})/);
    if (open && !inComment) {
      fence = { char: open[1]![0]!, length: open[1]!.length };
      return;
    }
    // HTML comments may span lines; what lies outside them on the same line still counts.
    let text = '';
    let rest = raw;
    while (rest.length > 0) {
      if (inComment) {
        const end = rest.indexOf('-->');
        if (end < 0) {
          rest = '';
        } else {
          rest = rest.slice(end + 3);
          inComment = false;
        }
      } else {
        const start = rest.indexOf('<!--');
        if (start < 0) {
          text += rest;
          rest = '';
        } else {
          text += rest.slice(0, start);
          rest = rest.slice(start + 4);
          inComment = true;
        }
      }
    }
    out.push({ number, text });
  });
  return out;
}

/** Removes inline code spans (a run of n backticks up to the next run of exactly n). */
function withoutCodeSpans(text: string): string {
  return text.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, ' ');
}

interface FoundLink {
  line: number;
  destination: string;
}

/** Inline links and images, reference definitions and HTML href/src attributes. */
function findLinks(markdown: string): FoundLink[] {
  const links: FoundLink[] = [];
  for (const { number, text: raw } of proseLines(markdown)) {
    const text = withoutCodeSpans(raw);
    const definition = text.match(/^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/);
    if (definition) links.push({ line: number, destination: definition[1]! });
    // `](` then a destination: <...>, or non-space text with balanced parentheses, then an optional title.
    const inline = /\]\(\s*(<[^>\n]*>|(?:[^\s()]|\([^\s()]*\))+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
    for (const match of text.matchAll(inline)) links.push({ line: number, destination: match[1]! });
    for (const match of text.matchAll(/<(?:a|img)\b[^>]*?\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
      links.push({ line: number, destination: (match[1] ?? match[2])! });
    }
  }
  return links.map((link) => ({ ...link, destination: link.destination.replace(/^<(.*)>$/, '$1') }));
}

/**
 * GitHub's heading anchor (github-slugger): the rendered text, lower-cased, with everything but
 * letters, marks, digits, connector punctuation, spaces and hyphens removed, spaces turned into '-'.
 */
function githubSlug(renderedText: string): string {
  return renderedText
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** What a heading's inline Markdown renders as text: links and images keep their text, markers go. */
function renderedHeadingText(source: string): string {
  return source
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/!?\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`+/g, '')
    .replace(/\*+|~~/g, '')
    .replace(/(^|[^\p{L}\p{N}])_+([^_]+?)_+(?=[^\p{L}\p{N}]|$)/gu, '$1$2')
    .trim();
}

/** Every anchor a Markdown file offers: heading slugs (with GitHub's -1, -2 for repeats) and HTML ids. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const add = (heading: string) => {
    const base = githubSlug(renderedHeadingText(heading));
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  };
  const lines = proseLines(markdown);
  lines.forEach(({ number, text }, index) => {
    const atx = text.match(/^ {0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$/);
    if (atx) {
      add(atx[1] ?? '');
    } else if (/^ {0,3}(=+|-+)\s*$/.test(text) && index > 0) {
      // A setext underline counts only directly under a paragraph line (not a blank or a list item).
      const previous = lines[index - 1]!;
      const isParagraph =
        previous.number === number - 1 && previous.text.trim() !== '' && !/^ {0,3}([-*+]|\d+[.)])\s|^ {0,3}#|^ {0,3}>|^\s*\|/.test(previous.text);
      if (isParagraph) add(previous.text.trim());
    }
    for (const match of text.matchAll(/<a\b[^>]*?\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) anchors.add((match[1] ?? match[2])!);
  });
  return anchors;
}

// ---------------------------------------------------------------------------------------------
// Checking: which links a fresh clone could not follow.
// ---------------------------------------------------------------------------------------------

/** .gitignore patterns of the simple kinds this repository uses: names, dir/, *.ext, prefix*. */
function ignoredBy(patterns: string[]): (repoPath: string) => boolean {
  const matchers = patterns
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && !line.startsWith('!'))
    .map((pattern) => {
      const anchored = pattern.replace(/\/$/, '').includes('/');
      const body = pattern.replace(/^\//, '').replace(/\/$/, '');
      const regex = new RegExp(
        `^${body
          .split('*')
          .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^/]*')}$`,
      );
      return (segments: string[]) =>
        anchored ? segments.some((_, i) => regex.test(segments.slice(0, i + 1).join('/'))) : segments.some((segment) => regex.test(segment));
    });
  return (repoPath) => {
    const segments = repoPath.split('/').filter(Boolean);
    return matchers.some((matches) => matches(segments));
  };
}

interface Repository {
  root: string;
  exists(repoPath: string): boolean;
  isDirectory(repoPath: string): boolean;
  read(repoPath: string): string;
  ignored(repoPath: string): boolean;
}

function fileSystemRepository(root: string): Repository {
  const gitignore = existsSync(join(root, '.gitignore')) ? readFileSync(join(root, '.gitignore'), 'utf8').split('\n') : [];
  const ignored = ignoredBy([...gitignore, 'node_modules/', '.git/']);
  return {
    root,
    exists: (path) => existsSync(join(root, path)),
    isDirectory: (path) => statSync(join(root, path)).isDirectory(),
    read: (path) => readFileSync(join(root, path), 'utf8'),
    ignored,
  };
}

/** Problems with the links of one Markdown file, as "file:line: destination: why". */
function brokenLinks(repo: Repository, file: string): string[] {
  const problems: string[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchors = (path: string) => {
    if (!anchorCache.has(path)) anchorCache.set(path, anchorsOf(repo.read(path)));
    return anchorCache.get(path)!;
  };
  for (const { line, destination } of findLinks(repo.read(file))) {
    const fail = (why: string) => problems.push(`${file}:${line}: ${destination}: ${why}`);
    if (destination === '') {
      fail('empty link');
      continue;
    }
    if (/^file:/i.test(destination)) {
      fail('a file: URL points outside the repository');
      continue;
    }
    // Other schemes (https:, mailto:) and protocol-relative URLs are not files of this repository.
    if (/^[a-z][a-z0-9+.-]*:/i.test(destination) || destination.startsWith('//')) continue;

    const hashAt = destination.indexOf('#');
    const pathPart = (hashAt < 0 ? destination : destination.slice(0, hashAt)).replace(/\?.*$/, '');
    const fragment = hashAt < 0 ? undefined : destination.slice(hashAt + 1);
    let target = file;
    if (pathPart !== '') {
      let decoded: string;
      try {
        decoded = decodeURIComponent(pathPart);
      } catch {
        fail('not a valid URL path');
        continue;
      }
      // GitHub resolves "/x" against the repository root and "x" against the file's folder.
      const absolute = decoded.startsWith('/') ? join(repo.root, decoded) : resolve(repo.root, dirname(file), decoded);
      const fromRoot = relative(repo.root, absolute);
      if (fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot)) {
        fail('leaves the repository');
        continue;
      }
      target = fromRoot.split(sep).join('/');
      if (target !== '' && repo.ignored(target)) {
        fail('points into an ignored path a fresh clone does not have');
        continue;
      }
      if (!repo.exists(target)) {
        fail('no such file');
        continue;
      }
    }
    if (fragment !== undefined && /\.md$/i.test(target) && !repo.isDirectory(target)) {
      let wanted: string;
      try {
        wanted = decodeURIComponent(fragment);
      } catch {
        wanted = fragment;
      }
      if (!anchors(target).has(wanted)) fail(`no heading or anchor "${wanted}" in ${target}`);
    }
  }
  return problems;
}

/** Every Markdown file of the repository: the root, docs/ and any other tracked folder. */
function markdownFiles(repo: Repository, folder = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(repo.root, folder), { withFileTypes: true })) {
    const path = folder ? `${folder}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !repo.ignored(path)) files.push(...markdownFiles(repo, path));
    } else if (/\.md$/i.test(entry.name) && !repo.ignored(path)) {
      files.push(path);
    }
  }
  return files.sort();
}

// ---------------------------------------------------------------------------------------------

/** An in-memory repository, so the checker itself is shown to fail where it should. */
function fakeRepository(files: Record<string, string>): Repository {
  const dirs = new Set(
    Object.keys(files).flatMap((path) =>
      path
        .split('/')
        .slice(0, -1)
        .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
    ),
  );
  return {
    root: '/repo',
    exists: (path) => path in files || dirs.has(path),
    isDirectory: (path) => dirs.has(path),
    read: (path) => files[path]!,
    ignored: ignoredBy(['node_modules/', '.data/', '*.log']),
  };
}

describe('the Markdown link checker', () => {
  it('slugs headings as GitHub does', () => {
    expect(githubSlug(renderedHeadingText('`GET /.well-known/jwks.json` and `GET /.well-known/openid-configuration`'))).toBe(
      'get-well-knownjwksjson-and-get-well-knownopenid-configuration',
    );
    expect(githubSlug(renderedHeadingText('Personal API tokens: `/tokens`'))).toBe('personal-api-tokens-tokens');
    expect(githubSlug(renderedHeadingText('What is **NOT** a vulnerability'))).toBe('what-is-not-a-vulnerability');
    expect(githubSlug(renderedHeadingText('[Deploying](docs/deploying.md) to AWS'))).toBe('deploying-to-aws');
    expect(githubSlug(renderedHeadingText('snake_case and _emphasis_'))).toBe('snake_case-and-emphasis');
    expect(githubSlug('Ünïcode — dashes, 2 spaces  here')).toBe('ünïcode--dashes-2-spaces--here');
  });

  it('numbers repeated headings and reads setext headings and HTML anchors', () => {
    const anchors = anchorsOf('# Intro\n\n## Usage\n\n## Usage\n\nTitle\n=====\n\n<a id="custom"></a>\n\n```\n# not a heading\n```\n');
    expect([...anchors].sort()).toEqual(['custom', 'intro', 'title', 'usage', 'usage-1']);
  });

  it('finds inline links, images, reference definitions and HTML links, but none in code', () => {
    const found = findLinks(
      [
        'See [a](a.md), ![b](img/b.png "B") and [c](<with space.md>).',
        '[ref]: docs/ref.md#top',
        '<a href="html.md">x</a>',
        'Not `[code](code.md)`, nor <!-- [hidden](hidden.md) -->.',
        '```md',
        '[fenced](fenced.md)',
        '```',
        '[parens](https://en.wikipedia.org/wiki/X_(Y))',
      ].join('\n'),
    ).map((link) => link.destination);
    expect(found).toEqual(['a.md', 'img/b.png', 'with space.md', 'docs/ref.md#top', 'html.md', 'https://en.wikipedia.org/wiki/X_(Y)']);
  });

  it('reports missing files, missing anchors, links out of the repository and into ignored paths', () => {
    const repo = fakeRepository({
      'README.md': [
        '# Title',
        '[ok](docs/a.md#section-one) [ok](#title) [ok](docs/) [ok](https://example.com/x.md#nope)',
        '[missing](docs/b.md) [anchor](docs/a.md#section-two) [here](#nowhere)',
        '[out](../shared/seeds/000.txt) [data](.data/dynamodb/x) [file](file:///etc/passwd)',
      ].join('\n'),
      'docs/a.md': '# A\n\n## Section one\n\n[up](../README.md#title) [out](../../x.md)\n',
    });
    expect(brokenLinks(repo, 'README.md')).toEqual([
      'README.md:3: docs/b.md: no such file',
      'README.md:3: docs/a.md#section-two: no heading or anchor "section-two" in docs/a.md',
      'README.md:3: #nowhere: no heading or anchor "nowhere" in README.md',
      'README.md:4: ../shared/seeds/000.txt: leaves the repository',
      'README.md:4: .data/dynamodb/x: points into an ignored path a fresh clone does not have',
      'README.md:4: file:///etc/passwd: a file: URL points outside the repository',
    ]);
    expect(brokenLinks(repo, 'docs/a.md')).toEqual(['docs/a.md:5: ../../x.md: leaves the repository']);
  });
});

describe("the repository's Markdown", () => {
  const repo = fileSystemRepository(ROOT);
  const files = markdownFiles(repo);

  it('includes the newcomer documents', () => {
    for (const required of ['README.md', 'CONTRIBUTING.md', 'SECURITY.md']) expect(files).toContain(required);
    expect(files.filter((file) => file.startsWith('docs/')).length).toBeGreaterThan(0);
  });

  it.each(files)('%s: every relative link and anchor resolves inside the repository', (file) => {
    expect(brokenLinks(repo, file)).toEqual([]);
  });
});
