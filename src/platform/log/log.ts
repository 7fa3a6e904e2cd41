import pino from 'pino';

/**
 * Personal data in request URLs (a search by mobile or email: `/customers?q=%2B8613600000077`) never reaches the
 * log. Phone-like digit runs (7+ digits, with +, spaces, dashes or dots between them, plain or percent-encoded)
 * keep their last 2 digits; email addresses (also with an encoded @) keep their first character and domain.
 */
const ENCODED_SEPARATORS = /%(?:2B|20|2D|2E|28|29)/gi;
const PHONE_RUN = /(?:\+|%2B)?\d(?:(?:[\s\-.()+]|%(?:2B|20|2D|2E|28|29))*\d){6,}/gi;
const EMAIL = /([^\s/?&=#:@%]|%[0-9A-F]{2})([^\s/?&=#:@]*)(@|%40)([^\s/?&=#:@]+\.[^\s/?&=#:@]+)/gi;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function maskText(s: string): string {
  return s
    .replace(
      EMAIL,
      (_m, first: string, _rest: string, at: string, domain: string) => `${first}***${at}${domain}`,
    )
    .replace(PHONE_RUN, (m) => {
      const digits = m.replace(ENCODED_SEPARATORS, '').replace(/\D/g, '');
      return `${'*'.repeat(Math.max(digits.length - 2, 1))}${digits.slice(-2)}`;
    });
}

/** The URL as logged: each path segment and query value masked (ids, which are UUIDs, left as they are). */
export function maskUrl(url: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const maskPart = (part: string) => (UUID.test(part) ? part : maskText(part));
  const maskedPath = path.split('/').map(maskPart).join('/');
  if (q < 0) return maskedPath;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? maskPart(pair) : `${pair.slice(0, eq + 1)}${maskPart(pair.slice(eq + 1))}`;
    })
    .join('&');
  return `${maskedPath}?${query}`;
}

interface LoggedRequest {
  id?: string;
  method?: string;
  url?: string;
  hostname?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** pino options shared by the server and the CLI; secrets and personal data in URLs never reach the log. */
export function loggerOptions(level: string) {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'password',
        '*.password',
        'token',
        '*.token',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req(req: LoggedRequest) {
        return {
          method: req.method,
          url: req.url === undefined ? undefined : maskUrl(req.url),
          host: req.hostname,
          remoteAddress: req.ip,
          remotePort: req.socket?.remotePort,
        };
      },
    },
  };
}

export const cliLogger = (level = 'info') => pino(loggerOptions(level));
