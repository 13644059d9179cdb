-- kinds: foreign_key
ALTER TABLE invoices DROP CONSTRAINT invoices_member_id_fkey,
    ADD CONSTRAINT invoices_member_id_fkey FOREIGN KEY (member_id) REFERENCES members(id) ON DELETE CASCADE;
