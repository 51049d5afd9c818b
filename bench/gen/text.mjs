// Vocabulary, prose and small formatting helpers for the synthetic wxO repositories.

export const DOMAINS = [
  'claims',
  'billing',
  'onboarding',
  'payroll',
  'itsm',
  'crm',
  'procurement',
  'travel',
  'benefits',
  'compliance',
  'inventory',
  'shipping',
  'loans',
  'kyc',
  'support',
  'recruiting',
  'facilities',
  'contracts',
  'invoices',
  'fraud',
  'warranty',
  'pricing',
  'returns',
  'treasury',
  'learning',
];
export const NOUNS = [
  'claim',
  'policy',
  'invoice',
  'ticket',
  'order',
  'shipment',
  'employee',
  'customer',
  'contract',
  'payment',
  'quote',
  'case',
  'asset',
  'account',
  'vendor',
  'expense',
  'booking',
  'incident',
  'request',
  'approval',
  'document',
  'refund',
  'schedule',
  'balance',
  'address',
  'profile',
];
export const TOOL_VERBS = [
  'get',
  'list',
  'create',
  'update',
  'search',
  'validate',
  'approve',
  'cancel',
  'summarize',
  'lookup',
  'submit',
  'close',
  'assign',
  'escalate',
  'export',
  'reconcile',
  'schedule',
  'notify',
];
export const AGENT_ROLES = [
  'assistant',
  'triage',
  'advisor',
  'concierge',
  'resolver',
  'coordinator',
  'analyst',
  'helper',
  'navigator',
  'specialist',
  'supervisor',
  'planner',
];
export const LLMS = [
  'groq/openai/gpt-oss-120b',
  'watsonx/meta-llama/llama-3-3-70b-instruct',
  'watsonx/ibm/granite-3-8b-instruct',
  'watsonx/mistralai/mistral-medium-2505',
];
export const FIRST_NAMES = [
  'amara',
  'bruno',
  'chen',
  'dana',
  'emeka',
  'farah',
  'goran',
  'hana',
  'ines',
  'jonas',
  'kofi',
  'lena',
  'mateo',
  'nadia',
  'oskar',
  'priya',
  'rafael',
  'sofia',
  'tariq',
  'uma',
  'viktor',
  'wen',
  'yusuf',
  'zara',
];
export const HOST_WORDS = [
  'acme-corp',
  'northwind',
  'contoso',
  'globex',
  'initech',
  'umbrella-ins',
  'fabrikam',
  'tailspin',
  'wingtip',
  'litware',
];
export const TLDS = ['net', 'io', 'com', 'cloud', 'internal'];

const SUBJECTS = [
  'The agent',
  'The supervisor agent',
  'The case handler',
  'Each incoming request',
  'The reviewer',
  'The customer',
  'The workflow',
  'A service desk analyst',
  'The escalation team',
  'The tool',
  'The approver',
  'Every reply',
  'The finance controller',
  'The regional manager',
  'The system',
  'The onboarding coordinator',
  'The assistant',
  'A team lead',
  'The compliance officer',
];
const VERBS_3 = [
  'validates',
  'records',
  'summarises',
  'forwards',
  'checks',
  'retrieves',
  'updates',
  'confirms',
  'escalates',
  'reconciles',
  'archives',
  'flags',
  'computes',
  'assigns',
  'reviews',
  'verifies',
  'links',
  'routes',
  'closes',
  'explains',
  'compares',
  'prepares',
  'attaches',
  'collects',
];
const VERBS_IMP = [
  'Validate',
  'Record',
  'Summarise',
  'Confirm',
  'Check',
  'Retrieve',
  'Update',
  'Escalate',
  'Explain',
  'Compare',
  'Prepare',
  'Collect',
  'Verify',
  'Review',
  'Never guess',
  'Always cite',
  'Ask for',
  'Double-check',
  'Look up',
  'Restate',
];
const OBJECTS = [
  'the claim number',
  'the policy holder record',
  'the invoice total',
  'the open ticket',
  'the payment schedule',
  'the onboarding checklist',
  'the leave balance',
  'the shipment status',
  'the contract renewal date',
  'the risk score',
  'the purchase order',
  'the knowledge article',
  'the audit trail',
  'the customer consent',
  'the service level target',
  'the cost centre',
  'the delivery address',
  'the approval chain',
  'the refund amount',
  'the asset tag',
  'the booking reference',
  'the supplier rating',
  'the tax code',
  'the escalation reason',
  'the exception report',
  'the customer history',
  'the entitlement',
  'the warranty period',
];
const TAILS = [
  'before replying to the user',
  'when the request is ambiguous',
  'within one business day',
  'using the most recent data available',
  'after the approval step',
  'only if the amount exceeds the threshold',
  'for every open case in the queue',
  'unless the customer asks otherwise',
  'according to the regional policy',
  'as described in the operations handbook',
  'and keeps the answer short',
  'when a manager is on leave',
  'so that the audit can be reproduced',
  'in the language of the user',
  'before the end of the month',
  'whenever the status changes',
  'without exposing personal data',
  'if the previous attempt failed',
  'and links the source document',
  'for requests from partner companies',
];
const OPENERS = [
  '',
  '',
  '',
  '',
  'If the data is incomplete, ',
  'In most cases, ',
  'When in doubt, ',
  'For audits, ',
  'During peak periods, ',
  'As a rule, ',
  'Once the request is confirmed, ',
  'For high-value cases, ',
];

const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

export function sentence(rng) {
  const opener = rng.pick(OPENERS);
  const subject = rng.pick(SUBJECTS);
  const body = `${opener ? opener + subject.charAt(0).toLowerCase() + subject.slice(1) : subject} ${rng.pick(VERBS_3)} ${rng.pick(OBJECTS)} ${rng.pick(TAILS)}`;
  return `${cap(body)}.`;
}

export function instruction(rng) {
  return `${rng.pick(VERBS_IMP)} ${rng.pick(OBJECTS)} ${rng.pick(TAILS)}.`;
}

export function paragraph(rng, min = 3, max = 7) {
  const n = rng.int(min, max);
  const parts = [];
  for (let i = 0; i < n; i++) parts.push(sentence(rng));
  return parts.join(' ');
}

export function title(rng) {
  const words = [
    rng.pick(DOMAINS),
    rng.pick(NOUNS),
    rng.pick(['handling', 'process', 'guidelines', 'overview', 'escalations', 'faq', 'runbook', 'policy', 'checklist', 'reference']),
  ];
  return words.map(cap).join(' ');
}

/** Wraps text at `width` columns; returns lines. */
export function wrap(text, width = 96) {
  const out = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

export const titleCase = (snake) => snake.split('_').map(cap).join(' ');
export const pad = (n, width = 4) => String(n).padStart(width, '0');

const YAML11_SPECIAL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|)$/;
const NUMBERISH = /^[-+]?(?:[0-9][0-9_,:.]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$|^0x|^0o|^\.(?:inf|nan)$/i;

/** A YAML scalar: plain when that is unambiguous, otherwise double-quoted (JSON syntax is valid YAML). */
export function yq(value) {
  const s = String(value);
  if (YAML11_SPECIAL.test(s) || NUMBERISH.test(s)) return JSON.stringify(s);
  if (/^[A-Za-z_/.(][A-Za-z0-9 _./()+=,'?-]*$/.test(s) && !/ $|: | #|,$/.test(s)) return s;
  return JSON.stringify(s);
}

/** A literal block scalar body, indented. */
export function block(lines, indent) {
  const sp = ' '.repeat(indent);
  return lines.map((l) => (l ? sp + l : ''));
}

export function hostName(rng) {
  return `${rng.pick(['api', 'svc', 'gateway', 'reports', 'metrics', 'files', 'erp', 'hr', 'ledger', 'search'])}${rng.chance(0.4) ? '-' + rng.pick(['eu', 'us', 'prod', 'int', 'dr']) : ''}.${rng.pick(HOST_WORDS)}.${rng.pick(TLDS)}`;
}
