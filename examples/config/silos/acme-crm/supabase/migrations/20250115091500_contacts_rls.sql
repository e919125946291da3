-- Each signed-in user sees and edits only the contacts they own.
alter table crm.contacts enable row level security;

create policy contacts_owner_all on crm.contacts
  for all
  to authenticated
  using (owner_id = auth.uid())
  with check (owner_id = auth.uid());
