import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallResult } from '../deploy/runner.js';
import { nameOption } from '../kinds/argv.js';
import {
  AnswerError,
  parseAgentExport,
  parseAgents,
  parseChannels,
  parseConnections,
  parseModelsRaw,
  parseNamedList,
  parsePhoneConfigs,
  parseVoiceConfigs,
  type LiveChannel,
  type LiveState,
} from './answers.js';

/**
 * The reader: asks the active orchestrate environment what it holds (`… list -v` per kind, then
 * `agents export --agent-only` for the agents Git defines — names resolved there). One call at a
 * time, through the deploy runner's `call` (argv, never a shell; timeouts; output masked). Any
 * call that fails, or an answer that is not what the ADK prints, makes the whole read fail: the
 * caller then cannot tell, and says so (never "in sync").
 */
export type Call = (argv: string[]) => Promise<CallResult>;

export class ReadError extends Error {
  override name = 'ReadError';
  constructor(
    readonly command: string,
    readonly detail: string,
  ) {
    super(`orchestrate ${command}: ${detail}`);
  }
}

export interface ReadOptions {
  /** Agents to export (name → kind): those Git defines and the tenant lists. */
  exportAgents?: (listed: LiveState['agents']) => { name: string; kind: string }[];
  /** Called before each call, for the log. */
  onCall?(argv: readonly string[]): void;
  /**
   * Also voice configs, custom models and model policies, phone configs, and the channels of the
   * agent environments named (only agents the tenant lists: asking for another fails) — drift always,
   * the post-deploy verification when the plan imported or removed one of them.
   */
  listable?: { channelsOf(listed: LiveState['agents']): { agent: string; env: 'draft' | 'live' }[] };
}

export async function readLiveState(call: Call, options: ReadOptions = {}): Promise<LiveState> {
  const ask = async (argv: string[]): Promise<string> => {
    options.onCall?.(argv);
    const r = await call(argv);
    if (!r.ok) throw new ReadError(argv.join(' '), r.failure ?? 'failed');
    return r.output;
  };
  const parse = <T>(argv: string[], output: string, parser: (o: string) => T): T => {
    try {
      return parser(output);
    } catch (e) {
      if (e instanceof AnswerError)
        throw new ReadError(argv.join(' '), `${e.message}${output ? `; it said: ${output.split('\n').slice(-1)[0]!.slice(0, 200)}` : ''}`);
      throw e;
    }
  };
  const list = async <T>(argv: string[], parser: (o: string) => T) => parse(argv, await ask(argv), parser);

  const connections = await list(['connections', 'list', '-v'], parseConnections);
  const tools = await list(['tools', 'list', '-v'], (o) => parseNamedList(o, 'tools list -v'));
  const toolkits = await list(['toolkits', 'list', '-v'], (o) => parseNamedList(o, 'toolkits list -v'));
  const knowledgeBases = await list(['knowledge-bases', 'list', '-v'], (o) => parseNamedList(o, 'knowledge-bases list -v'));
  const agents = await list(['agents', 'list', '-v'], parseAgents);
  const more: Partial<LiveState> = {};
  if (options.listable) {
    more.voiceConfigs = await list(['voice-configs', 'list', '-v'], parseVoiceConfigs);
    more.models = await list(['models', 'list', '--raw'], parseModelsRaw);
    more.phoneConfigs = await list(['phone', 'list-configs', '-v'], parsePhoneConfigs);
    const channels: LiveChannel[] = [];
    const listedNames = new Set(agents.map((a) => a.name));
    for (const { agent, env } of options.listable.channelsOf(agents)) {
      if (!listedNames.has(agent)) continue;
      channels.push(
        ...(await list(['channels', 'list-channels', ...nameOption('--agent-name', agent), '--env', env, '-v'], (o) =>
          parseChannels(o, agent, env),
        )),
      );
    }
    more.channels = channels;
  }

  const exports: LiveState['exports'] = {};
  const wanted = options.exportAgents?.(agents) ?? [];
  if (wanted.length) {
    const dir = mkdtempSync(join(tmpdir(), 'wxo-live-'));
    try {
      for (const [i, agent] of wanted.entries()) {
        // The file name is ours (an index), never the agent's name: names come from the tenant.
        const file = join(dir, `agent-${i}.yaml`);
        const argv = ['agents', 'export', ...nameOption('-n', agent.name), '-k', agent.kind, '--agent-only', '-o', file];
        await ask(argv);
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          throw new ReadError(argv.join(' '), 'exit 0 but no file was written');
        }
        exports[agent.name] = parse(argv, text, parseAgentExport);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { connections, tools, toolkits, knowledgeBases, agents, exports, ...more };
}
