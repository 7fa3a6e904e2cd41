/**
 * The password policy every new password meets (self-service change, admin reset, `kept user set-password`):
 * 8 to 200 characters, not one character repeated, and not the account's email or the part before the @.
 * Returns the i18n key of the first rule broken, or null.
 */
export function passwordProblem(password: string, opts: { email?: string } = {}): string | null {
  if ([...password].length < 8 || password.length > 200) return 'validation.password';
  if (new Set(password).size < 2) return 'validation.password_weak';
  const email = opts.email?.trim().toLowerCase();
  const lower = password.toLowerCase();
  if (email && (lower === email || lower === email.split('@')[0])) return 'validation.password_email';
  return null;
}
