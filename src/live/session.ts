import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvError } from '../errors.js';
import { messages } from '../messages.js';
import { resolveArgv, maskedArgv, type Arg } from '../deploy/plan.js';
import { callOrchestrate, envListed, resolveBinary, type CallResult } from '../deploy/runner.js';
import { Masker, resolveSecrets } from '../deploy/secrets.js';
import type { Target } from '../deploy/target.js';
import type { TenantFile } from '../deploy/resources.js';
import type { Call } from './read.js';
import { nameOption } from '../kinds/argv.js';
import { activateArgv, cpdUser } from '../deploy/prepare.js';

/**
 * A read-only session with the environment's tenant: its API key from the secret provider (a
 * missing key is exit 2, before any call), `env add` when the CLI does not know the environment,
 * `env activate --api-key`, then a `call` for the reader. Every call runs in a private temporary
 * directory (removed by `close`), stdin closed, output masked.
 */
export interface Session {
  call: Call;
  masker: Masker;
  close(): void;
}

export async function openSession(
  target: Target,
  tenantFile: TenantFile | undefined,
  vars: NodeJS.ProcessEnv,
  log: (argv: string) => void,
): Promise<Session> {
  const { policy, tenant } = target;
  const o = tenant.orchestrate;
  const apiKeySecret = tenantFile?.apiKeySecret ?? o.api_key_secret;
  const masker = new Masker();
  const values = resolveSecrets(policy, target.root, vars, [apiKeySecret], masker);
  const binary = resolveBinary(policy.deploy.orchestrate, target.root, vars);
  const dir = mkdtempSync(join(tmpdir(), 'wxo-live-session-'));
  const timeoutMs = policy.deploy.timeout_seconds * 1000;
  const run = (argv: Arg[]): Promise<CallResult> => {
    const shown = maskedArgv(argv);
    log(shown.join(' '));
    return callOrchestrate(binary, resolveArgv(argv, values), shown, { cwd: dir, env: vars, timeoutMs, masker });
  };
  const session: Session = { call: (argv) => run(argv), masker, close: () => rmSync(dir, { recursive: true, force: true }) };
  try {
    const listed = await run(['env', 'list']);
    if (!(listed.ok && envListed(listed.output, o.env_name))) {
      const authType = o.auth_type ?? tenantFile?.authType;
      const added = await run([
        'env',
        'add',
        ...nameOption('-n', o.env_name),
        ...nameOption('-u', o.url),
        ...(authType ? ['-t', authType] : []),
      ]);
      if (!added.ok) throw new EnvError(messages.live.authFailed(o.env_name, added.failure ?? 'failed'), messages.live.authHint);
    }
    const activated = await run(
      activateArgv(o.env_name, apiKeySecret, policy.deploy.skip_version_check, cpdUser(o, o.auth_type ?? tenantFile?.authType)),
    );
    if (!activated.ok) throw new EnvError(messages.live.authFailed(o.env_name, activated.failure ?? 'failed'), messages.live.authHint);
  } catch (e) {
    session.close();
    throw e;
  }
  return session;
}
