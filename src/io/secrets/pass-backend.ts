/**
 * `ref+pass://PATH` and `ref+gopass://PATH`: an entry of a password store (zx2c4's `pass`, or
 * gopass, which keeps the same layout), through the store's own CLI so that gpg, its agent and the
 * user's pinentry decide about decryption, never tfsync.
 *
 * An entry follows pass's multi-line convention: the first line is the password (the value of a
 * reference without `#/key`); later lines of the form `key: value` are fields (`#/key`).
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SecretRef } from '../../model/secret-ref.js';
import { SecretError, pickKey, type SecretBackend, type SecretContext } from './backend.js';
import { runTool, toolFailure, type ToolResult } from './run-tool.js';

export const passBackend: SecretBackend = {
  name: 'pass',
  async read(ref, ctx) {
    const entry = await showEntry(ref, ctx);
    return valueOf(ref, entry);
  },
  // pass has no "exists" command, and `pass show` decrypts: the entry's file answers without the value
  // (for `#/key`, whether the entry exists: the key inside it is not checked).
  async exists(ref, ctx) {
    const file = join(storeDir(ref, ctx), `${entryPath(ref)}.gpg`);
    try {
      return (await stat(file)).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
      throw new SecretError(ref, 'secret-backend-failed', `the password store could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  },
  /**
   * `pass insert --multiline --force` rewrites the whole entry, so an existing entry is read first
   * and only its password line (or its `key:` line) is replaced: a copy never drops the entry's
   * other fields. The new content goes on stdin, never in an argument.
   */
  async write(ref, value, ctx) {
    refuseMultiline(ref, value);
    const path = entryPath(ref);
    rewrite(ref, undefined, value); // the key's shape is refused before anything is decrypted
    const current = (await passBackend.exists!(ref, ctx)) ? await showEntry(ref, ctx) : undefined;
    const content = rewrite(ref, current, value);
    const result = await runTool(ref, ctx, 'pass', ['insert', '--multiline', '--force', '--', path], content);
    if (result.code !== 0) throw passFailure(ref, result);
  },
};

export const gopassBackend: SecretBackend = {
  name: 'gopass',
  // gopass parses the entry itself (key-value and YAML bodies): `show PATH KEY` is its own field lookup.
  async read(ref, ctx) {
    const path = entryPath(ref);
    if (ref.key.length > 1) throw new SecretError(ref, 'secret-ref-invalid', 'gopass entries have one level of keys (#/KEY)');
    // --nofuzzysearch: a name gopass does not know must fail, not show the closest other entry.
    const args = ref.key.length === 0 ? ['show', '--nofuzzysearch', '--password', '--', path] : ['show', '--nofuzzysearch', '--unsafe', '--', path, ref.key[0]!];
    const result = await runTool(ref, ctx, 'gopass', args);
    if (result.code !== 0) throw gopassFailure(ref, result);
    const value = result.stdout.replace(/\r?\n$/, '');
    if (value === '') throw new SecretError(ref, 'secret-not-found', 'the entry is empty');
    return value;
  },
  // `ls --flat` prints names only, one a line, and decrypts nothing.
  async exists(ref, ctx) {
    const path = entryPath(ref);
    const result = await runTool(ref, ctx, 'gopass', ['ls', '--flat']);
    if (result.code !== 0) throw gopassFailure(ref, result);
    // The entry's name only: whether a `#/key` is inside it would need the entry decrypted.
    return result.stdout.split(/\r?\n/).some((line) => line.trim() === path);
  },
  // gopass's `insert` replaces just the password (or, given KEY, just that field) and keeps the rest.
  async write(ref, value, ctx) {
    refuseMultiline(ref, value);
    const path = entryPath(ref);
    if (ref.key.length > 1) throw new SecretError(ref, 'secret-ref-invalid', 'gopass entries have one level of keys (#/KEY)');
    const args = ['insert', '--force', '--', path, ...ref.key];
    const result = await runTool(ref, ctx, 'gopass', args, value);
    if (result.code !== 0) throw gopassFailure(ref, result);
  },
};

/** The entry's name: relative, no `..`, no leading `-` (pass refuses "sneaky paths"; we refuse them first). */
function entryPath(ref: SecretRef): string {
  const path = ref.path.replace(/^\/+|\/+$/g, '');
  const parts = path.split('/');
  if (path === '' || parts.some((p) => p === '' || p === '.' || p === '..') || path.startsWith('-')) {
    throw new SecretError(ref, 'secret-ref-invalid', `${ref.backend} takes the name of an entry inside the store (folder/entry, without . or .. and not starting with -)`);
  }
  return path;
}

/** Where pass keeps its entries: $PASSWORD_STORE_DIR, else ~/.password-store. */
function storeDir(ref: SecretRef, ctx: SecretContext): string {
  const configured = ctx.env['PASSWORD_STORE_DIR'];
  // Relative to where pass runs (runTool's cwd, the folder of tfsync.json), as pass itself would take it.
  if (configured) return resolve(ctx.root, configured);
  const home = ctx.env['HOME'];
  if (!home) throw new SecretError(ref, 'secret-backend-failed', 'neither PASSWORD_STORE_DIR nor HOME is set', 'set PASSWORD_STORE_DIR to the password store');
  return join(home, '.password-store');
}

async function showEntry(ref: SecretRef, ctx: SecretContext): Promise<string> {
  // `pass show FOLDER` prints the folder's tree with status 0: that must not be read as a password.
  if (!(await passBackend.exists!(ref, ctx))) throw new SecretError(ref, 'secret-not-found', 'the entry is not in the password store');
  const result = await runTool(ref, ctx, 'pass', ['show', '--', entryPath(ref)]);
  if (result.code !== 0) throw passFailure(ref, result);
  return result.stdout;
}

/** The password (first line), or the `#/key` field of the later `key: value` lines. */
function valueOf(ref: SecretRef, entry: string): string {
  const [first = '', ...rest] = entry.split(/\r?\n/);
  if (ref.key.length === 0) {
    if (first === '') throw new SecretError(ref, 'secret-not-found', 'the entry is empty');
    return first;
  }
  return pickKey(ref, fieldsOf(rest));
}

const FIELD = /^([^:\s][^:]*?)\s*:\s?(.*)$/;

function fieldsOf(lines: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of lines) {
    const match = FIELD.exec(line);
    // The first line of a key wins, as gopass reads a key-value body.
    if (match && !Object.hasOwn(fields, match[1]!)) fields[match[1]!] = match[2]!;
  }
  return fields;
}

/** The entry with its password (or its `key:` line) replaced; every other line kept as it was. */
function rewrite(ref: SecretRef, current: string | undefined, value: string): string {
  const lines = current === undefined ? [''] : current.replace(/\r?\n$/, '').split(/\r?\n/);
  if (ref.key.length === 0) {
    lines[0] = value;
  } else {
    if (ref.key.length > 1) throw new SecretError(ref, 'secret-ref-invalid', 'pass entries have one level of keys (#/KEY)');
    const key = ref.key[0]!;
    if (key.includes(':') || key.trim() !== key || key === '') throw new SecretError(ref, 'secret-not-writable', 'a key with a colon or with spaces at its ends cannot be a field line of a pass entry');
    const at = lines.findIndex((line, i) => i > 0 && FIELD.exec(line)?.[1] === key);
    if (at > 0) lines[at] = `${key}: ${value}`;
    else lines.push(`${key}: ${value}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A value of several lines would come back as its first line only (pass's convention), so it is not written. */
function refuseMultiline(ref: SecretRef, value: string): void {
  if (/[\r\n]/.test(value)) {
    throw new SecretError(ref, 'secret-not-writable', `a value of several lines cannot be stored in a ${ref.backend} entry (its first line is the password)`);
  }
}

// Details are fixed phrases without "key: value" shapes, so that redact() leaves them readable.
function passFailure(ref: SecretRef, result: ToolResult): SecretError {
  const err = result.stderr;
  const status = `pass exited with status ${result.code}`;
  if (/is not in the password store/.test(err)) return new SecretError(ref, 'secret-not-found', `${status} (the entry is not in the password store)`);
  const gpg = gpgReason(err);
  if (gpg) {
    return new SecretError(ref, 'secret-access-denied', `${status} (${gpg})`, 'gpg cannot use a key of this store; check GNUPGHOME, that the key is imported, and that gpg-agent can unlock it');
  }
  if (/You must run:[\s\S]*pass init/.test(err)) {
    return new SecretError(ref, 'secret-backend-failed', `${status} (the password store is not initialised)`, 'run `pass init GPG-ID`, or set PASSWORD_STORE_DIR to the store');
  }
  return toolFailure(ref, 'pass', result);
}

/** gopass's exit codes (its docs/exit-codes.md): 10 not found, 11 cannot decrypt. */
function gopassFailure(ref: SecretRef, result: ToolResult): SecretError {
  const status = `gopass exited with status ${result.code}`;
  if (result.code === 10 || /not found|does not exist|is not in the password store/i.test(result.stderr)) return new SecretError(ref, 'secret-not-found', `${status} (the entry is not in the store)`);
  const gpg = gpgReason(result.stderr);
  if (result.code === 11 || gpg) return new SecretError(ref, 'secret-access-denied', `${status} (${gpg ?? 'the entry could not be decrypted'})`, 'check that a key of this store is available to gpg (or age) and unlocked');
  return toolFailure(ref, 'gopass', result);
}

/** Why gpg failed, in a fixed phrase, or undefined when the failure is not gpg's. */
function gpgReason(stderr: string): string | undefined {
  if (/No secret key/i.test(stderr)) return 'gpg has no secret key for the entry';
  if (/No public key|unusable public key|skipped/i.test(stderr)) return 'gpg has no usable public key of a recipient';
  if (/Inappropriate ioctl|pinentry|No pinentry|Bad passphrase|canceled/i.test(stderr)) return 'gpg could not unlock the key (no pinentry or a wrong passphrase)';
  if (/decryption failed|encryption failed|no valid OpenPGP data/i.test(stderr)) return 'gpg could not decrypt the entry';
  return undefined;
}
