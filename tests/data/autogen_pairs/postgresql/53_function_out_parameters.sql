-- kinds: function
CREATE FUNCTION member_totals(member bigint, OUT posts bigint, OUT invoices bigint)
LANGUAGE sql STABLE AS $$
    SELECT (SELECT count(*) FROM posts WHERE member_id = member),
           (SELECT count(*) FROM invoices WHERE member_id = member)
$$;
