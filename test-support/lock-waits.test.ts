/**
 * lock-waits.ts against a real MariaDB: a transaction waiting for a held row is seen, on its
 * own table and database only, also while another session polls information_schema.INNODB_TRX
 * fast enough to keep that table's server-wide cache from refreshing.
 */
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import type { Connection } from 'mysql2/promise';
import { lockWaitsOn } from './lock-waits.ts';
import type { RunSql } from './lock-waits.ts';
import { describeWithMysql, testDatabaseUrl } from './services.ts';

describeWithMysql('lockWaitsOn', () => {
  const databases = [`strangler_t_${randomBytes(6).toString('hex')}`, `strangler_t_${randomBytes(6).toString('hex')}`];
  const [mine, other] = databases as [string, string];
  const open: Connection[] = [];

  async function connect(database?: string): Promise<Connection> {
    const url = new URL(testDatabaseUrl!);
    const conn = await createConnection({
      host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username || 'root'), password: decodeURIComponent(url.password), ...(database ? { database } : {}),
    });
    open.push(conn);
    return conn;
  }
  const runOn = (conn: Connection): RunSql => async (sql) => (await conn.query(sql))[0] as Record<string, unknown>[];

  /** Holds row 1 of `database`.t; returns the holder and a second transaction's UPDATE of that row, waiting. */
  async function waiterOn(database: string): Promise<{ holder: Connection; waiter: Connection; updated: Promise<unknown> }> {
    const holder = await connect(database);
    const waiter = await connect(database);
    await holder.query('START TRANSACTION');
    await holder.query('SELECT id FROM t WHERE id = 1 FOR UPDATE');
    await waiter.query('START TRANSACTION');
    const updated = waiter.query('UPDATE t SET n = n + 1 WHERE id = 1');
    return { holder, waiter, updated };
  }

  async function until(read: () => Promise<number>, want: number): Promise<number> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const n = await read();
      if (n === want || Date.now() > deadline) return n;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  beforeAll(async () => {
    const admin = await connect();
    for (const db of databases) {
      await admin.query(`CREATE DATABASE \`${db}\``);
      await admin.query(`CREATE TABLE \`${db}\`.t (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB`);
      await admin.query(`CREATE TABLE \`${db}\`.u (id INT PRIMARY KEY) ENGINE=InnoDB`);
      await admin.query(`INSERT INTO \`${db}\`.t VALUES (1, 0)`);
    }
  });

  afterAll(async () => {
    const admin = open[0]!;
    for (const db of databases) await admin.query(`DROP DATABASE IF EXISTS \`${db}\``);
    for (const conn of open.splice(0)) await conn.end();
  });

  it('counts a transaction waiting for a lock of the table, and none once it got it', async () => {
    const watcher = await connect();
    const run = runOn(watcher);
    expect(await lockWaitsOn(run, mine, 't')).toBe(0);
    const { holder, waiter, updated } = await waiterOn(mine);
    expect(await until(() => lockWaitsOn(run, mine, 't'), 1)).toBe(1);
    expect(await lockWaitsOn(run, mine, 'u')).toBe(0);
    expect(await lockWaitsOn(run, other, 't')).toBe(0);
    await holder.query('ROLLBACK');
    await updated;
    await waiter.query('ROLLBACK');
    expect(await lockWaitsOn(run, mine, 't')).toBe(0);
  });

  it('sees a waiter that began while another session polled INNODB_TRX every 20 ms', async () => {
    const poller = await connect();
    let polling = true;
    const polls = (async () => {
      while (polling) {
        await poller.query("SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'");
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      await new Promise((r) => setTimeout(r, 100));
      const { holder, waiter, updated } = await waiterOn(other);
      const watcher = await connect();
      expect(await until(() => lockWaitsOn(runOn(watcher), other, 't'), 1)).toBe(1);
      await holder.query('ROLLBACK');
      await updated;
      await waiter.query('ROLLBACK');
    } finally {
      polling = false;
      await polls;
    }
  });
});
