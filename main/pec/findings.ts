/**
 * Findings are what the PEC model noticed about a message: stable codes for the UI (which says them
 * in Italian or English, with the params filled in) and an English sentence for logs and the CLI.
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
  /**
   * What the finding names, for the UI's sentence (resources/i18n anomalyDetail.<code>): e.g. the
   * header and its value, the two kinds that disagree. Absent when the code says it all.
   */
  params?: Record<string, string>;
}

export function finding(code: FindingCode, message: string, params?: Record<string, string>): Finding {
  return params ? { code, message, params } : { code, message };
}
