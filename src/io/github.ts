/**
 * The GitHub REST API over fetch, as much of it as tfsync needs: open pull requests found by their
 * branch, issues found by tfsync's marker, creating and updating both, labels and comments. The
 * token goes in the Authorization header and nowhere else: no message, error or log carries it.
 */
import { TfsyncError } from '../errors.js';
import type { Existing } from '../sync/promotion-request.js';

export interface GitHubRepository {
  owner: string;
  repo: string;
}

export interface GitHubOptions extends GitHubRepository {
  /** `https://api.github.com`, or GitHub Enterprise's `https://HOST/api/v3` (GITHUB_API_URL). */
  apiUrl: string;
  token: string;
}

export interface PullRequest extends Existing {
  htmlUrl: string;
}

interface RawLabel {
  name: string;
}

interface RawItem {
  number: number;
  title: string;
  body: string | null;
  html_url: string;
  labels?: Array<RawLabel | string>;
  pull_request?: unknown;
}

/** The API's version this client is written against (GitHub's `X-GitHub-Api-Version`). */
const API_VERSION = '2022-11-28';
const PER_PAGE = 100;

/** The token, the API's address and the repository, from the environment and the remote's URL. */
export function gitHubFromEnv(env: Record<string, string | undefined>, remoteUrl: () => Promise<string | undefined>): Promise<GitHubClient> {
  return (async () => {
    const token = env.GITHUB_TOKEN || env.GH_TOKEN;
    if (!token) throw new TfsyncError('no GitHub token: set GITHUB_TOKEN or GH_TOKEN', { code: 'github-no-token', hint: 'in a workflow: env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}' });
    const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
    const named = env.GITHUB_REPOSITORY ? parseRepository(env.GITHUB_REPOSITORY) : undefined;
    if (env.GITHUB_REPOSITORY && !named) throw new TfsyncError(`GITHUB_REPOSITORY="${env.GITHUB_REPOSITORY}" is not OWNER/REPO`, { code: 'github-repository-unknown' });
    const url = named ? undefined : await remoteUrl();
    const repository = named ?? (url ? repositoryOfUrl(url) : undefined);
    if (!repository) {
      throw new TfsyncError(`cannot tell the GitHub repository${url ? ` from the remote URL ${redactUrl(url)}` : ''}`, { code: 'github-repository-unknown', hint: 'set GITHUB_REPOSITORY=OWNER/REPO' });
    }
    return new GitHubClient({ apiUrl, token, ...repository });
  })();
}

function parseRepository(text: string): GitHubRepository | undefined {
  const match = /^([\w.-]+)\/([\w.-]+)$/.exec(text.trim());
  return match ? { owner: match[1]!, repo: match[2]!.replace(/\.git$/, '') } : undefined;
}

/**
 * OWNER/REPO of a remote: `https://github.com/o/r(.git)`, `ssh://git@host[:port]/o/r.git`,
 * `git@host:o/r.git`. Any host: GitHub Enterprise remotes have their own.
 */
export function repositoryOfUrl(url: string): GitHubRepository | undefined {
  const scp = /^[\w.-]+@[\w.-]+:(?!\/)(.+)$/.exec(url);
  let path: string | undefined = scp?.[1];
  if (!path) {
    try {
      const parsed = new URL(url);
      if (!['https:', 'http:', 'ssh:', 'git:'].includes(parsed.protocol)) return undefined;
      path = parsed.pathname.replace(/^\/+/, '');
    } catch {
      return undefined;
    }
  }
  return parseRepository(path.replace(/\/+$/, ''));
}

/** A URL without its user and password (an https remote may carry a token). */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}

export class GitHubClient {
  readonly owner: string;
  readonly repo: string;
  constructor(private readonly options: GitHubOptions) {
    this.owner = options.owner;
    this.repo = options.repo;
  }

  private get base(): string {
    return `/repos/${encodeURIComponent(this.owner)}/${encodeURIComponent(this.repo)}`;
  }

  /** One request; `path` from the API's root, or a full URL on the API's own origin (a Link). */
  async request<T>(method: string, path: string, body?: unknown): Promise<{ data: T; link: string | null }> {
    const url = path.startsWith('http') ? path : `${this.options.apiUrl}${path}`;
    // A Link pointing elsewhere would carry the token off: refuse it.
    if (new URL(url).origin !== new URL(this.options.apiUrl).origin) throw new TfsyncError(`GitHub API: refusing to follow a link off ${new URL(this.options.apiUrl).origin}`, { code: 'github-api' });
    const shown = `${method} ${new URL(url).pathname}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${this.options.token}`,
          'x-github-api-version': API_VERSION,
          'user-agent': 'tfsync',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new TfsyncError(`GitHub API: ${shown}: cannot reach ${new URL(url).origin} (${cause?.code ?? cause?.message ?? String(err)})`, { code: 'github-api' });
    }
    const text = await response.text();
    if (!response.ok) throw apiError(shown, response, text, this.options.token);
    return { data: (text ? JSON.parse(text) : null) as T, link: response.headers.get('link') };
  }

  /** Every item of a listing, page by page through the `Link: <...>; rel="next"` headers. */
  async *paginate<T>(path: string): AsyncGenerator<T> {
    let next: string | undefined = `${path}${path.includes('?') ? '&' : '?'}per_page=${PER_PAGE}`;
    while (next) {
      const page: { data: T[]; link: string | null } = await this.request<T[]>('GET', next);
      yield* page.data;
      next = nextLink(page.link);
    }
  }

  /** The open pull request whose head is `branch` of this repository, if any. */
  async findOpenPull(branch: string): Promise<PullRequest | undefined> {
    const head = encodeURIComponent(`${this.owner}:${branch}`);
    for await (const item of this.paginate<RawItem>(`${this.base}/pulls?state=open&head=${head}`)) return toItem(item);
    return undefined;
  }

  async createPull(input: { title: string; head: string; base: string; body: string; draft: boolean }): Promise<PullRequest> {
    return toItem((await this.request<RawItem>('POST', `${this.base}/pulls`, input)).data);
  }

  async updatePull(number: number, patch: { title?: string; body?: string }): Promise<void> {
    await this.request('PATCH', `${this.base}/pulls/${number}`, patch);
  }

  /** Adds labels to a pull request or an issue (GitHub keeps both under /issues). */
  async addLabels(number: number, labels: readonly string[]): Promise<void> {
    await this.request('POST', `${this.base}/issues/${number}/labels`, { labels });
  }

  /** The open issue (not pull request) whose body satisfies `matches`, if any. */
  async findOpenIssue(matches: (body: string | null) => boolean): Promise<PullRequest | undefined> {
    for await (const item of this.paginate<RawItem>(`${this.base}/issues?state=open`)) {
      if (item.pull_request === undefined && matches(item.body)) return toItem(item);
    }
    return undefined;
  }

  async createIssue(input: { title: string; body: string; labels: readonly string[] }): Promise<PullRequest> {
    return toItem((await this.request<RawItem>('POST', `${this.base}/issues`, input)).data);
  }

  async updateIssue(number: number, patch: { title?: string; body?: string; state?: 'closed'; state_reason?: 'completed' }): Promise<void> {
    await this.request('PATCH', `${this.base}/issues/${number}`, patch);
  }

  async comment(number: number, body: string): Promise<void> {
    await this.request('POST', `${this.base}/issues/${number}/comments`, { body });
  }

  /** The repository's default branch: a pull request's base when nothing else names one. */
  async defaultBranch(): Promise<string> {
    return (await this.request<{ default_branch: string }>('GET', this.base)).data.default_branch;
  }
}

function toItem(item: RawItem): PullRequest {
  const labels = (item.labels ?? []).map((label) => (typeof label === 'string' ? label : label.name));
  return { number: item.number, title: item.title, body: item.body, labels, htmlUrl: item.html_url };
}

function nextLink(link: string | null): string | undefined {
  for (const part of (link ?? '').split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return match[1];
  }
  return undefined;
}

/** One line per failure: the request, the status, GitHub's message, and what to do. */
function apiError(shown: string, response: Response, text: string, token: string): TfsyncError {
  let message = '';
  try {
    const body = JSON.parse(text) as { message?: string; errors?: Array<{ message?: string; code?: string; field?: string } | string> };
    const details = (body.errors ?? []).map((e) => (typeof e === 'string' ? e : e.message ?? [e.field, e.code].filter(Boolean).join(' '))).filter(Boolean);
    message = [body.message, ...details].filter(Boolean).join('; ');
  } catch {
    message = text.slice(0, 200);
  }
  message = message.split(token).join('***').replace(/\s+/g, ' ').trim();
  const status = response.status;
  const head = `GitHub API: ${shown}: ${status}${message ? ` ${message}` : ''}`;
  const remaining = response.headers.get('x-ratelimit-remaining');
  const reset = Number(response.headers.get('x-ratelimit-reset'));
  const retryAfter = response.headers.get('retry-after');
  if ((status === 403 || status === 429) && remaining === '0' && Number.isFinite(reset) && reset > 0) {
    return new TfsyncError(`${head} (rate limit exceeded; it resets at ${new Date(reset * 1000).toISOString()})`, { code: 'github-api' });
  }
  if ((status === 403 || status === 429) && retryAfter) return new TfsyncError(`${head} (rate limited; retry after ${retryAfter} seconds)`, { code: 'github-api' });
  const hints: Record<number, string> = {
    401: 'the token is missing, expired or revoked: check GITHUB_TOKEN or GH_TOKEN',
    403: 'the token lacks a permission: a workflow needs `permissions: pull-requests: write, issues: write, contents: write`',
    404: 'no such repository, or the token cannot see it: check GITHUB_REPOSITORY and the token',
    422: 'GitHub refused the request as sent',
  };
  return new TfsyncError(hints[status] ? `${head} (${hints[status]})` : head, { code: 'github-api' });
}
