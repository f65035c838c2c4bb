/**
 * Findings are what the PEC model noticed about a message: stable codes for the UI (which says them
 * in Italian) and an English sentence for logs and the CLI.
 */
export type FindingCode =
  | 'unparseable'
  | 'mime-structure'
  | 'header-unknown-value'
  | 'header-conflict'
  | 'subject-header-mismatch'
  | 'classified-from-subject'
  | 'classified-from-daticert'
  | 'subject-without-pec-structure'
  | 'daticert-missing'
  | 'daticert-invalid'
  | 'daticert-mismatch'
  | 'postacert-missing'
  | 'postacert-invalid'
  | 'signature';

export interface Finding {
  code: FindingCode;
  message: string;
}

export function finding(code: FindingCode, message: string): Finding {
  return { code, message };
}
