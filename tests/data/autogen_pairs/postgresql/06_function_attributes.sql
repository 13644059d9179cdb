-- kinds: function
CREATE FUNCTION member_post_count(member bigint) RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$ SELECT count(*)::integer FROM posts WHERE member_id = member $$;
