import pino from 'pino';

/** pino options shared by the server and the CLI; secrets never reach the log. */
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
  };
}

export const cliLogger = (level = 'info') => pino(loggerOptions(level));
