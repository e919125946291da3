-- Moves one of the caller's drafts to submitted. Safe to run again: it only replaces the function.
create or replace function submit_expense(expense_id bigint) returns void
  language sql
  as $$
    update expenses set status = 'submitted' where id = expense_id and status = 'draft'
  $$;

grant execute on function submit_expense(bigint) to employee;
