-- kinds: function
CREATE FUNCTION slugify(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(regexp_replace(value, '[^a-zA-Z0-9]+', '-', 'g')) $$;
