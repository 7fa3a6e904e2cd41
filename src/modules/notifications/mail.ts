import { DateTime } from 'luxon';
import nodemailer from 'nodemailer';
import type { Config } from '../../platform/config/config.ts';
import { LOCALES, type Locale, t } from '../../platform/i18n/i18n.ts';
import type { NotificationRow } from './notifications.repo.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  locale: Locale;
}

/** Outgoing mail. Disabled (enabled = false) when KEPT_SMTP_URL is unset. */
export interface Mailer {
  readonly enabled: boolean;
  send(m: MailMessage): Promise<void>;
  close(): void;
}

export function makeMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom'>): Mailer {
  if (!config.smtpUrl) {
    return {
      enabled: false,
      async send() {
        throw new Error('email is disabled: KEPT_SMTP_URL is not set');
      },
      close() {},
    };
  }
  const transport = nodemailer.createTransport(config.smtpUrl);
  return {
    enabled: true,
    async send(m) {
      await transport.sendMail({
        from: config.mailFrom,
        to: m.to,
        subject: m.subject,
        text: m.text,
        headers: { 'Content-Language': m.locale, 'Auto-Submitted': 'auto-generated' },
      });
    },
    close: () => transport.close(),
  };
}

export function asLocale(v: string | null | undefined, fallback: Locale = 'zh-CN'): Locale {
  return (LOCALES as readonly string[]).includes(v ?? '') ? (v as Locale) : fallback;
}

/** An absolute link for an email: relative app paths are prefixed with KEPT_PUBLIC_URL when it is set. */
export function absoluteLink(link: string | null | undefined, publicUrl: string | undefined): string | null {
  if (!link) return null;
  if (/^https?:\/\//i.test(link)) return link;
  return publicUrl ? `${publicUrl}${link.startsWith('/') ? '' : '/'}${link}` : link;
}

export function renderNotificationMail(
  locale: Locale,
  n: { name: string; title: string; body: string; link: string | null },
): { subject: string; text: string } {
  const lines = [t(locale, 'notifications.mail.greeting', { name: n.name }), '', n.title];
  if (n.body) lines.push('', n.body);
  if (n.link) lines.push('', t(locale, 'notifications.mail.open', { url: n.link }));
  lines.push('', '--', t(locale, 'notifications.mail.footer'));
  return { subject: n.title, text: lines.join('\n') };
}

const DIGEST_MAX_LINES = 30;

export function renderDigestMail(
  locale: Locale,
  d: { name: string; items: NotificationRow[]; timeZone: string; publicUrl?: string },
): { subject: string; text: string } {
  const count = d.items.length;
  const lines = [
    t(locale, 'notifications.mail.greeting', { name: d.name }),
    '',
    t(locale, 'notifications.digest.intro', { count }),
    '',
  ];
  for (const n of d.items.slice(0, DIGEST_MAX_LINES)) {
    const at = DateTime.fromJSDate(new Date(n.created_at)).setZone(d.timeZone).toFormat('MM-dd HH:mm');
    const link = absoluteLink(n.link, d.publicUrl);
    lines.push(`• ${at}  ${n.title}${link ? `  ${link}` : ''}`);
  }
  if (count > DIGEST_MAX_LINES)
    lines.push('', t(locale, 'notifications.digest.more', { count: count - DIGEST_MAX_LINES }));
  if (d.publicUrl)
    lines.push('', t(locale, 'notifications.mail.open', { url: `${d.publicUrl}/notifications` }));
  lines.push('', '--', t(locale, 'notifications.digest.footer'));
  return { subject: t(locale, 'notifications.digest.subject', { count }), text: lines.join('\n') };
}
