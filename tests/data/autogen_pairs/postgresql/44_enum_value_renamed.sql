-- kinds: enum rename
ALTER TYPE post_status RENAME VALUE 'archived' TO 'hidden';
