// The real Amazon pages saved beside the repository (../shared/fixtures/amazon/,
// present in CI, absent in a fresh clone). Tests that read them pass
// `{ skip: sharedSkip }`: they run when the folder exists and are reported as
// skipped, by name and with the reason, when it does not.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const shared = new URL('../../../../shared/fixtures/amazon/', import.meta.url);

export const sharedSkip = existsSync(shared)
  ? false
  : `needs the saved Amazon pages in ${fileURLToPath(shared)} (beside the repository, as in CI)`;
