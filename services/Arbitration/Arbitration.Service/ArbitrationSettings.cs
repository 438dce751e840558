using Arbitration.Domain;
using Microsoft.Extensions.Configuration;
using Platform.ServiceDefaults.Http;

namespace Arbitration.Service;

/// <summary>The "Arbitration" configuration section: the domain's policy and the arbitrators on duty.</summary>
/// <param name="Arbitrators">Ids of the arbitrators cases are shared out to; empty leaves cases unassigned, for any arbitrator to rule.</param>
/// <param name="BusinessTimeZoneId">The IANA zone on whose clock the worklists show deadlines, beside UTC.</param>
public sealed record ArbitrationSettings(ArbitrationPolicy Policy, IReadOnlyList<string> Arbitrators, string BusinessTimeZoneId)
{
    public const string Section = "Arbitration";
    public const string DefaultTimeZone = "Asia/Shanghai";

    /// <summary>Reads the section; refuses, naming the setting, a value the service could not run with.</summary>
    public static ArbitrationSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var policy = section.Get<ArbitrationPolicy>() ?? ArbitrationPolicy.Default;
        RequirePositive(policy.RespondentDeadline, nameof(ArbitrationPolicy.RespondentDeadline));
        RequirePositive(policy.StaleAfter, nameof(ArbitrationPolicy.StaleAfter));

        var arbitrators = section.GetSection(nameof(Arbitrators)).Get<string[]>() ?? [];
        for (var i = 0; i < arbitrators.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(arbitrators[i]))
            {
                throw new InvalidOperationException($"{Section}:{nameof(Arbitrators)}:{i} ({Section}__{nameof(Arbitrators)}__{i}) is empty; name an arbitrator or remove the entry.");
            }
        }
        var duplicate = arbitrators.GroupBy(id => id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"{Section}:{nameof(Arbitrators)} names '{duplicate.Key}' more than once.");
        }
        var zone = ZonedInstant.RequireZone(section[nameof(BusinessTimeZoneId)] ?? DefaultTimeZone,
            $"{Section}:{nameof(BusinessTimeZoneId)} ({Section}__{nameof(BusinessTimeZoneId)})");
        return new ArbitrationSettings(policy, arbitrators, zone);
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Section}:{name} ({Section}__{name}) must be a positive duration such as 3.00:00:00, not '{value}'.");
        }
    }
}
