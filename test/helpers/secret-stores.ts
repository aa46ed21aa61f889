/**
 * Real local secret stores for tests: a `pass` store with a GPG key made for the test (in its own
 * GNUPGHOME, never the user's), and an age identity with files encrypted to it. Used by the
 * backends' round trips and by any command test that plants secrets in them.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Encrypter, armor } from 'age-encryption';
import { commandWorks } from './tools.js';

const run = promisify(execFile);

export const HAS_PASS = commandWorks('pass', ['version']) && commandWorks('gpg', ['--version']);
export const HAS_AGE = commandWorks('age', ['--version']) && commandWorks('age-keygen', ['--version']);

export interface PassStore {
  dir: string;
  /** GNUPGHOME and PASSWORD_STORE_DIR of the test store, over process.env: give it to the code under test. */
  env: Record<string, string | undefined>;
  /** `pass insert --multiline NAME` with `content` on stdin. */
  insert(name: string, content: string): Promise<void>;
  /** What `pass show NAME` prints. */
  show(name: string): Promise<string>;
  /** Ends the test keyring's gpg-agent and removes everything. */
  dispose(): Promise<void>;
}

/** A new GPG key (no passphrase) in a temporary GNUPGHOME and a store `pass init`ed for it. Takes a second or two. */
export async function makePassStore(): Promise<PassStore> {
  const dir = await mkdtemp(join(tmpdir(), 'tfsync-pass-'));
  const gnupg = join(dir, 'gnupg');
  await mkdir(gnupg, { mode: 0o700 });
  const env: Record<string, string | undefined> = { ...process.env, GNUPGHOME: gnupg, PASSWORD_STORE_DIR: join(dir, 'store') };
  delete env['PASSWORD_STORE_GPG_OPTS'];
  const opts = { env: env as NodeJS.ProcessEnv };
  const pass = async (args: string[], input?: string): Promise<string> => {
    const child = run('pass', args, opts);
    child.child.stdin!.end(input ?? '');
    return (await child).stdout;
  };
  await run('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', 'tfsync-test@example.invalid', 'default', 'default', 'never'], opts);
  await pass(['init', 'tfsync-test@example.invalid']);
  return {
    dir,
    env,
    insert: async (name, content) => void (await pass(['insert', '--multiline', '--force', name], content)),
    show: (name) => pass(['show', name]),
    dispose: async () => {
      await run('gpgconf', ['--kill', 'gpg-agent'], opts).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface AgeIdentity {
  /** The identity file age-keygen wrote. */
  file: string;
  /** The AGE-SECRET-KEY-1... line of it. */
  key: string;
  /** Its public key, age1... */
  recipient: string;
  /** Writes `plaintext` to `path` encrypted to the recipient by the age CLI (armored if asked). */
  encryptWithCli(path: string, plaintext: string, armored?: boolean): Promise<void>;
  /** The same with the age-encryption package, for machines without the CLI. */
  encryptWithPackage(path: string, plaintext: string, armored?: boolean): Promise<void>;
}

/** An identity made by `age-keygen -o DIR/NAME` (needs HAS_AGE). */
export async function makeAgeIdentity(dir: string, name = 'age-identity.txt'): Promise<AgeIdentity> {
  const file = join(dir, name);
  await run('age-keygen', ['-o', file]);
  const key = (await readFile(file, 'utf8')).split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-'))!;
  const recipient = (await run('age-keygen', ['-y', file])).stdout.trim();
  return {
    file,
    key,
    recipient,
    async encryptWithCli(path, plaintext, armored = false) {
      const child = run('age', [...(armored ? ['-a'] : []), '-r', recipient, '-o', path]);
      child.child.stdin!.end(plaintext);
      await child;
    },
    async encryptWithPackage(path, plaintext, armored = false) {
      const encrypter = new Encrypter();
      encrypter.addRecipient(recipient);
      const binary = await encrypter.encrypt(plaintext);
      await writeFile(path, armored ? armor.encode(binary) : binary);
    },
  };
}
