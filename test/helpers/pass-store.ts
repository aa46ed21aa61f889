/**
 * A real `pass` store for end-to-end tests: a GPG key made for the test in a temporary GNUPGHOME,
 * a store `pass init`ed in a temporary PASSWORD_STORE_DIR. Tests skip (saying why) where pass or
 * gpg is not installed.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { commandWorks } from './tools.js';

const exec = promisify(execFile);

export const HAS_PASS = commandWorks('pass', ['version']) && commandWorks('gpg', ['--version']);

export class PassStore {
  private constructor(
    readonly dir: string,
    /** GNUPGHOME, PASSWORD_STORE_DIR and PATH: what a command needs to use the store. */
    readonly env: Record<string, string>,
  ) {}

  static async make(): Promise<PassStore> {
    const dir = await mkdtemp(join(tmpdir(), 'tfsync-pass-store-'));
    const gnupg = join(dir, 'gnupg');
    await mkdir(gnupg, { mode: 0o700 });
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, GNUPGHOME: gnupg, PASSWORD_STORE_DIR: join(dir, 'store') };
    await exec('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', 'tfsync-e2e@example.invalid', 'default', 'default', 'never'], { env });
    const store = new PassStore(dir, env);
    await store.pass(['init', 'tfsync-e2e@example.invalid']);
    return store;
  }

  async pass(args: string[], input?: string): Promise<string> {
    const child = exec('pass', args, { env: this.env });
    child.child.stdin!.end(input ?? '');
    return (await child).stdout;
  }

  insert(entry: string, value: string): Promise<string> {
    return this.pass(['insert', '--multiline', '--force', entry], `${value}\n`);
  }

  async show(entry: string): Promise<string> {
    return (await this.pass(['show', entry])).replace(/\n$/, '');
  }

  async remove(): Promise<void> {
    // The agent gpg started for the test keyring, ended by its own control tool.
    await exec('gpgconf', ['--kill', 'gpg-agent'], { env: this.env }).catch(() => {});
    await rm(this.dir, { recursive: true, force: true });
  }
}
