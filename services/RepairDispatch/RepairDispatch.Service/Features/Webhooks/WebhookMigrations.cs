using Platform.EventSourcing;

namespace RepairDispatch.Service.Features.Webhooks;

/// <summary>
/// The webhook tables, applied with the service's read models (<see cref="ReadModels.ReadModelMigrations"/>) under
/// a component of their own, so that their versions never collide with the read models' own.
/// </summary>
public static class WebhookMigrations
{
    public const string Component = "repairdispatch-webhooks";

    public static readonly IReadOnlyList<Migration> All =
    [
        new(Component, 1, """
            -- One endpoint per provider. The secret is kept as it was shown, not hashed: every delivery is signed with it.
            create table if not exists webhook_registrations (
                provider_id text primary key,
                url text not null,
                secret text not null,
                registered_at timestamptz not null default now(),
                updated_at timestamptz not null default now(),
                secret_rotated_at timestamptz not null default now());

            -- The deliveries' outbox: written in the job's unit of work, sent by WebhookDeliveryWorker. A
            -- delivery stays Pending until its endpoint answers 2xx (Delivered), or its registration is removed
            -- (Abandoned). The body is fixed when the job's event happens, so a redelivery sends the same bytes.
            -- Times of attempts, back-off and leases are the database's (real time), as the outbox relay's are.
            create table if not exists webhook_deliveries (
                id uuid primary key,
                provider_id text not null,
                job_id uuid not null,
                event_type text not null,
                body text not null,
                created_at timestamptz not null default now(),
                status text not null default 'Pending' check (status in ('Pending', 'Delivered', 'Abandoned')),
                attempts int not null default 0,
                -- Failures since the last success or redelivery request: the exponent of the back-off.
                failures int not null default 0,
                next_attempt_at timestamptz not null default now(),
                locked_until timestamptz,
                settled_at timestamptz,
                last_status_code int,
                last_error text);
            create index if not exists webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'Pending';
            create index if not exists webhook_deliveries_log on webhook_deliveries (provider_id, created_at desc, id desc);
            create index if not exists webhook_deliveries_settled on webhook_deliveries (settled_at);

            -- Every attempt, as the provider's delivery log shows it.
            create table if not exists webhook_attempts (
                id bigint generated always as identity primary key,
                delivery_id uuid not null references webhook_deliveries (id) on delete cascade,
                attempted_at timestamptz not null,
                status_code int,
                error text,
                duration_ms int not null);
            create index if not exists webhook_attempts_delivery on webhook_attempts (delivery_id, id);
            """),
        new(Component, 2, $"""
            -- The worker is woken by the commit that leaves it a delivery. A trigger does it so that the job's unit of
            -- work writes its deliveries with its commit, in no round trip of its own: an insert that notifies itself
            -- would have to return a row. Statement-level, so a dispatch to a provider without a webhook (no row)
            -- wakes nothing.
            create or replace function webhook_deliveries_wake() returns trigger language plpgsql as $body$
            begin
                if exists (select 1 from inserted) then
                    perform pg_notify('{WebhookEvents.Channel}', '');
                end if;
                return null;
            end
            $body$;
            create or replace trigger webhook_deliveries_wake after insert on webhook_deliveries
                referencing new table as inserted for each statement execute function webhook_deliveries_wake();
            """),
    ];
}
