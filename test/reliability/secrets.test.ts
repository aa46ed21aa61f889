/**
 * Sensitive values never reach any output: every command, every format (text, --json, markdown,
 * GitHub annotations and job summary, tfvars-json, plans and unified diffs), and every error
 * excerpt and message, including a syntax error on the very line (or inside the multi-line value)
 * that holds a secret, and a file that is not UTF-8 there. `get` and `set` honour the tfsync.json
 * that governs the file. Backups and temporary files are never more readable than the file.
 */
import { chmod, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { recordingFs } from './fault-fs.js';
import { Repo, type Result } from './helpers.js';

/** Every secret below contains this; no output may. */
const MARK = 'S3CRET';
const PROD = 'envs/prod.tfvars';
const TEST = 'envs/test.tfvars';
const SHARED = 'envs/shared.tfvars';

const FILES: Record<string, string> = {
  'tfsync.json': JSON.stringify({
    variables: 'variables.tf',
    shared: 'envs/shared.tfvars',
    environments: 'envs/*.tfvars',
    syncable: ['image_tag', 'api_token', 'creds', 'tls_key', 'admin_password', 'port', 'tokens'],
    environmentSpecific: ['environment', 'db_password'],
    sensitive: ['*_token'],
  }),
  'variables.tf': `variable "environment" {}
variable "image_tag" {}
variable "db_password" {
  sensitive = true
}
variable "api_token" {
  default = ""
}
variable "creds" {
  type      = object({ user = string, password = string })
  sensitive = true
}
variable "tls_key" {
  sensitive = true
}
variable "admin_password" {
  sensitive = true
  default   = "${MARK}-default-admin"
}
variable "port" {
  type      = number
  sensitive = true
}
variable "tokens" {
  type      = list(string)
  sensitive = true
  default   = []
}
`,
  [SHARED]: `image_tag = "1"
api_token = "${MARK}-shared-token"
`,
  [TEST]: `environment    = "test"
image_tag      = "2"
db_password    = "${MARK}-test-db" # the test database
api_token      = "${MARK}-test-token"
creds          = { user = "u", password = "${MARK}-test-creds" }
tls_key        = <<EOT
${MARK}-test-key-line-1
${MARK}-test-key-line-2
EOT
admin_password = "${MARK}-test-admin"
port           = "${MARK}-not-a-number"
tokens = [
  "${MARK}-test-token-1",
  "${MARK}-test-token-2",
]
`,
  [PROD]: `environment    = "prod"
image_tag      = "1"
db_password    = "${MARK}-prod-db"
api_token      = "${MARK}-prod-token"
creds = {
  user     = "u"
  password = "${MARK}-prod-creds"
}
tls_key = "${MARK}-prod-key"
`,
};

let repo: Repo;
async function reset(): Promise<void> {
  for (const [file, text] of Object.entries(FILES)) await repo.write(file, text);
  for (const file of Object.keys(await repo.snapshot())) if (!(file in FILES)) await rm(repo.path(file));
}
beforeAll(async () => {
  repo = await Repo.create(null);
  await reset();
});
afterAll(async () => {
  await repo.dispose();
});

/** Everything a run shows: stdout, stderr, and the GitHub job summary it appended to. */
async function shown(argv: string[], env: Record<string, string> = {}): Promise<{ result: Result; all: string }> {
  const summary = repo.path('summary.md');
  await writeFile(summary, '');
  const result = await repo.run(argv, { env: { GITHUB_STEP_SUMMARY: summary, ...env } });
  const all = `${result.out}\n${result.err}\n${await readFile(summary, 'utf8')}`;
  return { result, all };
}

async function expectNoSecret(argv: string[], env: Record<string, string> = {}): Promise<Result> {
  const { result, all } = await shown(argv, env);
  const leak = all.split('\n').find((line) => line.includes(MARK));
  expect(leak, `tfsync ${argv.join(' ')} printed a secret`).toBeUndefined();
  return result;
}

const READ_COMMANDS = [
  ['show', 'prod'],
  ['show', 'test', '--json'],
  ['show', 'test', '--format', 'tfvars-json'],
  ['show', '@shared'],
  ['diff', 'test', 'prod'],
  ['diff', 'test', 'prod', '--all'],
  ['diff', 'test', 'prod', '--json', '--all'],
  ['diff', 'test', 'prod', '--format', 'markdown', '--all'],
  ['diff', 'test', 'prod', '@shared', '--all'],
  ['check'],
  ['check', '--json'],
  ['check', '--format', 'markdown'],
  ['check', '--format', 'github'],
  ['validate'],
  ['validate', '--json'],
  ['validate', '--format', 'github'],
  ['envs'],
  ['get', PROD],
  ['get', TEST, '--json'],
  ['get', TEST, 'db_password', 'creds', 'tls_key'],
  ['promote', 'test', 'prod', '--dry-run', '--verbose'],
  ['promote', 'test', 'prod', '--dry-run', '--json'],
  ['promote', 'test', '@shared', '--dry-run'],
  ['backport', 'prod', 'test', '--dry-run'],
  ['set', PROD, `db_password="${MARK}-new"`, 'tokens=[]', '--dry-run'],
  ['init', '--dry-run'],
];

describe('sensitive values in every output', () => {
  afterEach(reset);

  it('the setup has secrets to leak: --show-sensitive shows them', async () => {
    for (const argv of [['show', 'test'], ['diff', 'test', 'prod'], ['get', PROD]]) {
      const { all } = await shown([...argv, '--show-sensitive']);
      expect(all).toContain(MARK);
    }
  });

  it('read-only commands and dry runs, in every format', async () => {
    for (const argv of READ_COMMANDS) {
      const result = await expectNoSecret(argv);
      expect([0, 1, 2], `${argv.join(' ')}: ${result.err}`).toContain(result.code);
    }
    // GitHub Actions picks the annotation format by itself.
    await expectNoSecret(['check'], { GITHUB_ACTIONS: 'true' });
    await expectNoSecret(['validate'], { GITHUB_ACTIONS: 'true' });
  });

  it('writing commands: promote, set, restore, and the files they print about', async () => {
    const promote = await expectNoSecret(['promote', 'test', 'prod', '--yes']);
    expect(promote.code, promote.err).toBe(0);
    await expectNoSecret(['restore', 'prod', '--dry-run']);
    await expectNoSecret(['restore', 'prod', '--yes']);
    const set = await expectNoSecret(['set', PROD, `db_password="${MARK}-set"`, `api_token="${MARK}-set-token"`]);
    expect(set.code, set.err).toBe(0);
    expect(set.err).toContain('set db_password: (sensitive) → (sensitive)');
    expect(await repo.read(PROD)).toContain(`${MARK}-set`);
    await expectNoSecret(['set', PROD, `db_password="${MARK}-set"`]);
  });

  it('get and set: a tfsync.json found walking up from the file decides; none found, values print', async () => {
    const get = await expectNoSecret(['get', TEST, '--json']);
    expect(JSON.parse(get.out)).toMatchObject({ db_password: '(sensitive)', api_token: '(sensitive)', image_tag: '2' });
    expect(get.err).toMatch(/sensitive \(tfsync\.json\): --show-sensitive prints them/);
    // From another folder, by --config.
    const elsewhere = await Repo.create(null);
    try {
      await elsewhere.write('x.tfvars', `db_password = "${MARK}-elsewhere"\n`);
      const plain = await elsewhere.run(['get', 'x.tfvars']);
      expect(plain.out).toContain(MARK);
      const configured = await elsewhere.run(['get', 'x.tfvars', '--config', repo.path('tfsync.json')]);
      expect(configured.out).toBe('db_password = (sensitive)\n');
      // A broken tfsync.json is no licence to print secrets: an error, or --show-sensitive.
      await elsewhere.write('tfsync.json', '{ not json');
      const broken = await elsewhere.run(['get', 'x.tfvars']);
      expect(broken.code).toBe(1);
      expect(broken.err).toMatch(/invalid JSON[\s\S]*--show-sensitive/);
      expect(broken.err).not.toContain(MARK);
      expect((await elsewhere.run(['get', 'x.tfvars', '--show-sensitive'])).out).toContain(MARK);
    } finally {
      await elsewhere.dispose();
    }
  });
});

describe('sensitive values in error messages', () => {
  afterEach(reset);
  const COMMANDS = [['show', 'prod'], ['diff', 'test', 'prod'], ['check'], ['validate'], ['promote', 'test', 'prod', '--yes'], ['get', PROD], ['set', PROD, 'image_tag="3"']];

  /** Each broken prod file; every command must fail (or report) without printing the secret. */
  const BROKEN: Array<[string, string | Buffer]> = [
    ['an error on the secret’s own line', `${FILES[PROD]}db_password = "${MARK}-1" ${MARK}-2\n`],
    ['an unterminated secret', `image_tag = "1"\ndb_password = "${MARK}-1\n`],
    ['an error inside an interpolation of a secret', `image_tag = "1"\napi_token = "\${ ${MARK}-a ${MARK}-b }"\n`],
    ['an error inside a multi-line sensitive object', `image_tag = "1"\ncreds = {\n  user = "u"\n  password = "${MARK}-1" ${MARK}-2\n}\n`],
    ['an error inside a multi-line sensitive list', `tokens = [\n  "${MARK}-1",\n  ${MARK}-2 ${MARK}-3\n]\n`],
    ['an unterminated sensitive heredoc', `tls_key = <<EOT\n${MARK}-line\n`],
    ['a sensitive heredoc whose end marker has junk', `tls_key = <<EOT\n${MARK}-line\nEOT junk\nimage_tag = "1"\n`],
    ['invalid UTF-8 in a secret', Buffer.concat([Buffer.from(`image_tag = "1"\ndb_password = "${MARK}-caf`), Buffer.from([0xe9]), Buffer.from('"\n')])],
    ['a NUL byte in a secret', Buffer.from(`image_tag = "1"\ndb_password = "${MARK}-\0-x"\n`)],
  ];
  for (const [what, text] of BROKEN) {
    it(`${what}`, async () => {
      await repo.write(PROD, text);
      for (const argv of COMMANDS) {
        const result = await expectNoSecret(argv);
        expect(result.code, `${argv.join(' ')}: ${result.err}`).toBe(1);
      }
    });
  }

  it('a syntax error in a sensitive declaration’s default, in variables.tf', async () => {
    for (const block of [
      `variable "other" {\n  sensitive = true\n  default = "${MARK}-d1" ${MARK}-d2\n}\n`,
      `variable "other_token" {\n  default = {\n    a = "${MARK}-d1" ${MARK}-d2\n  }\n}\n`,
    ]) {
      await repo.write('variables.tf', `${FILES['variables.tf']}${block}`);
      for (const argv of [['show', 'prod'], ['validate'], ['promote', 'test', 'prod', '--yes']]) expect((await expectNoSecret(argv)).code).toBe(1);
    }
  });

  it('a sensitive value typed on the command line, in an argument that does not parse', async () => {
    const result = await expectNoSecret(['set', PROD, `db_password="${MARK}-unterminated`]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^argument 1:1:\d+: set: db_password=EXPR: Unterminated string/);
  });
});

describe('the modes of backups and temporary files', () => {
  afterEach(reset);

  it('a 0600 file: its .bak is 0600, and no temporary file is ever more readable (promote, set, restore)', async () => {
    await chmod(repo.path(PROD), 0o600);
    await chmod(repo.path(SHARED), 0o600);
    const modes: string[] = [];
    // Before each step on a temporary file, its mode as it stands.
    const fs = recordingFs(undefined, async (call) => {
      if (!call.path.includes('.tfsync-tmp-') || call.op === 'open') return;
      const mode = (await stat(call.path)).mode & 0o777;
      modes.push(`${call.op} ${mode.toString(8)}`);
    });
    expect((await repo.run(['promote', 'test', 'prod', '--yes'], { fs })).code).toBe(0);
    expect((await repo.run(['set', PROD, 'image_tag="9"'], { fs })).code).toBe(0);
    expect((await repo.run(['restore', 'prod', '--yes'], { fs })).code).toBe(0);
    expect(modes.length).toBeGreaterThan(20);
    expect(modes.filter((m) => !m.endsWith(' 600'))).toEqual([]);
    for (const file of [PROD, `${PROD}.bak`, SHARED, `${SHARED}.bak`]) expect((await stat(repo.path(file))).mode & 0o777, file).toBe(0o600);
  });

  it('a 0640 file: the temporary file is private until the end, then takes 0640, never wider', async () => {
    await chmod(repo.path(PROD), 0o640);
    const modes = new Set<number>();
    const fs = recordingFs(undefined, async (call) => {
      if (call.path.includes('.tfsync-tmp-') && call.op !== 'open') modes.add((await stat(call.path)).mode & 0o777);
    });
    expect((await repo.run(['set', PROD, 'image_tag="9"'], { fs })).code).toBe(0);
    expect([...modes].sort()).toEqual([0o600, 0o640]);
    expect((await stat(repo.path(`${PROD}.bak`))).mode & 0o777).toBe(0o640);
  });
});
