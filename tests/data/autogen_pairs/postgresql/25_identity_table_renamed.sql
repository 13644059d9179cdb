-- kinds: sequence table identity
ALTER TABLE labels RENAME TO post_labels;
