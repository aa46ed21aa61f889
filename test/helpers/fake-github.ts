/**
 * A loopback server that answers like the GitHub REST API, for the endpoints tfsync uses: pull
 * requests listed by head, created and updated; issues listed (with pull requests among them, as
 * GitHub does) a few per page with `Link` headers, created, updated, commented on, labelled; the
 * repository itself. It checks the token, records every request, and can be told to fail the next
 * one (401, 403 with a rate limit, 422, ...).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer } from './loopback-server.js';

export interface Recorded {
  method: string;
  /** Path and query, as sent. */
  url: string;
  body: unknown;
  authorization: string | undefined;
  apiVersion: string | undefined;
}

interface Item {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason?: string | null;
  labels: string[];
  comments: string[];
  head?: string;
  base?: string;
  draft?: boolean;
}

interface Failure {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

export class FakeGitHub extends LoopbackServer {
  readonly requests: Recorded[] = [];
  readonly items: Item[] = [];
  /** Items per page of an issue listing: small, so that pagination is exercised. */
  pageSize = 2;
  private failures: Failure[] = [];

  constructor(
    readonly owner: string,
    readonly repo: string,
    readonly token: string,
  ) {
    super();
  }

  failNext(failure: Failure): void {
    this.failures.push(failure);
  }

  /** The requests that change something. */
  writes(): Recorded[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  /** `METHOD /path?query` of every request, in order. */
  lines(): string[] {
    return this.requests.map((r) => `${r.method} ${r.url}`);
  }

  addIssue(fields: Partial<Item> & { title: string }, pull = false): Item {
    const item: Item = { number: this.items.length + 1, body: null, state: 'open', labels: [], comments: [], ...fields };
    if (pull) item.head ??= 'someone:feature';
    this.items.push(item);
    return item;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? JSON.parse(text) : undefined;
    this.requests.push({ method: req.method!, url: req.url!, body, authorization: req.headers.authorization, apiVersion: req.headers['x-github-api-version'] as string | undefined });
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(data));
    };
    const failure = this.failures.shift();
    if (failure) return send(failure.status, failure.body, failure.headers);
    if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });

    const url = new URL(req.url!, this.url);
    const base = `/repos/${this.owner}/${this.repo}`;
    if (!url.pathname.startsWith(base)) return send(404, { message: 'Not Found' });
    const rest = url.pathname.slice(base.length);
    const route = `${req.method} ${rest.replace(/\/\d+/g, '/N')}`;
    const number = Number(/\/(\d+)/.exec(rest)?.[1]);
    const item = this.items.find((i) => i.number === number);

    switch (route) {
      case 'GET ':
        return send(200, { full_name: `${this.owner}/${this.repo}`, default_branch: 'main' });
      case 'GET /pulls': {
        const head = url.searchParams.get('head');
        const state = url.searchParams.get('state') ?? 'open';
        return send(200, this.items.filter((i) => i.head !== undefined && i.state === state && (!head || `${this.owner}:${i.head}` === head)).map((i) => this.pull(i)));
      }
      case 'POST /pulls': {
        const b = body as { title?: string; head?: string; base?: string; body?: string; draft?: boolean };
        if (!b.title || !b.head || !b.base) return send(422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'missing_field', field: 'base' }] });
        if (this.items.some((i) => i.head === b.head && i.state === 'open')) {
          return send(422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${this.owner}:${b.head}.` }] });
        }
        return send(201, this.pull(this.addIssue({ title: b.title, body: b.body ?? null, head: b.head, base: b.base, draft: b.draft === true })));
      }
      case 'PATCH /pulls/N':
        if (!item?.head) return send(404, { message: 'Not Found' });
        Object.assign(item, body);
        return send(200, this.pull(item));
      case 'GET /issues': {
        const state = url.searchParams.get('state') ?? 'open';
        const page = Number(url.searchParams.get('page') ?? '1');
        const all = this.items.filter((i) => i.state === state);
        const slice = all.slice((page - 1) * this.pageSize, page * this.pageSize);
        const headers: Record<string, string> = {};
        if (page * this.pageSize < all.length) {
          const next = new URL(url);
          next.searchParams.set('page', String(page + 1));
          headers.link = `<${next.href}>; rel="next", <${this.url}${base}/issues?page=1>; rel="first"`;
        }
        return send(200, slice.map((i) => this.issue(i)), headers);
      }
      case 'POST /issues': {
        const b = body as { title?: string; body?: string; labels?: string[] };
        if (!b.title) return send(422, { message: 'Validation Failed', errors: [{ resource: 'Issue', code: 'missing_field', field: 'title' }] });
        return send(201, this.issue(this.addIssue({ title: b.title, body: b.body ?? null, labels: b.labels ?? [] })));
      }
      case 'PATCH /issues/N':
        if (!item) return send(404, { message: 'Not Found' });
        Object.assign(item, body);
        return send(200, this.issue(item));
      case 'POST /issues/N/comments':
        if (!item) return send(404, { message: 'Not Found' });
        item.comments.push((body as { body: string }).body);
        return send(201, { id: item.comments.length, body: (body as { body: string }).body });
      case 'POST /issues/N/labels':
        if (!item) return send(404, { message: 'Not Found' });
        for (const label of (body as { labels: string[] }).labels) if (!item.labels.includes(label)) item.labels.push(label);
        return send(200, item.labels.map((name) => ({ name })));
      default:
        return send(404, { message: 'Not Found' });
    }
  }

  private issue(i: Item) {
    return {
      number: i.number,
      title: i.title,
      body: i.body,
      state: i.state,
      html_url: `https://github.example/${this.owner}/${this.repo}/${i.head ? 'pull' : 'issues'}/${i.number}`,
      labels: i.labels.map((name) => ({ name })),
      ...(i.head ? { pull_request: { url: `${this.url}/repos/${this.owner}/${this.repo}/pulls/${i.number}` } } : {}),
    };
  }

  private pull(i: Item) {
    return { ...this.issue(i), html_url: `https://github.example/${this.owner}/${this.repo}/pull/${i.number}`, head: { ref: i.head }, base: { ref: i.base }, draft: i.draft };
  }
}
