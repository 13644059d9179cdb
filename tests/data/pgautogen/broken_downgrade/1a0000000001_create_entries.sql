-- migc:revision      1a0000000001
-- migc:down_revision none
-- migc:message       create entries
-- migc:create_date   2026-11-20 09:00:00

-- migc:upgrade
CREATE TYPE status AS ENUM ('draft', 'published');
CREATE TABLE entries (id serial PRIMARY KEY, title text NOT NULL,
    status status NOT NULL DEFAULT 'draft');

-- migc:downgrade
DROP TABLE entries;
DROP TYPE status;
