/**
 * The block printed on the terminal when the first admin gets a generated password: the one moment an
 * operator must read something, so it is plain text, apart from the JSON log lines, with where to sign in.
 */
export function firstAdminNotice(opts: { email: string; password: string; port: number; host: string }): string {
  const wildcard = ['0.0.0.0', '::', '[::]', ''].includes(opts.host);
  const url = `http://${wildcard ? 'localhost' : opts.host}:${opts.port}/`;
  const rule = '='.repeat(72);
  return [
    '',
    rule,
    '  NetDesk: the first administrator was created. Sign in with:',
    '',
    `    URL:       ${url}${wildcard ? `  (from another machine: http://<this server's address>:${opts.port}/)` : ''}`,
    `    Email:     ${opts.email}`,
    `    Password:  ${opts.password}`,
    '',
    '  This password is shown once: keep it, and change it after signing in.',
    '  (Set NETDESK_ADMIN_EMAIL and NETDESK_ADMIN_PASSWORD to choose them instead.)',
    rule,
    '',
    '',
  ].join('\n');
}
