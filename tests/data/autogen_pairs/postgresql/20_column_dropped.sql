-- kinds: column column_order
ALTER TABLE members DROP COLUMN created_at CASCADE;
