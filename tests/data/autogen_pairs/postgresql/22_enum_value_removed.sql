-- kinds: enum
CREATE TYPE member_role AS ENUM ('reader', 'writer', 'admin');
ALTER TABLE members ADD COLUMN role member_role NOT NULL DEFAULT 'reader';
