BEGIN;

CREATE TABLE IF NOT EXISTS "migc_version" (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT "migc_version_pkc" PRIMARY KEY (version_num)
);

CREATE TABLE IF NOT EXISTS "migc_version_history" (
    version_num VARCHAR(32) NOT NULL,
    parents TEXT NOT NULL,
    checksum VARCHAR(16) NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    duration_ms INTEGER NOT NULL,
    statements_done INTEGER NOT NULL,
    downgrade_sql TEXT NOT NULL,
    downgrade_done INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "migc_version_history_pkc" PRIMARY KEY (version_num)
);

-- Running upgrade  -> 1a2b3c4d5e01

CREATE TABLE accounts (id INTEGER PRIMARY KEY, note VARCHAR(40));

CREATE INDEX accounts_note ON accounts (note);

INSERT INTO "migc_version" (version_num) VALUES ('1a2b3c4d5e01');

INSERT INTO "migc_version_history" (version_num, parents, checksum, applied_at, duration_ms, statements_done, downgrade_sql) VALUES ('1a2b3c4d5e01', '', '7750d498f8ff78cd', now(), 0, 2, '19:DROP TABLE accounts,') ON CONFLICT (version_num) DO UPDATE SET parents = EXCLUDED.parents, checksum = EXCLUDED.checksum, applied_at = EXCLUDED.applied_at, duration_ms = EXCLUDED.duration_ms, statements_done = EXCLUDED.statements_done, downgrade_sql = EXCLUDED.downgrade_sql;

COMMIT;

BEGIN;

-- Running upgrade 1a2b3c4d5e01 -> 2c4e6a8b0d12

CREATE TABLE orders (id INTEGER PRIMARY KEY, note VARCHAR(40));

CREATE INDEX orders_note ON orders (note);

UPDATE "migc_version" SET version_num='2c4e6a8b0d12' WHERE "migc_version".version_num = '1a2b3c4d5e01';

INSERT INTO "migc_version_history" (version_num, parents, checksum, applied_at, duration_ms, statements_done, downgrade_sql) VALUES ('2c4e6a8b0d12', '1a2b3c4d5e01', '452ed8824ba6f066', now(), 0, 2, '17:DROP TABLE orders,') ON CONFLICT (version_num) DO UPDATE SET parents = EXCLUDED.parents, checksum = EXCLUDED.checksum, applied_at = EXCLUDED.applied_at, duration_ms = EXCLUDED.duration_ms, statements_done = EXCLUDED.statements_done, downgrade_sql = EXCLUDED.downgrade_sql;

COMMIT;

BEGIN;

-- Running upgrade 2c4e6a8b0d12 -> 3e5a7c9b1d23

CREATE TABLE invoices (id INTEGER PRIMARY KEY, note VARCHAR(40));

CREATE INDEX invoices_note ON invoices (note);

UPDATE "migc_version" SET version_num='3e5a7c9b1d23' WHERE "migc_version".version_num = '2c4e6a8b0d12';

INSERT INTO "migc_version_history" (version_num, parents, checksum, applied_at, duration_ms, statements_done, downgrade_sql) VALUES ('3e5a7c9b1d23', '2c4e6a8b0d12', 'e2b4e3e4221622a1', now(), 0, 2, '19:DROP TABLE invoices,') ON CONFLICT (version_num) DO UPDATE SET parents = EXCLUDED.parents, checksum = EXCLUDED.checksum, applied_at = EXCLUDED.applied_at, duration_ms = EXCLUDED.duration_ms, statements_done = EXCLUDED.statements_done, downgrade_sql = EXCLUDED.downgrade_sql;

COMMIT;

BEGIN;

-- Running upgrade 2c4e6a8b0d12 -> 4f6b8d0c2e34

CREATE TABLE shipments (id INTEGER PRIMARY KEY, note VARCHAR(40));

CREATE INDEX shipments_note ON shipments (note);

INSERT INTO "migc_version" (version_num) VALUES ('4f6b8d0c2e34');

INSERT INTO "migc_version_history" (version_num, parents, checksum, applied_at, duration_ms, statements_done, downgrade_sql) VALUES ('4f6b8d0c2e34', '2c4e6a8b0d12', '1c8ec97dc222c990', now(), 0, 2, '20:DROP TABLE shipments,') ON CONFLICT (version_num) DO UPDATE SET parents = EXCLUDED.parents, checksum = EXCLUDED.checksum, applied_at = EXCLUDED.applied_at, duration_ms = EXCLUDED.duration_ms, statements_done = EXCLUDED.statements_done, downgrade_sql = EXCLUDED.downgrade_sql;

COMMIT;

BEGIN;

-- Running upgrade 3e5a7c9b1d23, 4f6b8d0c2e34 -> 5a7c9e1d3f45

DELETE FROM "migc_version" WHERE "migc_version".version_num = '3e5a7c9b1d23';

UPDATE "migc_version" SET version_num='5a7c9e1d3f45' WHERE "migc_version".version_num = '4f6b8d0c2e34';

INSERT INTO "migc_version_history" (version_num, parents, checksum, applied_at, duration_ms, statements_done, downgrade_sql) VALUES ('5a7c9e1d3f45', '3e5a7c9b1d23,4f6b8d0c2e34', 'cbf29ce484222325', now(), 0, 0, '') ON CONFLICT (version_num) DO UPDATE SET parents = EXCLUDED.parents, checksum = EXCLUDED.checksum, applied_at = EXCLUDED.applied_at, duration_ms = EXCLUDED.duration_ms, statements_done = EXCLUDED.statements_done, downgrade_sql = EXCLUDED.downgrade_sql;

COMMIT;

-- Running upgrade 5a7c9e1d3f45 -> 6b8d0f2e4a56

-- (outside a transaction: migc:transaction none)

CREATE TABLE refunds (id INTEGER PRIMARY KEY, note VARCHAR(40));

CREATE INDEX refunds_note ON refunds (note);

BEGIN;

UPDATE "migc_version" SET version_num='6b8d0f2e4a56' WHERE "migc_version".version_num = '5a7c9e1d3f45';

INSERT INTO "migc_version_history" (version_num, parents, checksum, applied_at, duration_ms, statements_done, downgrade_sql) VALUES ('6b8d0f2e4a56', '5a7c9e1d3f45', 'e709105871fa45b0', now(), 0, 2, '18:DROP TABLE refunds,') ON CONFLICT (version_num) DO UPDATE SET parents = EXCLUDED.parents, checksum = EXCLUDED.checksum, applied_at = EXCLUDED.applied_at, duration_ms = EXCLUDED.duration_ms, statements_done = EXCLUDED.statements_done, downgrade_sql = EXCLUDED.downgrade_sql;

COMMIT;

BEGIN;

-- Running upgrade 2c4e6a8b0d12 -> 7c9e1a3f5b67

CREATE TABLE plans (id INTEGER PRIMARY KEY, note VARCHAR(40));

CREATE INDEX plans_note ON plans (note);

INSERT INTO "migc_version" (version_num) VALUES ('7c9e1a3f5b67');

INSERT INTO "migc_version_history" (version_num, parents, checksum, applied_at, duration_ms, statements_done, downgrade_sql) VALUES ('7c9e1a3f5b67', '2c4e6a8b0d12', '11fcc9f2fa7b132b', now(), 0, 2, '16:DROP TABLE plans,') ON CONFLICT (version_num) DO UPDATE SET parents = EXCLUDED.parents, checksum = EXCLUDED.checksum, applied_at = EXCLUDED.applied_at, duration_ms = EXCLUDED.duration_ms, statements_done = EXCLUDED.statements_done, downgrade_sql = EXCLUDED.downgrade_sql;

COMMIT;

BEGIN;

-- Running upgrade 7c9e1a3f5b67 -> 7d0f2b4a6c78

CREATE TABLE subscriptions (id INTEGER PRIMARY KEY, note VARCHAR(40));

CREATE INDEX subscriptions_note ON subscriptions (note);

UPDATE "migc_version" SET version_num='7d0f2b4a6c78' WHERE "migc_version".version_num = '7c9e1a3f5b67';

INSERT INTO "migc_version_history" (version_num, parents, checksum, applied_at, duration_ms, statements_done, downgrade_sql) VALUES ('7d0f2b4a6c78', '7c9e1a3f5b67', 'f836a241a1852415', now(), 0, 2, '24:DROP TABLE subscriptions,') ON CONFLICT (version_num) DO UPDATE SET parents = EXCLUDED.parents, checksum = EXCLUDED.checksum, applied_at = EXCLUDED.applied_at, duration_ms = EXCLUDED.duration_ms, statements_done = EXCLUDED.statements_done, downgrade_sql = EXCLUDED.downgrade_sql;

COMMIT;

BEGIN;

-- Running upgrade  -> 8e1a3c5b7d89

CREATE TABLE audit_log (id INTEGER PRIMARY KEY, note VARCHAR(40));

CREATE INDEX audit_log_note ON audit_log (note);

INSERT INTO "migc_version" (version_num) VALUES ('8e1a3c5b7d89');

INSERT INTO "migc_version_history" (version_num, parents, checksum, applied_at, duration_ms, statements_done, downgrade_sql) VALUES ('8e1a3c5b7d89', '', '7a2af529d9fa2d85', now(), 0, 2, '20:DROP TABLE audit_log,') ON CONFLICT (version_num) DO UPDATE SET parents = EXCLUDED.parents, checksum = EXCLUDED.checksum, applied_at = EXCLUDED.applied_at, duration_ms = EXCLUDED.duration_ms, statements_done = EXCLUDED.statements_done, downgrade_sql = EXCLUDED.downgrade_sql;

COMMIT;

BEGIN;

-- Running upgrade 8e1a3c5b7d89 -> 9f2b4d6c8e9a

CREATE TABLE audit_shipments (id INTEGER PRIMARY KEY, note VARCHAR(40));

CREATE INDEX audit_shipments_note ON audit_shipments (note);

UPDATE "migc_version" SET version_num='9f2b4d6c8e9a' WHERE "migc_version".version_num = '8e1a3c5b7d89';

INSERT INTO "migc_version_history" (version_num, parents, checksum, applied_at, duration_ms, statements_done, downgrade_sql) VALUES ('9f2b4d6c8e9a', '8e1a3c5b7d89,4f6b8d0c2e34', 'df79363ccc08f920', now(), 0, 2, '26:DROP TABLE audit_shipments,') ON CONFLICT (version_num) DO UPDATE SET parents = EXCLUDED.parents, checksum = EXCLUDED.checksum, applied_at = EXCLUDED.applied_at, duration_ms = EXCLUDED.duration_ms, statements_done = EXCLUDED.statements_done, downgrade_sql = EXCLUDED.downgrade_sql;

COMMIT;

