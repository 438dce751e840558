using Platform.EventSourcing;

namespace Warranty.Service.ReadModels;

/// <summary>
/// The worklists' tables, written in the transaction that appends the events they reflect. Version 1 of the
/// component is the claim index (<see cref="ClaimIndex"/>); these follow it.
/// </summary>
public static class ReadModelMigrations
{
    public const string Component = "warranty-read-models";

    public static readonly IReadOnlyList<Migration> All =
    [
        new(Component, 2, """
            -- One row per claim, for the merchant's, the buyer's and customer service's worklists.
            create table if not exists claim_list (
                claim_id uuid primary key,
                order_id text not null,
                line_id text not null,
                buyer_id text not null,
                merchant_id text not null,
                filed_by_role text not null,
                filed_by_id text not null,
                status text not null,
                fault text not null,
                remedy_asked text not null,
                filed_at timestamptz not null,
                respond_by timestamptz,
                time_zone text not null,
                -- The merchant's order: claims waiting for its answer first, soonest deadline first; then the rest by filing.
                merchant_rank smallint generated always as (case when status = 'AwaitingMerchant' then 0 else 1 end) stored,
                merchant_order_at timestamptz generated always as
                    (case when status = 'AwaitingMerchant' then coalesce(respond_by, filed_at) else filed_at end) stored);
            create index if not exists claim_list_merchant on claim_list (merchant_id, merchant_rank, merchant_order_at, claim_id);
            create index if not exists claim_list_buyer on claim_list (buyer_id, filed_at, claim_id);
            create index if not exists claim_list_customer_service on claim_list (filed_at, claim_id) where filed_by_role = 'CustomerService';

            -- One row per activated warranty file, for the buyer's list of its warranties.
            create table if not exists warranty_list (
                order_id text not null,
                line_id text not null,
                buyer_id text not null,
                merchant_id text not null,
                category text not null,
                sku text not null,
                title text not null,
                time_zone text not null,
                completed_at timestamptz not null,
                entry_closes_at timestamptz not null,
                covered_until timestamptz,
                refunded_at timestamptz,
                primary key (order_id, line_id));
            create index if not exists warranty_list_buyer on warranty_list (buyer_id, completed_at, order_id, line_id);
            create index if not exists warranty_list_by_completion on warranty_list (completed_at, order_id, line_id);
            """),
    ];
}
