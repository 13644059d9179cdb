-- kinds: table extension
CREATE EXTENSION IF NOT EXISTS citext;
CREATE TABLE members (
    id bigserial PRIMARY KEY,
    email citext NOT NULL UNIQUE,
    display_name text,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO members (email, display_name) VALUES ('ann@example.org', 'Ann'), ('bob@example.org', NULL);
