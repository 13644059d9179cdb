-- kinds: partition table
CREATE TABLE page_views_other PARTITION OF page_views DEFAULT;
