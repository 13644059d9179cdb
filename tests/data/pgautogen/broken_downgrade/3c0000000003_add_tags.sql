-- A correct revision after the broken one: it is still checked.
--
-- migc:revision      3c0000000003
-- migc:down_revision 2b0000000002
-- migc:message       add tags
-- migc:create_date   2026-11-20 11:00:00

-- migc:upgrade
CREATE TABLE tags (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entry_id integer REFERENCES entries (id), name text);

-- migc:downgrade
DROP TABLE tags;
