import type { ProcessDefinitionInput } from '../definition.schema.ts';
import { p1NewCustomerContact } from './p1-new-customer.ts';
import { p3ReturnVisit } from './p3-return-visit.ts';

/** Built-in templates every org gets (published as version 1, editable afterwards). */
export const BUILTIN_TEMPLATES: ProcessDefinitionInput[] = [p1NewCustomerContact, p3ReturnVisit];
