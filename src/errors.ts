/** Exit codes of every command and hook: 0 ok, 1 findings (or a refusal, a conflict), 2 usage/config/env error. */
export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

/**
 * Errors that end a command with exit code 2 (usage, configuration or environment problems).
 * Anything else that escapes a command is a bug; the CLI reports it without a stack trace
 * unless WXO_POLICY_DEBUG is set.
 */
export class WxoError extends Error {
  readonly exitCode = EXIT.error;
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'WxoError';
  }
}

export class UsageError extends WxoError {
  override name = 'UsageError';
}

export class ConfigError extends WxoError {
  override name = 'ConfigError';
}

export class EnvError extends WxoError {
  override name = 'EnvError';
}
