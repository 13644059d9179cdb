-- kinds: unique
ALTER TABLE posts ADD CONSTRAINT posts_member_title UNIQUE (member_id, title);
