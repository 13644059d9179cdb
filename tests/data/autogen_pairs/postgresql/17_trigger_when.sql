-- kinds: trigger function
DROP TRIGGER posts_touch ON posts;
CREATE TRIGGER posts_touch BEFORE UPDATE ON posts FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title) EXECUTE FUNCTION touch_updated_at();
