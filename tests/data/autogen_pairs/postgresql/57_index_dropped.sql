-- kinds: index
DROP INDEX posts_unpublished;
