-- kinds: column not_null
UPDATE members SET display_name = split_part(email::text, '@', 1) WHERE display_name IS NULL;
ALTER TABLE members ALTER COLUMN display_name SET NOT NULL;
