-- kinds: column
ALTER TABLE post_labels ADD COLUMN colour text;
ALTER TABLE post_labels ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
