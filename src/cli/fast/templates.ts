import { listTemplates } from '../../services/new/list-templates.js';
import { templateLines } from '../../ui/listings.js';
import { serveListing } from './listings.js';

/** `poly templates` without oclif. */
export async function fastTemplates(argv: string[]): Promise<boolean> {
  return serveListing(argv, { run: () => listTemplates(), lines: templateLines });
}
