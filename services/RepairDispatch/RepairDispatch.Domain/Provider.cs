using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Platform.Domain;
using D = Platform.Domain.Decide<RepairDispatch.Domain.ProviderEvent>;

namespace RepairDispatch.Domain;

/// <summary>What operators (and the breach policy) can ask of a provider; one stream per provider.</summary>
public abstract record ProviderCommand
{
    private ProviderCommand() { }

    public sealed record RegisterProvider(string ProviderId, IReadOnlyCollection<string> Regions, IReadOnlyCollection<string> Categories, int Capacity, DateTimeOffset Now)
        : ProviderCommand;

    public sealed record UpdateProvider(string ProviderId, IReadOnlyCollection<string> Regions, IReadOnlyCollection<string> Categories, int Capacity, DateTimeOffset Now)
        : ProviderCommand;

    public sealed record SuspendProvider(string ProviderId, string Reason, DateTimeOffset Now) : ProviderCommand;

    public sealed record ReactivateProvider(string ProviderId, DateTimeOffset Now) : ProviderCommand;

    /// <summary>A job recorded a callback breach against this provider (from <see cref="RepairJobEvent.ProviderCallbackSlaBreached"/>).</summary>
    public sealed record RecordCallbackBreach(string ProviderId, Guid JobId, int Attempt, DateTimeOffset BreachedAt, DateTimeOffset Now) : ProviderCommand;
}

public abstract record ProviderEvent
{
    private ProviderEvent() { }

    /// <param name="Regions">Province codes, distinct and in ordinal order.</param>
    /// <param name="Categories">Distinct and in ordinal order.</param>
    public sealed record ProviderRegistered(string ProviderId, IReadOnlyList<string> Regions, IReadOnlyList<string> Categories, int Capacity, DateTimeOffset RegisteredAt)
        : ProviderEvent;

    public sealed record ProviderUpdated(string ProviderId, IReadOnlyList<string> Regions, IReadOnlyList<string> Categories, int Capacity, DateTimeOffset UpdatedAt)
        : ProviderEvent;

    public sealed record ProviderCallbackBreachRecorded(string ProviderId, Guid JobId, int Attempt, DateTimeOffset BreachedAt) : ProviderEvent;

    public sealed record ProviderSuspended(string ProviderId, SuspensionReason Reason, string Detail, DateTimeOffset SuspendedAt) : ProviderEvent;

    public sealed record ProviderReactivated(string ProviderId, DateTimeOffset ReactivatedAt) : ProviderEvent;
}

public enum SuspensionReason
{
    OperatorDecision,
    RepeatedCallbackBreaches,
}

public sealed record RecordedBreach(Guid JobId, int Attempt, DateTimeOffset BreachedAt);

// A provider's state is kept in snapshots of its stream, so each case needs a stored name.
[JsonPolymorphic]
[JsonDerivedType(typeof(NotRegistered), "not-registered")]
[JsonDerivedType(typeof(Registered), "registered")]
public abstract record Provider
{
    private Provider() { }

    public static Provider Initial { get; } = new NotRegistered();

    public sealed record NotRegistered : Provider;

    /// <param name="BreachesCountFrom">Breaches at or before this instant (the last reactivation) no longer count towards suspension.</param>
    /// <param name="BreachCount">Every callback breach recorded against the provider.</param>
    /// <param name="Breaches">
    /// The breaches of the last <see cref="BreachesKeptFor"/> before the latest one: a provider's history grows for as
    /// long as it works with the platform, but suspension looks back only over its window.
    /// </param>
    public sealed record Registered(
        string ProviderId,
        IReadOnlyList<string> Regions,
        IReadOnlyList<string> Categories,
        int Capacity,
        ProviderStatus Status,
        DateTimeOffset? BreachesCountFrom,
        int BreachCount,
        ImmutableList<RecordedBreach> Breaches) : Provider
    {
        /// <summary>
        /// Enough for suspension: breaches are recorded after their deadline, so a suspension window ending now lies
        /// within this span of the latest one, and the service holds the window to at most this span.
        /// </summary>
        public static readonly TimeSpan BreachesKeptFor = TimeSpan.FromDays(365);
    }
}

public static class ProviderDecider
{
    public static Decision<ProviderEvent> Decide(ProviderCommand command, Provider state, RepairDispatchPolicy policy)
    {
        switch (command, state)
        {
            case (ProviderCommand.RegisterProvider register, Provider.NotRegistered):
                return Validate(register.ProviderId, register.Regions, register.Categories, register.Capacity)
                    ?? D.Accept(new ProviderEvent.ProviderRegistered(
                        register.ProviderId, Normalise(register.Regions), Normalise(register.Categories), register.Capacity, register.Now));

            case (ProviderCommand.RegisterProvider register, Provider.Registered provider):
                return SameTerms(provider, register.Regions, register.Categories, register.Capacity)
                    ? D.Nothing
                    : D.Refuse(RepairDispatchRefusalCode.ProviderAlreadyRegistered, $"Provider {provider.ProviderId} is already registered; update it instead.");

            case (ProviderCommand.UpdateProvider update, Provider.Registered provider):
                return Validate(update.ProviderId, update.Regions, update.Categories, update.Capacity)
                    ?? (SameTerms(provider, update.Regions, update.Categories, update.Capacity)
                        ? D.Nothing
                        : D.Accept(new ProviderEvent.ProviderUpdated(
                            provider.ProviderId, Normalise(update.Regions), Normalise(update.Categories), update.Capacity, update.Now)));

            case (ProviderCommand.SuspendProvider, Provider.Registered { Status: ProviderStatus.Suspended }):
                return D.Nothing;

            case (ProviderCommand.SuspendProvider suspend, Provider.Registered provider):
                return D.Accept(new ProviderEvent.ProviderSuspended(provider.ProviderId, SuspensionReason.OperatorDecision, suspend.Reason, suspend.Now));

            case (ProviderCommand.ReactivateProvider, Provider.Registered { Status: ProviderStatus.Active }):
                return D.Nothing;

            case (ProviderCommand.ReactivateProvider reactivate, Provider.Registered provider):
                return D.Accept(new ProviderEvent.ProviderReactivated(provider.ProviderId, reactivate.Now));

            case (ProviderCommand.RecordCallbackBreach breach, Provider.Registered provider):
                return RecordBreach(breach, provider, policy);

            case (_, Provider.NotRegistered):
                return D.Refuse(RepairDispatchRefusalCode.ProviderNotFound, "There is no provider with this id.");

            default:
                throw new ArgumentOutOfRangeException(nameof(command), $"{command.GetType().Name} on {state.GetType().Name} is not a provider case.");
        }
    }

    public static Provider Evolve(Provider state, ProviderEvent @event) =>
        (state, @event) switch
        {
            (Provider.NotRegistered, ProviderEvent.ProviderRegistered registered) =>
                new Provider.Registered(registered.ProviderId, registered.Regions, registered.Categories, registered.Capacity, ProviderStatus.Active,
                    BreachesCountFrom: null, BreachCount: 0, []),
            (Provider.Registered provider, ProviderEvent.ProviderUpdated updated) =>
                provider with { Regions = updated.Regions, Categories = updated.Categories, Capacity = updated.Capacity },
            (Provider.Registered provider, ProviderEvent.ProviderCallbackBreachRecorded breach) => provider with
            {
                BreachCount = provider.BreachCount + 1,
                Breaches = Recent(provider.Breaches.Add(new RecordedBreach(breach.JobId, breach.Attempt, breach.BreachedAt))),
            },
            (Provider.Registered provider, ProviderEvent.ProviderSuspended) => provider with { Status = ProviderStatus.Suspended },
            (Provider.Registered provider, ProviderEvent.ProviderReactivated reactivated) =>
                provider with { Status = ProviderStatus.Active, BreachesCountFrom = reactivated.ReactivatedAt },
            _ => state,
        };

    /// <summary>The breaches within <see cref="Provider.Registered.BreachesKeptFor"/> of the latest, by their time, not their arrival.</summary>
    private static ImmutableList<RecordedBreach> Recent(ImmutableList<RecordedBreach> breaches)
    {
        var keptAfter = breaches.Max(b => b.BreachedAt) - Provider.Registered.BreachesKeptFor;
        return breaches.RemoveAll(b => b.BreachedAt <= keptAfter);
    }

    /// <summary>
    /// Records the breach and suspends the provider when the breaches in the window (now − window, now]
    /// reach the threshold. Breaches up to the last reactivation are left out: reactivation is a fresh
    /// start, or the next single breach would suspend again a provider an operator just cleared.
    /// </summary>
    private static Decision<ProviderEvent> RecordBreach(ProviderCommand.RecordCallbackBreach breach, Provider.Registered provider, RepairDispatchPolicy policy)
    {
        // A breach repeated more than a year after it happened is no longer recognised; the inbox has absorbed redeliveries by then.
        if (provider.Breaches.Exists(b => b.JobId == breach.JobId && b.Attempt == breach.Attempt))
        {
            return D.Nothing;
        }

        var recorded = new ProviderEvent.ProviderCallbackBreachRecorded(provider.ProviderId, breach.JobId, breach.Attempt, breach.BreachedAt);
        var windowStart = breach.Now - policy.SuspensionWindow;
        var inWindow = provider.Breaches
            .Select(b => b.BreachedAt)
            .Append(breach.BreachedAt)
            .Count(at => at > windowStart && at <= breach.Now && (provider.BreachesCountFrom is not { } from || at > from));

        return provider.Status == ProviderStatus.Active && inWindow >= policy.SuspensionBreachThreshold
            ? D.Accept(recorded, new ProviderEvent.ProviderSuspended(provider.ProviderId, SuspensionReason.RepeatedCallbackBreaches,
                $"{inWindow} callback SLA breaches within {policy.SuspensionWindow.TotalDays:0.##} days (threshold {policy.SuspensionBreachThreshold}).", breach.Now))
            : D.Accept(recorded);
    }

    private static Decision<ProviderEvent>? Validate(string providerId, IReadOnlyCollection<string> regions, IReadOnlyCollection<string> categories, int capacity)
    {
        if (string.IsNullOrWhiteSpace(providerId))
        {
            return D.Refuse(RepairDispatchRefusalCode.MissingProviderId, "A provider needs an id.");
        }
        if (capacity < 1)
        {
            return D.Refuse(RepairDispatchRefusalCode.CapacityBelowOne, $"Capacity is the number of open jobs a provider takes at once; it must be at least 1, not {capacity}.");
        }
        if (regions.Count == 0 || regions.Any(string.IsNullOrWhiteSpace))
        {
            return D.Refuse(RepairDispatchRefusalCode.NoRegions, "A provider must serve at least one region, each named by a non-blank province code.");
        }
        if (categories.Count == 0 || categories.Any(string.IsNullOrWhiteSpace))
        {
            return D.Refuse(RepairDispatchRefusalCode.NoCategories, "A provider must serve at least one category, each named by a non-blank code.");
        }
        return null;
    }

    private static bool SameTerms(Provider.Registered provider, IReadOnlyCollection<string> regions, IReadOnlyCollection<string> categories, int capacity) =>
        provider.Capacity == capacity
        && provider.Regions.SequenceEqual(Normalise(regions), StringComparer.Ordinal)
        && provider.Categories.SequenceEqual(Normalise(categories), StringComparer.Ordinal);

    private static string[] Normalise(IReadOnlyCollection<string> codes) =>
        [.. codes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
