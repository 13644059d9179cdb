-- migc:revision      c7a500000034
-- migc:down_revision c7a500000033
-- migc:message       index documents by title
-- migc:create_date   2026-11-26 09:34:00

-- migc:upgrade
CREATE INDEX documents_title ON documents (title);

-- migc:downgrade
DROP INDEX documents_title;
