/**
 * Stand-in executables for store CLIs (`op`, `sops`): a small node script put on PATH under the
 * tool's name that appends its argv (and the environment variables asked for) to a calls file and
 * answers with a canned stdout, stderr and exit status. Tests prove the exact invocation and the
 * handling of the tool's answers without the tool.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

export interface Answer {
  stdout?: string;
  stderr?: string;
  code?: number;
}

export interface Call {
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
}

export class StandIn {
  readonly bin: string;
  private readonly calls: string;

  constructor(
    readonly dir: string,
    readonly name: string,
    readonly envNames: string[] = [],
  ) {
    this.bin = join(dir, 'bin');
    this.calls = join(dir, `${name}.calls`);
  }

  /**
   * (Re)writes the executable so that its next runs answer `answer`, or `when[text]` when one of
   * their arguments contains `text` (a value per environment, say).
   */
  async answer(answer: Answer, when: Record<string, Answer> = {}): Promise<void> {
    await mkdir(this.bin, { recursive: true });
    const script = `#!/usr/bin/env node
const fs = require('node:fs');
const env = {};
for (const name of ${JSON.stringify(this.envNames)}) env[name] = process.env[name];
fs.appendFileSync(${JSON.stringify(this.calls)}, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), env }) + '\\n');
const when = Object.entries(${JSON.stringify(when)}).find(([text]) => process.argv.slice(2).some((arg) => arg.includes(text)));
const answer = when ? when[1] : ${JSON.stringify(answer)};
if (answer.stdout) process.stdout.write(answer.stdout);
if (answer.stderr) process.stderr.write(answer.stderr);
process.exitCode = answer.code ?? 0;
`;
    const file = join(this.bin, this.name);
    await writeFile(file, script);
    await chmod(file, 0o755);
  }

  /** The recorded calls, oldest first. */
  async recorded(): Promise<Call[]> {
    const text = await readFile(this.calls, 'utf8').catch(() => '');
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Call);
  }

  /** PATH with the stand-in first (node must stay findable for the script's shebang). */
  path(): string {
    return [this.bin, process.env['PATH'] ?? ''].join(delimiter);
  }
}
