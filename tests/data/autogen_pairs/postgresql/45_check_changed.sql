-- kinds: check
ALTER TABLE posts DROP CONSTRAINT posts_title_length,
    ADD CONSTRAINT posts_title_length CHECK (char_length(title) <= 300);
