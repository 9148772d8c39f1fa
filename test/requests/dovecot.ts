import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ImapFlow } from 'imapflow';
import { freePort } from '../platform/server-process';

/**
 * A real Dovecot (Debian's dovecot-imapd) for one test file: its own config, passwd-file users and
 * Maildirs under a temp dir, plain login allowed, listening on a loopback port, run in the foreground.
 */
export class Dovecot {
  readonly log: string[] = [];
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly child: ChildProcess,
    readonly users: Record<string, string>,
    private readonly owner: { uid: number; gid: number },
  ) {}

  static async start(users: Record<string, string>): Promise<Dovecot> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netdesk-dovecot-'));
    fs.chmodSync(dir, 0o755); // the auth process runs as Dovecot's own user and must reach the passwd file
    const port = await freePort();
    for (const sub of ['run', 'state', 'mail', 'home']) fs.mkdirSync(path.join(dir, sub));
    fs.writeFileSync(
      path.join(dir, 'passwd'),
      Object.entries(users)
        .map(([user, pass]) => `${user}:{PLAIN}${pass}::::::`)
        .join('\n') + '\n',
    );
    // Dovecot never opens mail as root: as root the mail belongs to `nobody`
    const root = process.getuid?.() === 0;
    const uid = root ? 65534 : (process.getuid?.() ?? 65534);
    const gid = root ? 65534 : (process.getgid?.() ?? 65534);
    for (const sub of ['mail', 'home']) fs.chownSync(path.join(dir, sub), uid, gid);
    fs.writeFileSync(
      path.join(dir, 'dovecot.conf'),
      `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = /dev/stderr
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 0
first_valid_gid = 0
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/home/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
}
service lmtp {
  unix_listener lmtp {
    mode = 0600
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0600
  }
  unix_listener stats-writer {
    mode = 0600
  }
}
`,
    );
    const child = spawn('/usr/sbin/dovecot', ['-F', '-c', path.join(dir, 'dovecot.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const d = new Dovecot(dir, port, child, users, { uid, gid });
    const collect = (chunk: Buffer) => d.log.push(...chunk.toString().split('\n').filter(Boolean));
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const started = Date.now();
    while (Date.now() - started < 15_000) {
      if (child.exitCode !== null) throw new Error(`dovecot exited:\n${d.log.join('\n')}`);
      if (await canConnect(port)) return d;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`dovecot did not listen on ${port}:\n${d.log.join('\n')}`);
  }

  url(user: string, mailbox = 'INBOX'): string {
    return `imap://${encodeURIComponent(user)}:${encodeURIComponent(this.users[user])}@127.0.0.1:${this.port}/${mailbox}`;
  }

  /** A client of our own, to deliver (APPEND) and inspect mail as a mail server would. */
  async client(user: string): Promise<ImapFlow> {
    const c = new ImapFlow({
      host: '127.0.0.1',
      port: this.port,
      secure: false,
      auth: { user, pass: this.users[user] },
      logger: false,
    });
    c.on('error', () => undefined);
    await c.connect();
    return c;
  }

  /** Delivers one raw message into the user's INBOX over IMAP (APPEND). */
  async deliver(user: string, raw: string | Buffer): Promise<void> {
    const c = await this.client(user);
    try {
      await c.append('INBOX', raw);
    } finally {
      await c.logout();
    }
  }

  /** Drops a message straight into the user's Maildir (new/), as a local delivery agent would. */
  deliverToMaildir(user: string, raw: Buffer): void {
    const box = path.join(this.dir, 'mail', user);
    const { uid, gid } = this.owner;
    if (!fs.existsSync(box)) fs.mkdirSync(box);
    fs.chownSync(box, uid, gid);
    for (const sub of ['new', 'cur', 'tmp']) {
      if (!fs.existsSync(path.join(box, sub))) fs.mkdirSync(path.join(box, sub));
      fs.chownSync(path.join(box, sub), uid, gid);
    }
    const name = `${Date.now()}.M${Math.floor(Math.random() * 1e6)}P${process.pid}.netdesk-test`;
    fs.writeFileSync(path.join(box, 'tmp', name), raw);
    fs.chownSync(path.join(box, 'tmp', name), uid, gid);
    fs.renameSync(path.join(box, 'tmp', name), path.join(box, 'new', name));
  }

  /** UIDs of the INBOX and the keywords each carries. */
  async flags(user: string): Promise<Map<number, Set<string>>> {
    const c = await this.client(user);
    const out = new Map<number, Set<string>>();
    try {
      await c.mailboxOpen('INBOX');
      for await (const msg of c.fetch('1:*', { uid: true, flags: true })) out.set(msg.uid, msg.flags ?? new Set());
    } catch {
      /* empty mailbox */
    } finally {
      await c.logout();
    }
    return out;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('close', r));
      this.child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.end();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
