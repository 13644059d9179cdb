-- kinds: index rename
ALTER INDEX posts_drafts RENAME TO posts_unpublished;
