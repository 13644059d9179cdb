BEGIN;

-- Running upgrade 2c4e6a8b0d12 -> 4f6b8d0c2e34

CREATE TABLE shipments (id INTEGER PRIMARY KEY, note VARCHAR(40));

CREATE INDEX shipments_note ON shipments (note);

INSERT INTO "migc_version" (version_num) VALUES ('4f6b8d0c2e34');

INSERT INTO "migc_version_history" (version_num, parents, checksum, applied_at, duration_ms, statements_done, downgrade_sql) VALUES ('4f6b8d0c2e34', '2c4e6a8b0d12', '1c8ec97dc222c990', now(), 0, 2, '20:DROP TABLE shipments,') ON CONFLICT (version_num) DO UPDATE SET parents = EXCLUDED.parents, checksum = EXCLUDED.checksum, applied_at = EXCLUDED.applied_at, duration_ms = EXCLUDED.duration_ms, statements_done = EXCLUDED.statements_done, downgrade_sql = EXCLUDED.downgrade_sql;

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

DELETE FROM "migc_version" WHERE "migc_version".version_num = '8e1a3c5b7d89';

UPDATE "migc_version" SET version_num='9f2b4d6c8e9a' WHERE "migc_version".version_num = '4f6b8d0c2e34';

INSERT INTO "migc_version_history" (version_num, parents, checksum, applied_at, duration_ms, statements_done, downgrade_sql) VALUES ('9f2b4d6c8e9a', '8e1a3c5b7d89,4f6b8d0c2e34', 'df79363ccc08f920', now(), 0, 2, '26:DROP TABLE audit_shipments,') ON CONFLICT (version_num) DO UPDATE SET parents = EXCLUDED.parents, checksum = EXCLUDED.checksum, applied_at = EXCLUDED.applied_at, duration_ms = EXCLUDED.duration_ms, statements_done = EXCLUDED.statements_done, downgrade_sql = EXCLUDED.downgrade_sql;

COMMIT;

