using Npgsql;
using Platform.Contracts.Arbitration.V1;
using Platform.EventSourcing;

namespace Arbitration.Service.Cases;

/// <summary>
/// The Warranty service's rejections and reopen denials as it published them: an appeal names one,
/// and the case it opens is filled in from it, so the buyer cannot appeal what was never decided,
/// nor someone else's decision, nor put words in the Warranty service's mouth. The appeal decides on
/// it, so it lives with the case, not with the query tables.
/// </summary>
public static class AppealableDecisions
{
    /// <summary>
    /// Its own component since it left the read models' first migration; a database that had it from there
    /// finds the table and creates nothing.
    /// </summary>
    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new("arbitration-appealable-decisions", 1, """
            create table if not exists appealable_decisions (
                subject text not null,
                decision_id uuid not null,
                order_id text not null,
                line_id text not null,
                buyer_id text not null,
                merchant_id text not null,
                shipping_region text not null,
                sku text not null,
                title text not null,
                category text not null,
                brand text not null,
                fault_description text not null,
                remedy_asked text,
                reason text not null,
                appeal_may_help boolean not null,
                decided_at timestamptz not null,
                primary key (subject, decision_id));
            """),
    ];

    /// <param name="RemedyAsked">The remedy the rejected claim asked for; null for a reopen request.</param>
    public sealed record Decision(
        AppealSubject Subject,
        Guid DecisionId,
        string OrderId,
        string LineId,
        string BuyerId,
        string MerchantId,
        string ShippingRegion,
        string Sku,
        string Title,
        string Category,
        string Brand,
        string FaultDescription,
        string? RemedyAsked,
        string Reason,
        bool AppealMayHelp,
        DateTimeOffset DecidedAt);

    private const string Columns = """
        subject, decision_id, order_id, line_id, buyer_id, merchant_id, shipping_region, sku, title, category, brand,
        fault_description, remedy_asked, reason, appeal_may_help, decided_at
        """;

    /// <summary>
    /// Keeps the first version of a decision: a decision is final, a second one for the same id is a duplicate.
    /// Nothing in the unit of work reads it back, so it rides in the commit's batch instead of a round trip of its own.
    /// </summary>
    public static void Keep(Session session, Decision decision) =>
        session.Queue(
            $"insert into appealable_decisions ({Columns}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing",
            decision.Subject.ToString(), decision.DecisionId, decision.OrderId, decision.LineId, decision.BuyerId, decision.MerchantId,
            decision.ShippingRegion, decision.Sku, decision.Title, decision.Category, decision.Brand, decision.FaultDescription,
            decision.RemedyAsked, decision.Reason, decision.AppealMayHelp, decision.DecidedAt);

    public static async Task<Decision?> Find(Session session, AppealSubject subject, Guid decisionId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select {Columns} from appealable_decisions where subject = $1 and decision_id = $2", session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = subject.ToString() });
        command.Parameters.Add(new() { Value = decisionId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        return new Decision(
            Enum.Parse<AppealSubject>(reader.GetString(0)),
            reader.GetGuid(1),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetString(4),
            reader.GetString(5),
            reader.GetString(6),
            reader.GetString(7),
            reader.GetString(8),
            reader.GetString(9),
            reader.GetString(10),
            reader.GetString(11),
            reader.IsDBNull(12) ? null : reader.GetString(12),
            reader.GetString(13),
            reader.GetBoolean(14),
            reader.GetFieldValue<DateTimeOffset>(15));
    }
}
