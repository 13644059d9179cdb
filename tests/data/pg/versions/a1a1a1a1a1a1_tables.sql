-- Accounts and their events. Generic SQL: PostgreSQL takes it as written,
-- semicolons inside strings and comments included.
--
-- migc:revision      a1a1a1a1a1a1
-- migc:down_revision none
-- migc:message       accounts and events
-- migc:create_date   2026-11-25 10:00:00

-- migc:upgrade
CREATE TABLE accounts (
    id         serial PRIMARY KEY,
    name       text NOT NULL,
    note       text NOT NULL DEFAULT 'a;b',
    updated_at timestamptz
);

-- a comment; with a semicolon
CREATE TABLE events (
    id         bigserial PRIMARY KEY,
    account_id integer REFERENCES accounts (id),
    body       text /* inline; comment */
);

INSERT INTO accounts (name, note)
VALUES ('first; second', E'it\'s; \\ fine'),
       ('other', $q$dollar; 'quoted'$q$);

-- migc:downgrade
DROP TABLE events;
DROP TABLE accounts;
