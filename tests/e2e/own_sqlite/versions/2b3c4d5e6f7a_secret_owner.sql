-- migc:revision 2b3c4d5e6f7a
-- migc:down_revision 1a2b3c4d5e6f
-- migc:message secret owner
-- migc:create_date 2026-12-01 11:00:00

-- migc:upgrade
ALTER TABLE secrets ADD COLUMN owner TEXT;
CREATE INDEX secrets_owner ON secrets (owner);
INSERT INTO secrets (name, value, owner) VALUES ('door', '1234', 'ops');

-- migc:downgrade
DELETE FROM secrets WHERE name = 'door';
DROP INDEX secrets_owner;
CREATE TABLE secrets_old (id INTEGER PRIMARY KEY, name TEXT NOT NULL, value TEXT);
INSERT INTO secrets_old (id, name, value) SELECT id, name, value FROM secrets;
DROP TABLE secrets;
ALTER TABLE secrets_old RENAME TO secrets;
