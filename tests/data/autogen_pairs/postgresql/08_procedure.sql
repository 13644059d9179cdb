-- kinds: procedure
CREATE PROCEDURE publish_all(member bigint)
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE posts SET status = 'published' WHERE member_id = member;
END;
$$;
