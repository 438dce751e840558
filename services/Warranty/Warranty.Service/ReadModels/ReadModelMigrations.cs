using Platform.EventSourcing;

namespace Warranty.Service.ReadModels;

public static class ReadModelMigrations
{
    public const string Component = "warranty-read-models";

    public static readonly IReadOnlyList<Migration> All =
    [
        new(Component, 1, """
            create table if not exists claim_index (
                claim_id uuid primary key,
                order_id text not null,
                line_id text not null,
                filed_at timestamptz not null);
            """),
    ];
}
