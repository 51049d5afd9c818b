import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from './helpers/cli.js';
import { isolatedEnv } from './helpers/env.js';
import { tempDir } from './helpers/tmp.js';

/** `wxo-policy tutorial` (issue #13 §2): scripted end to end, interactive through stdin and in tmux. */

function hasTmux(): boolean {
  const found = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
  if (!found && process.env.CI === 'true') throw new Error('tmux is missing: .ci/run installs it (apt-get install tmux)');
  return found;
}

const env = () => ({ ...isolatedEnv(), NO_COLOR: '1' });

describe('wxo-policy tutorial', () => {
  it('--scripted does every step in a sandbox and each check passes: the tenant really changed', { timeout: 300_000 }, () => {
    const dir = join(tempDir(), 'sandbox');
    const r = runCli(['tutorial', '--scripted', '--dir', dir], { cwd: tempDir(), env: env() });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.match(/✓ done/g)).toHaveLength(7);
    expect(r.stdout).toContain('all 7 steps done');
    // The secret step really was refused by the hook (exit 1), and nothing of it was committed.
    expect(r.stdout).toMatch(/> git commit -q -m Oops \(exit 1\)/);
    const calls = readFileSync(join(dir, 'orchestrate-calls.jsonl'), 'utf8');
    expect(calls).toContain('"agents","remove","-n","risky"');
    expect(calls).toContain('"agents","remove","-n","riskier"');
    const tags = spawnSync('git', ['--git-dir', join(dir, 'origin.git'), 'tag', '-l'], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n');
    expect(tags).toEqual(['v1.2.3-dev', 'v1.2.3-dev.2', 'v1.2.3-dev.3', 'v1.2.3-dev.4', 'v1.2.3-dev.5', 'v1.2.3-staging']);
  });

  it('interactive: a step not done is not passed, q stops with exit 1; a used directory is refused', { timeout: 120_000 }, () => {
    const dir = join(tempDir(), 'sandbox');
    const r = runCli(['tutorial', '--dir', dir], { cwd: tempDir(), env: env(), input: '\nq\n' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`source ${join(dir, 'env.sh')}`);
    expect(r.stdout).toContain('✗ not yet: no feature/* branch with a commit that changes agents/helper.yaml');
    expect(r.stdout).toContain('stopped after 0 of 7 steps');
    const again = runCli(['tutorial', '--dir', dir], { cwd: tempDir(), env: env(), input: 'q\n' });
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already holds a tutorial sandbox');
    // A directory with someone's files is never written into (--dir ~ would litter the home).
    const home = tempDir();
    writeFileSync(join(home, '.profile'), 'export A=1\n');
    const littered = runCli(['tutorial', '--scripted', '--dir', home], { cwd: tempDir(), env: env() });
    expect(littered.status).toBe(2);
    expect(littered.stderr).toContain(`${home} is not an empty directory`);
    expect(readdirSync(home)).toEqual(['.profile']);
    const file = join(home, '.profile');
    expect(runCli(['tutorial', '--dir', file], { cwd: tempDir(), env: env(), input: 'q\n' }).status).toBe(2);
    // An empty one is fine.
    const empty = tempDir();
    expect(runCli(['tutorial', '--dir', empty], { cwd: tempDir(), env: env(), input: 'q\n' }).status).toBe(1);
  });

  it.skipIf(!hasTmux())(
    'works in a real terminal (tmux): the learner acts in the sandbox, Enter checks it',
    { timeout: 180_000 },
    async () => {
      const dir = join(tempDir(), 'sandbox');
      const socket = `wxo-tutorial-${process.pid}-${Date.now()}`;
      const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', env: env() });
      const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', 'learn').stdout;
      const waitFor = async (text: string) => {
        for (let i = 0; i < 600; i++) {
          if (screen().includes(text)) return;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`"${text}" never appeared; the terminal shows:\n${screen()}`);
      };
      try {
        expect(
          tmux(
            'new-session',
            '-d',
            '-s',
            'learn',
            '-x',
            '160',
            '-y',
            '50',
            `${process.execPath} ${CLI} tutorial --dir ${dir}; echo "exit=$?"; sleep 60`,
          ).status,
        ).toBe(0);
        await waitFor('press Enter when done');
        tmux('send-keys', '-t', 'learn', 'Enter');
        await waitFor('not yet: no feature/* branch');
        // The learner, in their own shell with the sandbox's environment.
        const learner = spawnSync(
          'bash',
          [
            '-c',
            `source ${join(dir, 'env.sh')} && git switch -q -c feature/kinder && sed -i 's/Answers questions/Answers kindly/' agents/helper.yaml && git commit -q -am "Kinder helper"`,
          ],
          { encoding: 'utf8', env: env() },
        );
        expect(learner.stderr).toBe('');
        expect(learner.status).toBe(0);
        tmux('send-keys', '-t', 'learn', 'Enter');
        await waitFor('✓ done');
        await waitFor('2/7 See a secret refused');
        tmux('send-keys', '-t', 'learn', 'q', 'Enter');
        await waitFor('exit=1');
        expect(screen()).toContain('stopped after 1 of 7 steps');
      } finally {
        tmux('kill-server');
      }
    },
  );
});
