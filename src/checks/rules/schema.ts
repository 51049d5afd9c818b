import { isWxoKind, wxoKind } from '../../kinds/catalogue.js';
import { messages } from '../../messages.js';
import { deployedValue } from '../../resources/values.js';
import { hasSchema, validateAs } from '../../schema/validate.js';
import type { AnalyzeContext, FileInput } from '../fileInput.js';
import { TOP, type FileRule, type RuleHit } from './fileRule.js';

/** schema: a wxO file (and wxo-policy's own files) validates against the JSON Schema of its kind, as it will be deployed. */
export const schemaRule: FileRule = {
  id: 'schema',
  check: schema,
};

function schema(file: FileInput, ctx: AnalyzeContext): RuleHit[] {
  if (file.form !== 'text' || !file.kind || !file.structured || !file.parsedOk) return [];
  const { value, kind } = file;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [
      {
        severity: 'error',
        at: TOP,
        message: messages.topLevelNotMapping(value === null ? 'an empty document' : Array.isArray(value) ? 'a list' : typeof value),
      },
    ];
  }
  const name = isWxoKind(kind) ? wxoKind(kind).schema : kind;
  if (!name || !hasSchema(name)) return [];
  return validateAs(name, asDeployed(file.text, value, file.json, ctx.values)).map((issue) => ({
    severity: issue.severity,
    at: file.at(issue.path, issue.key),
    message: issue.message,
  }));
}

/**
 * The value the ADK will read after the deploy runner fills `${values.x}` from values.yaml
 * (src/resources/values.ts renders the text; deployedValue is its value-level twin). Unknown keys are
 * the references rule's to report and stay as written.
 */
function asDeployed(text: string, value: unknown, json: boolean, values: Record<string, unknown> | undefined): unknown {
  if (!values || !text.includes('${values.')) return value;
  return deployedValue(value, values, { json });
}
