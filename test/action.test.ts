/**
 * action.yml run as a GitHub runner runs a composite action: each step's `${{ }}` expressions
 * filled in (github.action_path, inputs, steps.ID.outputs), its `run` in bash in its
 * working-directory with its env, GITHUB_OUTPUT a fresh file per step; the action's outputs read
 * from the step outputs, against a temporary git repository.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isBuilt, ROOT } from './helpers/cli.js';
import { GitRepo } from './helpers/git-repo.js';
import { parseYaml } from './helpers/mini-yaml.js';
import { PROD } from './helpers/promote-fixture.js';

type Map = Record<string, any>;
const action = parseYaml(await readFile(join(ROOT, 'action.yml'), 'utf8')) as Map;
const { splitArgs } = (await import(join(ROOT, 'scripts', 'action-run.mjs'))) as { splitArgs: (line: string) => string[] };

const repos: GitRepo[] = [];
afterEach(async () => {
  await Promise.all(repos.splice(0).map((r) => r.remove()));
});

interface Run {
  outputs: Record<string, string>;
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the action's steps but the install (`npm ci` would reach the registry; this checkout's
 * node_modules and its build are what it produces), with `inputs` over the declared defaults.
 */
async function runAction(workspace: string, inputs: Record<string, string>, env: Record<string, string>): Promise<Run> {
  const values: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs as Map)) values[name] = inputs[name] ?? (spec as Map).default ?? '';
  const steps: Record<string, Record<string, string>> = {};
  const fill = (text: string) =>
    text.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, expr: string) => {
      const [scope, ...rest] = expr.split('.');
      if (scope === 'github' && rest[0] === 'action_path') return ROOT;
      if (scope === 'inputs') return values[rest[0]!] ?? '';
      if (scope === 'steps' && rest[1] === 'outputs') return steps[rest[0]!]?.[rest[2]!] ?? '';
      throw new Error(`unknown expression ${expr}`);
    });
  const scratch = await mkdtemp(join(tmpdir(), 'tfsync-runner-'));
  let last: Run = { outputs: {}, status: 0, stdout: '', stderr: '' };
  try {
    for (const [i, step] of (action.runs.steps as Map[]).entries()) {
      if (String(step.run).startsWith('npm ci')) continue;
      expect(step.shell).toBe('bash');
      const output = join(scratch, `output-${i}`);
      await writeFile(output, '');
      const script = join(scratch, `step-${i}.sh`);
      await writeFile(script, fill(String(step.run)));
      const stepEnv = Object.fromEntries(Object.entries((step.env ?? {}) as Map).map(([k, v]) => [k, fill(String(v))]));
      const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        cwd: join(workspace, fill(String(step['working-directory'] ?? '.'))),
        encoding: 'utf8',
        env: { ...env, GITHUB_ACTIONS: 'true', GITHUB_ACTION_PATH: ROOT, GITHUB_OUTPUT: output, ...stepEnv },
      });
      const lines = (await readFile(output, 'utf8')).split('\n').filter(Boolean);
      if (step.id) steps[step.id] = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      last = { outputs: {}, status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
      if (last.status !== 0) break;
    }
    last.outputs = Object.fromEntries(Object.entries(action.outputs as Map).map(([name, spec]) => [name, fill(String((spec as Map).value))]));
    return last;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

describe('action.yml', () => {
  it('is a composite action with the documented inputs and outputs, installed with npm ci from its own folder', async () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(['command', 'args', 'working-directory']);
    expect(Object.keys(action.outputs)).toEqual(['exit-code', 'drift', 'changed', 'output-file']);
    const install = (action.runs.steps as Map[])[0]!;
    expect(install['working-directory']).toBe('${{ github.action_path }}');
    expect(install.run).toMatch(/^npm ci\b/);
    // npm ci runs `prepare`, which builds the dist/ the next step runs.
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.prepare).toBe('npm run build');
  });

  it('splits args as a shell would, quotes and all, and nothing more', () => {
    expect(splitArgs(`test prod --var "image tag" --label 'a b' x\\ y $HOME`)).toEqual(['test', 'prod', '--var', 'image tag', '--label', 'a b', 'x y', '$HOME']);
    expect(splitArgs('  ')).toEqual([]);
    expect(splitArgs(`''`)).toEqual(['']);
    expect(() => splitArgs('"open')).toThrow(/unclosed/);
  });

  it.skipIf(!isBuilt('cli/main.js'))('runs check and promote in a temporary repository and sets exit-code, drift and changed', async () => {
    const repo = await GitRepo.of('basic');
    repos.push(repo);
    // RUNNER_TEMP inside the repository's temporary home, so that output files go with it.
    const env = { ...repo.env, NO_COLOR: '1', RUNNER_TEMP: repo.home };
    const check = await runAction(repo.dir, { command: 'check' }, env);
    expect(check.status).toBe(0); // drift does not fail the step: the outputs say it
    const { 'output-file': _file, ...checkOutputs } = check.outputs;
    expect(checkOutputs).toEqual({ 'exit-code': '2', drift: 'true', changed: 'false' });
    expect(check.stdout).toContain('::warning file=');
    const markdown = await runAction(repo.dir, { command: 'check', args: '--format markdown' }, env);
    expect(markdown.outputs['output-file']!.startsWith(repo.home)).toBe(true);
    expect(await readFile(markdown.outputs['output-file']!, 'utf8')).toBe(markdown.stdout);
    expect(markdown.stdout).toContain('#### `prod`');

    const promote = await runAction(repo.dir, { command: 'promote', args: `test prod --yes --var "workers"` }, env);
    expect(promote.stderr).not.toMatch(/^tfsync:/m);
    expect(promote.outputs).toMatchObject({ 'exit-code': '0', drift: 'false', changed: 'true' });
    expect(await repo.read(PROD)).toContain('workers    = 8');
    const again = await runAction(repo.dir, { command: 'promote', args: 'test prod --yes --var workers' }, env);
    expect(again.outputs).toMatchObject({ 'exit-code': '0', drift: 'false', changed: 'false' });

    // working-directory, and an error failing the step with exit-code 1.
    const failed = await runAction(repo.dir, { command: 'promote', args: 'test nowhere --yes', 'working-directory': 'environments' }, env);
    expect(failed.status).toBe(1);
    expect(failed.outputs['exit-code']).toBe('1');
    expect(failed.stderr).toMatch(/tfsync: .*nowhere/);
  });
});
