import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { checkHost, guardedLookup, TargetRefused } from './ssrf.ts';

/** `X-Kept-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export interface SendInput {
  url: string;
  secret: string;
  body: string;
  event: string;
  deliveryId: string;
  allowPrivate: boolean;
  timeoutMs?: number;
}

export type SendResult =
  | { outcome: 'ok'; statusCode: number }
  | { outcome: 'http_error'; statusCode: number; error: string }
  | { outcome: 'network_error'; error: string }
  | { outcome: 'refused'; error: string };

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs one signed delivery. No redirects are followed (a redirect is a failed attempt), the response body is
 * read up to 64 KiB and discarded, and the target address is checked by the SSRF guard before connecting.
 */
export function sendWebhook(input: SendInput): Promise<SendResult> {
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    return Promise.resolve({ outcome: 'refused', error: 'refused: the URL cannot be parsed' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.resolve({
      outcome: 'refused',
      error: `refused: scheme ${url.protocol} is not http or https`,
    });
  }
  const literal = checkHost(url.hostname, input.allowPrivate);
  if (literal) return Promise.resolve({ outcome: 'refused', error: literal.message });

  const t = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(input.body)),
    'user-agent': 'Kept-Webhooks/1',
    'x-kept-event': input.event,
    'x-kept-delivery': input.deliveryId,
    'x-kept-signature': signatureHeader(input.secret, input.body, t),
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: SendResult) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const req = client.request(
      url,
      {
        method: 'POST',
        headers,
        lookup: guardedLookup(input.allowPrivate),
        agent: false,
        timeout: input.timeoutMs ?? 10_000,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) res.destroy();
        });
        const finish = () =>
          done(
            status >= 200 && status < 300
              ? { outcome: 'ok', statusCode: status }
              : { outcome: 'http_error', statusCode: status, error: `HTTP ${status}` },
          );
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out after ${input.timeoutMs ?? 10_000} ms`)));
    req.on('error', (err) => {
      if (err instanceof TargetRefused || (err as { code?: string }).code === 'KEPT_TARGET_REFUSED') {
        done({ outcome: 'refused', error: err.message });
      } else {
        done({ outcome: 'network_error', error: err.message || String(err) });
      }
    });
    req.end(input.body);
  });
}
