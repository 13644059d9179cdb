-- kinds: generated column
ALTER TABLE posts ADD COLUMN title_length integer GENERATED ALWAYS AS (char_length(title)) STORED;
