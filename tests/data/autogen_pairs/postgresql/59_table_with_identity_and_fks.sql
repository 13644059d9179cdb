-- kinds: table foreign_key identity
CREATE TABLE post_reactions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id integer NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    member_id bigint NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('like', 'laugh', 'sad')),
    UNIQUE (post_id, member_id, kind)
);
CREATE INDEX post_reactions_member ON post_reactions (member_id);
