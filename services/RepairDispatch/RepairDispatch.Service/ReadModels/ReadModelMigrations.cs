using Platform.EventSourcing;

namespace RepairDispatch.Service.ReadModels;

/// <summary>
/// The service's tables, written in the same transaction as the events they follow, so they are never
/// behind the streams and never skip an event: the query tables, whose rows also carry the providers'
/// capacity (<see cref="Providers.ProviderCapacity"/>) and the jobs' locks (<see cref="RepairJobs.JobLock"/>).
/// </summary>
public static class ReadModelMigrations
{
    public const string Component = "repairdispatch-read-models";

    public static readonly IReadOnlyList<Migration> All =
    [
        new(Component, 1, """
            -- One row per provider: its registration and status (from its stream), its open jobs and its
            -- scorecard counts (from the job streams). Selection reads its candidates here.
            create table if not exists providers (
                provider_id text primary key,
                regions text[] not null,
                categories text[] not null,
                capacity int not null,
                status text not null,
                open_jobs int not null default 0 check (open_jobs >= 0),
                jobs_dispatched int not null default 0,
                on_time_callbacks int not null default 0,
                breaches int not null default 0,
                declines int not null default 0,
                completions int not null default 0,
                updated_at timestamptz not null);
            create index if not exists providers_regions on providers using gin (regions);

            -- The samples behind the scorecard's medians, one per callback or completion.
            create table if not exists provider_timings (
                id bigint generated always as identity primary key,
                provider_id text not null,
                kind text not null check (kind in ('callback', 'completion')),
                job_id uuid not null,
                ticks bigint not null);
            create index if not exists provider_timings_provider on provider_timings (provider_id, kind);

            -- What a provider sees of the jobs dispatched to it, and the outbox ids of the job's pending
            -- deadlines, so a deadline that became moot is cancelled instead of waking the service for nothing.
            create table if not exists repair_jobs (
                job_id uuid primary key,
                provider_id text,
                attempt int,
                status text not null,
                order_id text not null,
                line_id text not null,
                claim_id uuid,
                case_id uuid,
                buyer_id text not null,
                region text not null,
                category text not null,
                brand text not null,
                sku text not null,
                title text not null,
                fault text not null,
                paid_by text not null,
                opened_at timestamptz not null,
                dispatched_at timestamptz,
                callback_deadline_at timestamptz,
                accepted boolean not null default false,
                booked_for timestamptz,
                feedback_due_at timestamptz,
                outcome text,
                escalation_reason text,
                callback_deadline_message uuid,
                feedback_deadline_message uuid,
                device_received_at timestamptz,
                updated_at timestamptz not null);
            create index if not exists repair_jobs_provider on repair_jobs (provider_id, dispatched_at) where status = 'InProgress';
            """),
        // Requests under an Idempotency-Key are the platform's idempotency_records now; version 1 made this table.
        new(Component, 2, "drop table if exists idempotent_requests;"),
        // Timings are pruned after RepairDispatchSettings.ProviderTimingsRetention; rows from before this
        // version count from the day it was applied.
        new(Component, 3, """
            alter table provider_timings add column if not exists recorded_at timestamptz not null default now();
            create index if not exists provider_timings_recorded_at on provider_timings (recorded_at);
            """),
        // A provider's worklist by status, oldest dispatch (and so soonest callback deadline) first; it covers the
        // in-progress list the first index served.
        new(Component, 4, """
            create index if not exists repair_jobs_by_provider on repair_jobs (provider_id, status, dispatched_at, job_id);
            drop index if exists repair_jobs_provider;
            """),
        // A job's change to its providers' rows, queued with the commit (ProviderCapacity.Apply): a statement in a
        // batch cannot tell its caller that it updated no row, so the procedure fails the commit instead, naming the
        // table when another dispatch took the last free slot since selection read it.
        new(Component, 5, $"""
            create or replace procedure apply_provider_change(
                p_provider text, p_open_jobs int, p_dispatched int, p_on_time int, p_breaches int, p_declines int,
                p_completions int, p_at timestamptz)
            language plpgsql as $$
            begin
                update providers set open_jobs = open_jobs + p_open_jobs, jobs_dispatched = jobs_dispatched + p_dispatched,
                    on_time_callbacks = on_time_callbacks + p_on_time, breaches = breaches + p_breaches,
                    declines = declines + p_declines, completions = completions + p_completions, updated_at = p_at
                where provider_id = p_provider and (p_open_jobs <= 0 or open_jobs + p_open_jobs <= capacity);
                if found then
                    return;
                end if;
                if p_open_jobs > 0 and exists (select 1 from providers where provider_id = p_provider) then
                    raise exception using errcode = '{Session.KeyTakenSqlState}', table = 'providers',
                        message = format('provider %s has no free slot left', p_provider);
                end if;
                raise exception 'provider % has job events but no read-model row', p_provider;
            end $$;
            """),
    ];
}
