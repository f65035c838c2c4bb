/** What the extraction child writes on stderr just before its watchdog kills it (extract-worker.ts). */
export const MEMORY_MARKER = '\npecdesk-extractor: over the memory limit\n';
