-- An audit log filled by a DO block. The generic sections are what a
-- SQLite build would run; the postgresql ones win for this set.
--
-- migc:revision      c3c3c3c3c3c3
-- migc:down_revision b2b2b2b2b2b2
-- migc:message       audit log
-- migc:create_date   2026-11-25 10:20:00

-- migc:upgrade
CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, message TEXT NOT NULL);
INSERT INTO audit_log (message) SELECT 'seen; ' || name FROM accounts ORDER BY id;

-- migc:upgrade postgresql
CREATE TABLE audit_log (id serial PRIMARY KEY, message text NOT NULL);

DO $do$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT name FROM accounts ORDER BY id LOOP
        INSERT INTO audit_log (message) VALUES ('seen; ' || r.name);
    END LOOP;
END
$do$;

-- migc:downgrade
DROP TABLE audit_log;
