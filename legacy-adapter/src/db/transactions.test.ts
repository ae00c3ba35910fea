import { createTestDb, forEachDialect, type TestDb } from '../../../test-support/databases.ts';
import { describeWithMysql } from '../../../test-support/services.ts';
import { openDb } from './open.ts';
import type { Db } from './types.ts';

/** A promise and the function that settles it, to hold a transaction open on purpose. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const insertIp = (db: Db, ip: string) => db.execute(`INSERT INTO ${db.table('ip_addresses')} (ip_address, ip_details) VALUES (?, 'N;')`, [ip]);
const ips = async (db: Db) => (await db.query<{ ip_address: string }>(`SELECT ip_address FROM ${db.table('ip_addresses')} ORDER BY id`)).map((r) => r.ip_address);

forEachDialect('transactions', (getDb) => {
  beforeEach(async () => {
    await getDb().execute(`DELETE FROM ${getDb().table('ip_addresses')}`);
  });

  it('commits what fn wrote and returns its result', async () => {
    const id = await getDb().transaction(async (tx) => (await insertIp(tx, '10.0.0.1')).insertId);
    expect(id).toBeGreaterThan(0);
    expect(await ips(getDb())).toEqual(['10.0.0.1']);
  });

  it('rolls back and rethrows when fn throws', async () => {
    const boom = new Error('boom');
    await expect(
      getDb().transaction(async (tx) => {
        await insertIp(tx, '10.0.0.2');
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await ips(getDb())).toEqual([]);
  });

  it('leaves nothing behind with rollbackOnly (dry run) but still returns the result', async () => {
    const seen = await getDb().transaction(
      async (tx) => {
        await insertIp(tx, '10.0.0.3');
        return ips(tx);
      },
      { rollbackOnly: true },
    );
    expect(seen).toEqual(['10.0.0.3']);
    expect(await ips(getDb())).toEqual([]);
  });

  it('nests through savepoints: a failed inner transaction does not undo the outer one', async () => {
    await getDb().transaction(async (tx) => {
      await insertIp(tx, '10.0.0.4');
      await expect(
        tx.transaction(async (inner) => {
          await insertIp(inner, '10.0.0.5');
          throw new Error('inner');
        }),
      ).rejects.toThrow('inner');
      await tx.transaction((inner) => insertIp(inner, '10.0.0.6'), { rollbackOnly: true });
    });
    expect(await ips(getDb())).toEqual(['10.0.0.4']);
  });

  it('refuses to use a transaction handle after the transaction ended', async () => {
    let leaked: Db | undefined;
    await getDb().transaction(async (tx) => {
      leaked = tx;
    });
    await expect(ips(leaked!)).rejects.toMatchObject({ code: 'DB_CLOSED' });
  });

  it('reports a duplicate key as DB_DUPLICATE_KEY (status 409)', async () => {
    const roles = getDb().table('roles');
    await getDb().execute(`INSERT INTO ${roles} (id, is_published, name, is_admin, readable_permissions) VALUES (77, 1, 'r', 0, 'N;')`);
    await expect(
      getDb().execute(`INSERT INTO ${roles} (id, is_published, name, is_admin, readable_permissions) VALUES (77, 1, 'r', 0, 'N;')`),
    ).rejects.toMatchObject({ code: 'DB_DUPLICATE_KEY', status: 409 });
  });

  it('writes what executeLater held with the COMMIT, in order with the other statements', async () => {
    await getDb().transaction(async (tx) => {
      await tx.executeLater(`INSERT INTO ${tx.table('ip_addresses')} (ip_address, ip_details) VALUES (?, 'N;')`, ['10.0.1.1']);
      await insertIp(tx, '10.0.1.2');
      await tx.executeLater(`INSERT INTO ${tx.table('ip_addresses')} (ip_address, ip_details) VALUES (?, 'N;')`, ['10.0.1.3']);
    });
    expect(await ips(getDb())).toEqual(['10.0.1.1', '10.0.1.2', '10.0.1.3']);
  });

  it('fails the transaction, and undoes it, when a held write fails at the COMMIT', async () => {
    const roles = getDb().table('roles');
    await getDb().execute(`DELETE FROM ${roles} WHERE id = 78`);
    await getDb().execute(`INSERT INTO ${roles} (id, is_published, name, is_admin, readable_permissions) VALUES (78, 1, 'r', 0, 'N;')`);
    await expect(getDb().transaction(async (tx) => {
      await insertIp(tx, '10.0.2.1');
      await tx.executeLater(`INSERT INTO ${roles} (id, is_published, name, is_admin, readable_permissions) VALUES (78, 1, 'r', 0, 'N;')`);
    })).rejects.toMatchObject({ code: 'DB_DUPLICATE_KEY' });
    expect(await ips(getDb())).toEqual([]);
    // The connection went back to the pool without a transaction left open.
    await getDb().transaction((tx) => insertIp(tx, '10.0.2.2'));
    expect(await ips(getDb())).toEqual(['10.0.2.2']);
  });

  it('does not let a transaction go on past a held write that failed with the next statement', async () => {
    const roles = getDb().table('roles');
    await getDb().execute(`DELETE FROM ${roles} WHERE id = 79`);
    await getDb().execute(`INSERT INTO ${roles} (id, is_published, name, is_admin, readable_permissions) VALUES (79, 1, 'r', 0, 'N;')`);
    await expect(getDb().transaction(async (tx) => {
      await tx.executeLater(`INSERT INTO ${roles} (id, is_published, name, is_admin, readable_permissions) VALUES (79, 1, 'r', 0, 'N;')`);
      // The caller expects its own statement's error and recovers from it.
      await insertIp(tx, '10.0.3.1').catch(() => undefined);
      await insertIp(tx, '10.0.3.2');
    })).rejects.toMatchObject({ code: 'DB_DUPLICATE_KEY' });
    expect(await ips(getDb())).toEqual([]);
  });

  it('refuses undefined parameters and odd table names before touching the database', async () => {
    await expect(getDb().query('SELECT ?', [undefined as never])).rejects.toMatchObject({ code: 'DB_INPUT_INVALID' });
    expect(() => getDb().table('leads; DROP TABLE x')).toThrow(expect.objectContaining({ code: 'DB_INPUT_INVALID' }));
  });
});

describe('SQLite serialises transactions on its single connection', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb('sqlite');
  });
  afterAll(() => t.drop());

  it('runs a second transaction and plain queries only after the first one ended', async () => {
    const hold = deferred();
    const events: string[] = [];
    const first = t.db.transaction(async (tx) => {
      await insertIp(tx, '192.0.2.1');
      events.push('first wrote');
      await hold.promise;
      events.push('first ends');
      throw new Error('undo first');
    });
    const second = t.db.transaction(async (tx) => {
      events.push(`second sees ${JSON.stringify(await ips(tx))}`);
      await insertIp(tx, '192.0.2.2');
    });
    const plain = ips(t.db).then((seen) => events.push(`plain sees ${JSON.stringify(seen)}`));
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual(['first wrote']);
    hold.resolve();
    await expect(first).rejects.toThrow('undo first');
    await Promise.all([second, plain]);
    expect(events).toEqual(['first wrote', 'first ends', 'second sees []', 'plain sees ["192.0.2.2"]']);
  });

  it('answers DB_CLOSED after close', async () => {
    const other = await createTestDb('sqlite');
    await other.db.close();
    await expect(other.db.query('SELECT 1')).rejects.toMatchObject({ code: 'DB_CLOSED' });
    await other.drop();
  });
});

describeWithMysql('MariaDB lock waits and isolation', () => {
  let t: TestDb;
  let db: Db;
  beforeAll(async () => {
    t = await createTestDb('mysql');
    db = await openDb(t.url, { connectionLimit: 2 });
    await insertIp(db, '198.51.100.1');
  });
  afterAll(async () => {
    await db?.close();
    await t?.drop();
  });

  it('gives up on a held row lock after lockWaitTimeoutMs with DB_LOCK_TIMEOUT, then restores the session', async () => {
    const hold = deferred();
    const locked = deferred();
    const holder = db.transaction(async (tx) => {
      await tx.query('SELECT * FROM ip_addresses WHERE ip_address = ? FOR UPDATE', ['198.51.100.1']);
      locked.resolve();
      await hold.promise;
    });
    await locked.promise;
    const started = Date.now();
    await expect(
      db.transaction((tx) => tx.execute("UPDATE ip_addresses SET ip_details = 'a:0:{}' WHERE ip_address = ?", ['198.51.100.1']), { lockWaitTimeoutMs: 300 }),
    ).rejects.toMatchObject({ code: 'DB_LOCK_TIMEOUT', status: 503 });
    expect(Date.now() - started).toBeLessThan(950);
    hold.resolve();
    await holder;
    // Both pooled connections are back on the server defaults.
    const settings = await Promise.all(
      [0, 1].map(() =>
        db.transaction((tx) =>
          tx.query<{ same: number }>(
            'SELECT @@SESSION.max_statement_time = @@GLOBAL.max_statement_time AND @@SESSION.innodb_lock_wait_timeout = @@GLOBAL.innodb_lock_wait_timeout AS same',
          ),
        ),
      ),
    );
    expect(settings.map((rows) => Number(rows[0]?.same))).toEqual([1, 1]);
  });

  it('reads committed rows of others mid-transaction with isolationLevel read-committed', async () => {
    const readTwice = (isolationLevel: 'read-committed' | 'repeatable-read', next: string) =>
      db.transaction(
        async (tx) => {
          const before = await tx.query<{ ip_details: string }>('SELECT ip_details FROM ip_addresses LIMIT 1');
          await db.execute('UPDATE ip_addresses SET ip_details = ?', [next]);
          const after = await tx.query<{ ip_details: string }>('SELECT ip_details FROM ip_addresses LIMIT 1');
          return [before[0]?.ip_details, after[0]?.ip_details];
        },
        { isolationLevel },
      );
    await db.execute("UPDATE ip_addresses SET ip_details = 'N;'");
    expect(await readTwice('repeatable-read', 'a:0:{}')).toEqual(['N;', 'N;']);
    expect(await readTwice('read-committed', 'N;')).toEqual(['a:0:{}', 'N;']);
  });
});
