using Platform.EventSourcing;

namespace Arbitration.Service.ReadModels;

/// <summary>The read models' tables; each is written in the transaction that appends the events it reflects.</summary>
public static class ReadModelMigrations
{
    public const string Component = "arbitration-read-models";

    public static readonly IReadOnlyList<Migration> All =
    [
        new(Component, 1, """
            create table if not exists case_list (
                case_id uuid primary key,
                origin text not null,
                order_id text not null,
                line_id text not null,
                buyer_id text not null,
                respondent text not null,
                respondent_id text,
                arbitrator_id text,
                status text not null,
                opened_at timestamptz not null,
                respond_by timestamptz not null,
                ruled_at timestamptz,
                default_ruling boolean);

            -- Open cases per arbitrator (assignment) and open cases by age (stale cases).
            create index if not exists case_list_open_by_arbitrator on case_list (arbitrator_id) where ruled_at is null;
            create index if not exists case_list_open_by_age on case_list (opened_at) where ruled_at is null;
            create index if not exists case_list_by_status on case_list (status, opened_at);
            """),
        new(Component, 2, """
            -- The worklists: by the claim a case disputes, by respondent, by buyer, by order; each oldest first, as the
            -- respondents' deadlines fall. A case opened before this version has no claim id until its next event.
            alter table case_list add column if not exists claim_id uuid;
            create index if not exists case_list_by_opening on case_list (opened_at, case_id);
            create index if not exists case_list_by_respondent on case_list (respondent, respondent_id, opened_at, case_id);
            create index if not exists case_list_by_buyer on case_list (buyer_id, opened_at, case_id);
            create index if not exists case_list_by_order on case_list (order_id, opened_at, case_id);
            create index if not exists case_list_by_claim on case_list (claim_id) where claim_id is not null;
            """),
    ];
}
