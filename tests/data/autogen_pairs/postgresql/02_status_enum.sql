-- kinds: enum table
CREATE TYPE post_status AS ENUM ('draft', 'published');
CREATE TABLE posts (
    id serial PRIMARY KEY,
    member_id bigint NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    title text NOT NULL,
    status post_status NOT NULL DEFAULT 'draft',
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO posts (member_id, title) VALUES (1, 'Hello'), (2, 'Second');
