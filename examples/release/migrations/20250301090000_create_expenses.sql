-- The expense-approval schema and its three roles. Roles are cluster-wide, so they are created
-- only when missing; an environment's deployer must be allowed to create them or they must exist.
do $$
begin
  if not exists (select from pg_roles where rolname = 'admin') then
    create role admin nologin;
  end if;
  if not exists (select from pg_roles where rolname = 'approver') then
    create role approver nologin;
  end if;
  if not exists (select from pg_roles where rolname = 'employee') then
    create role employee nologin;
  end if;
end
$$;

create table expenses (
  id bigint generated always as identity primary key,
  owner text not null,
  team text not null,
  amount_cents integer not null check (amount_cents > 0),
  description text not null,
  status text not null default 'draft'
    check (status in ('draft', 'submitted', 'approved', 'rejected')),
  created_at timestamptz not null default now()
);

-- Both employees and approvers may change only the status; the policies of the next migration
-- decide which status each may set.
grant select, insert, update (status) on expenses to employee;
grant select, update (status) on expenses to approver;
grant select, insert, update, delete on expenses to admin;
