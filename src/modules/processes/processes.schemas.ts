import { z } from 'zod';
import { Action, Assignee, Duration, I18nText, ProcessDefinition } from './definition.schema.ts';

/**
 * Response schemas of the processes API. The definition JSON is described by the very schema that validates it
 * (definition.schema.ts): drafts and versions are stored as its parsed output, so they serialize through it
 * unchanged. Its parts are named here so that the OpenAPI document shows them as components.
 */
z.globalRegistry.add(I18nText, {
  id: 'I18nText',
  description: 'One text, or one per language (zh-CN, en, es)',
});
z.globalRegistry.add(Duration, {
  id: 'Duration',
  description: 'Exactly one member: working time follows the business calendar',
});
z.globalRegistry.add(Assignee, { id: 'Assignee' });
z.globalRegistry.add(Action, { id: 'ProcessAction' });
z.globalRegistry.add(ProcessDefinition, {
  id: 'ProcessDefinition',
  description: 'A process definition (the JSON admins edit)',
});
z.globalRegistry.add(ProcessDefinition.shape.states.element, { id: 'ProcessState' });
z.globalRegistry.add(ProcessDefinition.shape.transitions.element, { id: 'ProcessTransition' });

const iso = z.string().describe('ISO 8601 instant');

export const ProcessOut = z
  .object({
    id: z.string(),
    key: z.string(),
    recordType: z.string(),
    builtin: z.boolean(),
    currentVersion: z
      .number()
      .nullable()
      .describe('the published version new instances start on; null = never published'),
    draft: ProcessDefinition,
    version: z.number().describe('the draft row version (ETag / If-Match)'),
    updatedAt: iso,
  })
  .meta({ id: 'Process' });

export const ProcessVersionOut = z
  .object({
    number: z.number(),
    publishedAt: iso,
    publishedBy: z.string().nullable(),
    definition: ProcessDefinition,
  })
  .meta({ id: 'ProcessVersion' });

export const ProcessDetailOut = ProcessOut.extend({ versions: z.array(ProcessVersionOut) }).meta({
  id: 'ProcessDetail',
});

export const ProcessValidationOut = z
  .object({
    ok: z.boolean(),
    fields: z
      .record(z.string(), z.string())
      .optional()
      .describe("JSON path → message in the caller's language"),
  })
  .meta({ id: 'ProcessValidation' });

export const SlaClockOut = z
  .object({
    id: z.string(),
    key: z.string(),
    status: z.enum(['running', 'paused', 'met', 'breached_running', 'breached', 'cancelled']),
    startedAt: iso,
    dueAt: iso.nullable(),
    warnAt: iso.nullable(),
    pausedAt: iso.nullable(),
    breachedAt: iso.nullable(),
    stoppedAt: iso.nullable(),
  })
  .meta({ id: 'SlaClock' });

export const ApprovalOut = z
  .object({
    id: z.string(),
    instanceId: z.string(),
    transition: z.string(),
    step: z.number(),
    approverRole: z.string(),
    status: z.enum(['waiting', 'pending', 'approved', 'rejected', 'cancelled']),
    comment: z.string().nullable(),
    requestedAt: iso,
    decidedAt: iso.nullable(),
    decidedBy: z.string().nullable(),
  })
  .meta({ id: 'Approval' });

export const PendingApprovalOut = ApprovalOut.extend({
  recordType: z.string(),
  recordId: z.string(),
  recordTitle: z.string().describe('the record the process runs on, by its display title'),
  recordRoute: z.string().describe('the web path that opens that record'),
  state: z.string(),
  requestedBy: z.string().nullable().describe('the user who asked for the transition'),
  requestedByName: z.string().nullable(),
  approverRoleName: z
    .string()
    .describe("the step's role by its name, built-in roles in the caller's language"),
  fields: z.record(z.string(), z.unknown()).describe('the values submitted with the transition'),
}).meta({
  id: 'PendingApproval',
});

export const ProcessInstanceSummaryOut = z
  .object({
    id: z.string(),
    recordType: z.string(),
    recordId: z.string(),
    parentId: z.string().nullable(),
    state: z.string(),
    status: z.enum(['active', 'completed', 'cancelled']),
    priority: z.enum(['low', 'normal', 'high', 'urgent']),
    assigneeId: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).describe("values of the definition's fields"),
    pendingTransition: z.string().nullable().describe('a transition waiting for approval'),
    startedAt: iso,
    completedAt: iso.nullable(),
    version: z.number(),
  })
  .meta({ id: 'ProcessInstanceSummary' });

export const AvailableTransitionOut = z
  .object({
    key: z.string(),
    name: I18nText,
    to: z.string(),
    requiredFields: z.array(z.string()),
    needsApproval: z.boolean(),
  })
  .meta({ id: 'AvailableTransition' });

export const ProcessHistoryEntryOut = z
  .object({
    transition: z.string().nullable(),
    from: z.string().nullable(),
    to: z.string(),
    actorId: z.string().nullable(),
    comment: z.string().nullable(),
    at: iso,
  })
  .meta({ id: 'ProcessHistoryEntry' });

export const ProcessInstanceOut = ProcessInstanceSummaryOut.extend({
  definitionKey: z.string(),
  versionNumber: z.number(),
  states: ProcessDefinition.shape.states.describe("the states of the instance's version"),
  available: z.array(AvailableTransitionOut).describe('transitions the caller may take now'),
  clocks: z.array(SlaClockOut),
  approvals: z.array(ApprovalOut),
  history: z.array(ProcessHistoryEntryOut),
  pendingApproval: z
    .boolean()
    .optional()
    .describe('after a transition: true when it waits for approval instead'),
}).meta({ id: 'ProcessInstance' });
