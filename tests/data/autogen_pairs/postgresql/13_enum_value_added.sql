-- kinds: enum
ALTER TYPE post_status ADD VALUE 'archived';
