/**
 * The leak test: a distinct secret planted in every backend this branch has, every command that
 * touches secrets run on them (with a step summary, annotations and action outputs on), and
 * everything captured scanned for every planted value: stdout, stderr, JSON, the step summary, the
 * action outputs, every file under the repository (.bak files and locks included) and under the
 * temporary folder the commands see. None may appear, except in the file `show --resolve-secrets
 * --output` was asked to write, and in the environment of the command `exec` runs.
 *
 * The backends are a table: adding one is one entry (how to plant a secret per environment, the
 * reference template, the environment the commands need; for stores promote writes to, what they
 * hold afterwards; how to make the store refuse). Remote stores are the tests' stand-ins: a loopback
 * Vault KV v2, loopback Secrets Manager and Parameter Store servers driven by the real AWS SDK clients,
 * and `op` / `sops` executables on PATH that print the planted values.
 */
import { randomBytes, createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Encrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, type RunResult } from '../helpers/cli.js';
import { FakeAws } from '../helpers/fake-aws.js';
import { FakeVault } from '../helpers/fake-vault.js';
import { HAS_PASS, makePassStore, type PassStore } from '../helpers/secret-stores.js';
import { StandIn, type Answer } from '../helpers/stand-in.js';

const SLOW = 180_000;
const ENVS = ['dev', 'prod'] as const;
type Env = (typeof ENVS)[number];

interface Backend {
  name: string;
  /** Why the entry is skipped on this machine, if it is. */
  skip?: string;
  /**
   * Plants `values[env]` for each environment under `store` (a folder of its own, not scanned); returns
   * the reference template, the environment commands need, and a folder of stand-in executables to put
   * first on PATH.
   */
  plant(store: string, values: Record<Env, string>): Promise<{ reference: string; env: Record<string, string>; bin?: string }>;
  /** What the store holds for `env` now; given for the stores promote writes to, to prove it copied. */
  stored?(env: Env): Promise<string | undefined>;
  /** Makes the store refuse from now on (another key, a tool that fails echoing the value); returns the environment for that. */
  refuse?(values: Record<Env, string>): Promise<Record<string, string>>;
  /** Undoes what plant started (an agent, a server, say). */
  cleanup?(): Promise<void>;
}

let pass: PassStore | undefined;
let vault: FakeVault | undefined;
let secretsManager: FakeAws | undefined;
let parameterStore: FakeAws | undefined;
let op: StandIn | undefined;
let sops: StandIn | undefined;
// Static fake keys for the real SDK clients; the loopback servers check the access key in the signature.
const AWS_KEYS = { AWS_ACCESS_KEY_ID: 'AKIDLEAKTEST00000000', AWS_SECRET_ACCESS_KEY: 'fake-secret-access-key', AWS_REGION: 'us-east-1' };
/** The answer per environment of a stand-in whose arguments name `<env><suffix>`. */
const perEnv = (suffix: string, answer: (env: Env) => Answer) => Object.fromEntries(ENVS.map((env) => [`${env}${suffix}`, answer(env)]));

const BACKENDS: Backend[] = [
  {
    name: 'envsubst',
    plant: async (_store, values) => ({ reference: 'ref+envsubst://$LEAK_ENVSUBST_{env}', env: { LEAK_ENVSUBST_dev: values.dev, LEAK_ENVSUBST_prod: values.prod } }),
  },
  {
    name: 'file',
    plant: async (store, values) => {
      for (const env of ENVS) await writeFile(join(store, `${env}.env`), `OTHER=x\nLEAK_VALUE=${values[env]}\n`);
      return { reference: `ref+file://${store}/{env}.env#/LEAK_VALUE`, env: {} };
    },
  },
  {
    name: 'age',
    plant: async (store, values) => {
      const identity = await generateIdentity();
      const encrypter = new Encrypter();
      encrypter.addRecipient(await identityToRecipient(identity));
      for (const env of ENVS) await writeFile(join(store, `${env}.json.age`), await encrypter.encrypt(JSON.stringify({ value: values[env] })));
      return { reference: `ref+age://${store}/{env}.json.age#/value`, env: { TFSYNC_AGE_IDENTITY: identity } };
    },
    refuse: async () => ({ TFSYNC_AGE_IDENTITY: await generateIdentity() }),
  },
  {
    name: 'pass',
    skip: HAS_PASS ? undefined : 'pass or gpg is not installed',
    plant: async (_store, values) => {
      pass = await makePassStore();
      for (const env of ENVS) await pass.insert(`leak/${env}/value`, `${values[env]}\n`);
      // Only the store's own variables: the rest of the test's environment (a CI's GITHUB_*) stays out.
      return { reference: 'ref+pass://leak/{env}/value', env: { GNUPGHOME: pass.env.GNUPGHOME!, PASSWORD_STORE_DIR: pass.env.PASSWORD_STORE_DIR! } };
    },
    stored: async (env) => (await pass!.show(`leak/${env}/value`)).split('\n')[0],
    refuse: async () => ({ PASSWORD_STORE_DIR: join(pass!.dir, 'no-store') }),
    cleanup: async () => pass?.dispose(),
  },
  {
    name: 'vault',
    plant: async (_store, values) => {
      vault = await new FakeVault('hvs.leak-test-token').start();
      for (const env of ENVS) vault.put(`secret/leak/${env}`, { value: values[env], other: 'x' });
      return { reference: 'ref+vault://secret/data/leak/{env}#/value', env: { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.token } };
    },
    stored: async (env) => vault!.latest(`secret/leak/${env}`)?.['value'] as string | undefined,
    refuse: async () => ({ VAULT_TOKEN: 'hvs.revoked-token' }),
    cleanup: async () => vault?.stop(),
  },
  {
    name: 'awssecrets',
    plant: async (_store, values) => {
      secretsManager = await new FakeAws(AWS_KEYS.AWS_ACCESS_KEY_ID).start();
      for (const env of ENVS) secretsManager.putSecret(`leak/${env}`, JSON.stringify({ value: values[env], other: 'x' }));
      return { reference: 'ref+awssecrets://leak/{env}#/value', env: { ...AWS_KEYS, AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url } };
    },
    stored: async (env) => JSON.parse(secretsManager!.currentSecret(`leak/${env}`) ?? '{}').value,
    // AccessDeniedException, whose message names the secret.
    refuse: async () => {
      for (const env of ENVS) secretsManager!.denied.add(`leak/${env}`);
      return {};
    },
    cleanup: async () => secretsManager?.stop(),
  },
  {
    name: 'awsssm',
    plant: async (_store, values) => {
      parameterStore = await new FakeAws(AWS_KEYS.AWS_ACCESS_KEY_ID).start();
      for (const env of ENVS) parameterStore.putParameter(`/leak/${env}/value`, values[env]);
      return { reference: 'ref+awsssm://leak/{env}/value', env: { ...AWS_KEYS, AWS_ENDPOINT_URL_SSM: parameterStore.url } };
    },
    stored: async (env) => parameterStore!.parameters.get(`/leak/${env}/value`)?.versions.at(-1),
    // Throttled on every request from now on; one attempt each, so that the SDK does not back off for long.
    refuse: async () => {
      parameterStore!.failNext(400, 'ThrottlingException', 'Rate exceeded', 10_000);
      return { AWS_MAX_ATTEMPTS: '1' };
    },
    cleanup: async () => parameterStore?.stop(),
  },
  {
    name: 'op',
    plant: async (store, values) => {
      op = new StandIn(store, 'op');
      await op.answer({ stderr: '[ERROR] "Leak" isn\'t a vault in this account.\n', code: 1 }, perEnv('/value', (env) => ({ stdout: values[env] })));
      return { reference: 'ref+op://Leak/{env}/value', env: {}, bin: op.bin };
    },
    refuse: async (values) => {
      await op!.answer({ code: 1 }, perEnv('/value', (env) => ({ stderr: `[ERROR] could not read field ${values[env]}: session expired\n`, code: 1 })));
      return {};
    },
  },
  {
    name: 'sops',
    plant: async (store, values) => {
      sops = new StandIn(store, 'sops');
      await sops.answer({ stderr: 'Error reading file: no such file or directory\n', code: 2 }, perEnv('.enc.yaml', (env) => ({ stdout: values[env] })));
      return { reference: `ref+sops://${store}/{env}.enc.yaml#/value`, env: {}, bin: sops.bin };
    },
    refuse: async (values) => {
      await sops!.answer({ code: 4 }, perEnv('.enc.yaml', (env) => ({ stdout: `value: ${values[env]}\n`, stderr: `Error dumping file: value: ${values[env]}\n`, code: 4 })));
      return {};
    },
  },
];

const active = BACKENDS.filter((b) => b.skip === undefined);
const skipped = BACKENDS.filter((b) => b.skip !== undefined);

/** Every file under `dir` (recursively), by path, with its bytes as text. */
async function filesUnder(dir: string): Promise<Array<{ path: string; text: string }>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return Promise.all(entries.filter((e) => e.isFile()).map(async (e) => ({ path: join(e.parentPath, e.name), text: await readFile(join(e.parentPath, e.name), 'latin1') })));
}

describe(`the leak test: no planted secret in any output or file (backends: ${active.map((b) => b.name).join(', ')}${skipped.length > 0 ? `; skipped: ${skipped.map((b) => `${b.name} (${b.skip})`).join(', ')}` : ''})`, () => {
  let home: string;
  let repo: string;
  let temp: string;
  let env: Record<string, string | undefined>;
  const planted: Record<string, Record<Env, string>> = {};
  const results: Array<{ argv: string[]; result: RunResult }> = [];
  let previousTmp: string | undefined;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'tfsync-leak-'));
    repo = join(home, 'repo');
    temp = join(home, 'tmp');
    await mkdir(temp);
    // What os.tmpdir() gives the commands (they run in this process): scanned at the end.
    previousTmp = process.env.TMPDIR;
    process.env.TMPDIR = temp;
    const secrets: Record<string, string> = {};
    env = { PATH: process.env.PATH, GITHUB_STEP_SUMMARY: join(home, 'summary.md'), GITHUB_OUTPUT: join(home, 'output.txt') };
    for (const backend of active) {
      const values = { dev: `Leak-${backend.name}-dev-${randomBytes(9).toString('hex')}`, prod: `Leak-${backend.name}-prod-${randomBytes(9).toString('hex')}` };
      planted[backend.name] = values;
      const store = join(home, `store-${backend.name}`);
      await mkdir(store);
      const { reference, env: more, bin } = await backend.plant(store, values);
      secrets[`leak_${backend.name}`] = reference;
      Object.assign(env, more);
      // Stand-ins first on PATH, the test's PATH after them: node (their shebang), git and the real tools stay reachable.
      if (bin) env.PATH = [bin, env.PATH].join(delimiter);
    }
    const names = active.map((b) => `leak_${b.name}`);
    const files: Record<string, string> = {
      'tfsync.json': JSON.stringify({ variables: 'variables.tf', syncable: ['image', ...names], environmentSpecific: ['domain'], secrets }, null, 2),
      'variables.tf': ['variable "image" {}', 'variable "domain" {}', ...names.map((n) => `variable "${n}" {\n  sensitive = true\n}`)].join('\n\n') + '\n',
      'environments/shared-features.tfvars': 'image = "v1"\n',
      'environments/dev/terraform.tfvars': 'domain = "dev"\nimage = "v2"\n',
      'environments/prod/terraform.tfvars': 'domain = "prod"\nimage = "v1"\n',
    };
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(repo, path, '..'), { recursive: true });
      await writeFile(join(repo, path), text);
    }
  }, SLOW);

  afterAll(async () => {
    if (previousTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmp;
    for (const backend of active) await backend.cleanup?.();
    if (home) await rm(home, { recursive: true, force: true });
  }, SLOW);

  const exec = async (argv: string[], extra: Record<string, string> = {}) => {
    const result = await run(argv, { cwd: repo, env: { ...env, ...extra } });
    results.push({ argv, result });
    return result;
  };

  it('runs every command that touches secrets, and none shows, writes or summarises a planted value', async () => {
    const github = { GITHUB_ACTIONS: 'true' };
    const outputFile = join(repo, 'resolved.tfvars.json');
    await exec(['diff', 'dev', 'prod']);
    await exec(['diff', 'dev', 'prod', '--json']);
    await exec(['diff', 'dev', 'prod', '--format', 'markdown']);
    await exec(['show', 'dev']);
    await exec(['show', 'dev', '--json']);
    await exec(['show', 'dev', '--format', 'tfvars-json']);
    const resolved = await exec(['show', 'dev', '--format', 'tfvars-json', '--resolve-secrets', '--output', 'resolved.tfvars.json']);
    expect(resolved.code, resolved.err).toBe(0);
    await exec(['check']);
    await exec(['check', '--json']);
    await exec(['check', '--format', 'markdown']);
    await exec(['check', '--format', 'github'], github);
    await exec(['check', '--strict'], github);
    await exec(['validate']);
    await exec(['validate', '--json']);
    await exec(['promote', 'dev', 'prod', '--dry-run']);
    await exec(['promote', 'dev', 'prod', '--dry-run', '--json']);
    await exec(['backport', 'prod', 'dev', '--dry-run'], github);
    const promoted = await exec(['promote', 'dev', 'prod', '--yes'], github);
    expect(promoted.code, promoted.err).toBe(0);
    // The copy went through the stores that take writes (local and remote), without passing through any output.
    for (const b of active.filter((b) => b.stored)) expect(await b.stored!('prod'), `${b.name}: prod after promote`).toBe(planted[b.name]!.dev);
    await exec(['promote', 'dev', 'prod', '--yes', '--json']);
    await exec(['diff', 'dev', 'prod', '--json']);

    // exec: the child gets every secret (checked by hash, so that not even its argv holds a value) and prints nothing.
    const want = Object.fromEntries(active.map((b) => [`TF_VAR_leak_${b.name}`, createHash('sha256').update(planted[b.name]!.dev).digest('hex')]));
    const script = `const c=require('node:crypto');const want=JSON.parse(process.argv[1]);process.exit(Object.entries(want).every(([k,h])=>c.createHash('sha256').update(process.env[k]??'').digest('hex')===h)?0:3)`;
    const child = await exec(['exec', 'dev', '--', process.execPath, '-e', script, JSON.stringify(want)]);
    expect(child.code, child.err).toBe(0);

    // Failures too: a store that refuses (another age identity, a pass store gone, a revoked token, a
    // denied secret, throttling, a tool whose error echoes the value) is named, its value is not. exec
    // stops at the first failing reference in the configuration's order, so the stores refuse from the
    // last entry to the first and exec runs after each: every store's own error reaches stderr once.
    const broken: Record<string, string> = {};
    for (const b of [...active].reverse().filter((b) => b.refuse)) {
      Object.assign(broken, await b.refuse!(planted[b.name]!));
      const failed = await exec(['exec', 'dev', '--', process.execPath, '-e', 'process.exit(0)'], broken);
      expect(failed.code, failed.err).toBe(1);
      expect(failed.err).toContain(`ref+${b.name}://`);
    }
    await exec(['diff', 'dev', 'prod'], broken);
    await exec(['check', '--format', 'github'], { ...github, ...broken });
    await exec(['promote', 'dev', 'prod', '--dry-run', '--json'], broken);
    await exec(['backport', 'dev', 'prod', '--yes'], broken);

    // The scan is not vacuous: the values were there to leak.
    const output = await readFile(outputFile, 'utf8');
    for (const b of active) expect(JSON.parse(output)[`leak_${b.name}`]).toBe(planted[b.name]!.dev);

    const captured: Array<{ where: string; text: string }> = [];
    for (const { argv, result } of results) {
      captured.push({ where: `stdout of tfsync ${argv.join(' ')}`, text: result.out }, { where: `stderr of tfsync ${argv.join(' ')}`, text: result.err });
    }
    for (const file of [...(await filesUnder(repo)), ...(await filesUnder(temp))]) {
      if (file.path !== outputFile) captured.push({ where: file.path, text: file.text });
    }
    for (const extra of [env.GITHUB_STEP_SUMMARY!, env.GITHUB_OUTPUT!]) captured.push({ where: extra, text: await readFile(extra, 'utf8').catch(() => '') });
    expect(captured.find((c) => c.where.endsWith('summary.md'))!.text).toContain('tfsync check');
    expect(captured.some((c) => c.where.endsWith('.bak'))).toBe(true);

    const leaks = captured.flatMap(({ where, text }) => Object.entries(planted).flatMap(([backend, values]) => ENVS.filter((e) => text.includes(values[e])).map((e) => `${backend}/${e} in ${where}`)));
    expect(leaks).toEqual([]);
  }, SLOW);
});
