import { z } from 'zod';

/**
 * A process definition is data: states, transitions (who may take them, required fields, guard, approvals),
 * SLA clocks and automations. Admins edit it as JSON; it is validated here and published as an immutable version.
 * Guards and conditions are JSON Logic (https://jsonlogic.com) over { data, record, actor, amount }.
 */
const KEY = /^[a-z][a-z0-9_]{0,62}$/;
const key = () => z.string().regex(KEY, { error: 'validation.key' });

export const I18nText = z.union([
  z.string().min(1).max(200),
  z.object({
    'zh-CN': z.string().max(200).optional(),
    en: z.string().max(200).optional(),
    es: z.string().max(200).optional(),
  }),
]);
export type I18nText = z.infer<typeof I18nText>;

/** A span of time: working time follows the org's business calendar; hours/days/minutes are plain clock time. */
export const Duration = z
  .object({
    workingHours: z.number().positive().max(10_000).optional(),
    workingDays: z.number().int().positive().max(1000).optional(),
    minutes: z.number().positive().max(1_000_000).optional(),
    hours: z.number().positive().max(100_000).optional(),
    days: z.number().positive().max(10_000).optional(),
  })
  .refine((d) => Object.values(d).filter((v) => v !== undefined).length === 1, {
    error: 'validation.duration',
  });
export type Duration = z.infer<typeof Duration>;

/** Whom an action addresses, resolved against the record and the org. */
export const Assignee = z.union([
  z.enum(['owner', 'actor', 'supervisor']),
  z.object({ role: z.string().min(1) }),
  z.object({ user: z.uuid() }),
]);
export type Assignee = z.infer<typeof Assignee>;

const JsonLogic = z.record(z.string(), z.unknown()).describe('JSON Logic expression');

export const Action = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('create_task'),
    title: I18nText,
    description: I18nText.optional(),
    assignee: Assignee.default('owner'),
    due: Duration.optional(),
    priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
    urgent: z.boolean().optional(),
    important: z.boolean().optional(),
    kind: key().optional(),
  }),
  z.object({
    type: z.literal('schedule_followup'),
    title: I18nText,
    assignee: Assignee.default('owner'),
    after: Duration,
    channel: z.enum(['call', 'message', 'email', 'visit']).default('call'),
    /** 'next' = first contact slot after the delay; 'different_later_day' = a later working day, another slot than the last attempt. */
    slot: z.enum(['next', 'different_later_day']).default('next'),
    /** With 'different_later_day': the state whose last entry was the previous attempt (default: now). */
    previousAttemptState: key().optional(),
    kind: key().optional(),
  }),
  z.object({ type: z.literal('open_child'), process: key() }),
  z.object({
    type: z.literal('send_message'),
    to: Assignee.default('owner'),
    template: I18nText,
    channel: z.enum(['in_app', 'email']).default('in_app'),
  }),
  z.object({ type: z.literal('notify'), to: Assignee, title: I18nText, body: I18nText.optional() }),
  z.object({
    type: z.literal('escalate'),
    reassignTo: Assignee.optional(),
    raisePriority: z.boolean().default(true),
    notify: Assignee.optional(),
  }),
  z.object({ type: z.literal('transition'), transition: key() }),
]);
export type Action = z.infer<typeof Action>;

/** A domain event type ('customer.assigned', 'order.paid') or the instance's own 'start'. */
const EventName = z
  .string()
  .regex(/^(start|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+)$/, { error: 'validation.event_type' })
  .max(80);

/**
 * When a clock or automation reacts: entering or leaving states, or an event on the instance's record — a
 * domain event of the record (or of a record related to it, e.g. a task about the customer). `when` narrows an
 * event with JSON Logic over { event: { type, data, actorId }, data, record, state }.
 */
const Trigger = z
  .object({
    enter: z.array(key()).optional(),
    exit: z.array(key()).optional(),
    event: EventName.optional(),
    when: JsonLogic.optional(),
  })
  .refine((t) => t.enter || t.exit || t.event, { error: 'validation.trigger' });
export type Trigger = z.infer<typeof Trigger>;

/** Starts the process on a record when a domain event happens, optionally only when `when` holds. */
export const StartTrigger = z.object({
  on: EventName,
  when: JsonLogic.optional(),
  /** Cancel a running instance of this process on the record and start anew (else: leave it running). */
  restart: z.boolean().default(false),
});
export type StartTrigger = z.infer<typeof StartTrigger>;

export const ProcessDefinition = z
  .object({
    key: key(),
    name: I18nText,
    description: I18nText.optional(),
    recordType: z.enum(['customer', 'case', 'job', 'project', 'order', 'shipment', 'task']),
    /** 'single': at most one active instance per record (starting another answers 409). */
    perRecord: z.enum(['single', 'multiple']).default('multiple'),
    /** Domain events that start this process on their record, e.g. [{ "on": "customer.assigned" }]. */
    triggers: z.array(StartTrigger).max(20).default([]),
    initial: key(),
    states: z
      .array(z.object({ key: key(), name: I18nText, final: z.boolean().optional() }))
      .min(1)
      .max(100),
    fields: z
      .array(
        z.object({
          key: key(),
          type: z.enum(['text', 'number', 'date', 'boolean']),
          label: I18nText.optional(),
        }),
      )
      .max(100)
      .optional(),
    transitions: z
      .array(
        z.object({
          key: key(),
          name: I18nText,
          from: z.union([z.literal('*'), z.array(key()).min(1)]),
          to: key(),
          /** Role keys allowed to take it; absent = anyone who may work on the record. */
          roles: z.array(z.string().min(1)).optional(),
          requiredFields: z.array(key()).optional(),
          guard: JsonLogic.optional(),
          approval: z
            .object({
              steps: z
                .array(
                  z.object({
                    role: z.string().min(1),
                    when: JsonLogic.optional(),
                    name: I18nText.optional(),
                  }),
                )
                .min(1)
                .max(10),
            })
            .optional(),
        }),
      )
      .max(200),
    slas: z
      .array(
        z.object({
          key: key(),
          name: I18nText,
          start: Trigger,
          stop: Trigger,
          pause: Trigger.optional(),
          target: Duration,
          warnAtPercent: z.number().int().min(1).max(99).optional(),
          onWarn: z.array(Action).max(20).default([]),
          onBreach: z.array(Action).max(20).default([]),
        }),
      )
      .max(50)
      .default([]),
    automations: z
      .array(
        z.object({
          key: key(),
          on: Trigger,
          delay: Duration.optional(),
          /** Only fire when this JSON Logic condition holds at firing time. */
          when: JsonLogic.optional(),
          actions: z.array(Action).min(1).max(20),
        }),
      )
      .max(100)
      .default([]),
  })
  .superRefine((d, ctx) => {
    const states = new Set<string>();
    d.states.forEach((s, i) => {
      if (states.has(s.key))
        ctx.addIssue({ code: 'custom', path: ['states', i, 'key'], message: 'validation.duplicate_key' });
      states.add(s.key);
    });
    const bad = (path: (string | number)[]) =>
      ctx.addIssue({ code: 'custom', path, message: 'validation.unknown_state' });
    if (!states.has(d.initial)) bad(['initial']);
    const transitions = new Set<string>();
    d.transitions.forEach((t, i) => {
      if (transitions.has(t.key))
        ctx.addIssue({
          code: 'custom',
          path: ['transitions', i, 'key'],
          message: 'validation.duplicate_key',
        });
      transitions.add(t.key);
      if (!states.has(t.to)) bad(['transitions', i, 'to']);
      if (t.from !== '*') {
        t.from.forEach((f, j) => {
          if (!states.has(f)) bad(['transitions', i, 'from', j]);
        });
      }
    });
    const checkTrigger = (tr: Trigger | undefined, path: (string | number)[]) => {
      tr?.enter?.forEach((s, j) => {
        if (!states.has(s)) bad([...path, 'enter', j]);
      });
      tr?.exit?.forEach((s, j) => {
        if (!states.has(s)) bad([...path, 'exit', j]);
      });
    };
    const checkActions = (actions: Action[], path: (string | number)[]) =>
      actions.forEach((a, j) => {
        if (a.type === 'transition' && !transitions.has(a.transition)) {
          ctx.addIssue({
            code: 'custom',
            path: [...path, j, 'transition'],
            message: 'validation.unknown_transition',
          });
        }
      });
    d.slas.forEach((s, i) => {
      checkTrigger(s.start, ['slas', i, 'start']);
      checkTrigger(s.stop, ['slas', i, 'stop']);
      checkTrigger(s.pause, ['slas', i, 'pause']);
      checkActions(s.onWarn, ['slas', i, 'onWarn']);
      checkActions(s.onBreach, ['slas', i, 'onBreach']);
    });
    d.automations.forEach((a, i) => {
      checkTrigger(a.on, ['automations', i, 'on']);
      checkActions(a.actions, ['automations', i, 'actions']);
    });
  });

export type ProcessDefinition = z.infer<typeof ProcessDefinition>;
export type ProcessDefinitionInput = z.input<typeof ProcessDefinition>;
