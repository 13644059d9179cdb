-- kinds: foreign_key column
ALTER TABLE posts ADD COLUMN parent_id integer
    REFERENCES posts(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED;
