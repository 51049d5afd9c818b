import { writeReportFile as writeSafely } from '../fs/writeReport.js';
import { messages } from '../messages.js';

/** Writes a drift report, the metrics, the status board or a drift state file (fs/writeReport.ts), failing in drift's words. */
export function writeReportFile(within: string, path: string, content: string): void {
  writeSafely(within, path, content, messages.live.cannotWrite);
}
