using System.Text.Json.Serialization;

namespace Arbitration.Domain;

[JsonPolymorphic]
[JsonDerivedType(typeof(Refund), nameof(Refund))]
[JsonDerivedType(typeof(Replacement), nameof(Replacement))]
[JsonDerivedType(typeof(RepairAtPlatformCost), nameof(RepairAtPlatformCost))]
[JsonDerivedType(typeof(ReopenEntry), nameof(ReopenEntry))]
[JsonDerivedType(typeof(Compensation), nameof(Compensation))]
public abstract record Remedy
{
    /// <summary>Return and refund.</summary>
    public sealed record Refund : Remedy;

    public sealed record Replacement : Remedy;

    public sealed record RepairAtPlatformCost : Remedy;

    /// <summary>Reopen the after-sales entry.</summary>
    public sealed record ReopenEntry : Remedy;

    /// <param name="Amount">Yuan, above zero.</param>
    public sealed record Compensation(decimal Amount) : Remedy;
}

[JsonPolymorphic]
[JsonDerivedType(typeof(ForBuyer), nameof(ForBuyer))]
[JsonDerivedType(typeof(ForRespondent), nameof(ForRespondent))]
public abstract record Verdict
{
    public sealed record ForBuyer(Remedy Remedy) : Verdict;

    public sealed record ForRespondent : Verdict;
}

/// <param name="ArbitratorId">Null for the default ruling against a respondent who stayed silent.</param>
public sealed record Ruling(Verdict Verdict, string Rationale, string? ArbitratorId, DateTimeOffset RuledAt);
