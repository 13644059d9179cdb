-- kinds: function
ALTER FUNCTION member_post_count(bigint) PARALLEL SAFE;
ALTER FUNCTION member_post_count(bigint) SET work_mem = '8MB';
ALTER FUNCTION touch_updated_at() SECURITY DEFINER;
