/** A secret found in a text: where, what kind, and the value (kept in memory only, never printed). */
export interface SecretMatch {
  /** Detector id, e.g. `wxo/ibm-cloud-api-key` or `secretlint/aws`. */
  detector: string;
  /** What was found, in words ("IBM Cloud API key"). Never contains the value. */
  label: string;
  /** Offsets of the value in the text. */
  start: number;
  end: number;
  value: string;
}

/**
 * A detector over plain text. `trigger` is a cheap necessary condition checked first: every text
 * the scan could report on passes it (a RegExp, or a test cheaper than one).
 */
export interface TextDetector {
  id: string;
  trigger: { test(text: string): boolean };
  scan(text: string): SecretMatch[];
}
