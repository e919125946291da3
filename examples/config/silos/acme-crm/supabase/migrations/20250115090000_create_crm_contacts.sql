-- The CRM's contacts, in their own schema so that PostgREST exposes only what the app uses.
create schema if not exists crm;

create table crm.contacts (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references auth.users (id) on delete cascade,
  full_name text not null,
  email text,
  company text,
  created_at timestamptz not null default now()
);

create index contacts_owner_id_idx on crm.contacts (owner_id);

grant usage on schema crm to authenticated;
grant select, insert, update, delete on crm.contacts to authenticated;
