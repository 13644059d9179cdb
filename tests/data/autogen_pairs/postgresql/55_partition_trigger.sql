-- kinds: trigger partition function
CREATE FUNCTION page_views_not_future() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.viewed_at > now() + interval '1 day' THEN
        RAISE EXCEPTION 'view in the future';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER page_views_not_future BEFORE INSERT ON page_views
    FOR EACH ROW EXECUTE FUNCTION page_views_not_future();
