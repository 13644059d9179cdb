-- kinds: index
DROP INDEX posts_unpublished;
CREATE INDEX posts_unpublished ON posts (member_id) INCLUDE (title) WHERE status <> 'published';
