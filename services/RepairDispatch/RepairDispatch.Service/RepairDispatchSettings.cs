using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using RepairDispatch.Domain;

namespace RepairDispatch.Service;

/// <summary>
/// The "RepairDispatch" configuration section: every policy number of repair dispatch and the
/// providers to seed. Each is an environment variable (RepairDispatch__CallbackSla=1.00:00:00,
/// RepairDispatch__Providers__0__Id=…); defaults are <see cref="RepairDispatchPolicy.Default"/>.
/// </summary>
public sealed class RepairDispatchSettings
{
    public const string Section = "RepairDispatch";

    public TimeSpan CallbackSla { get; set; } = RepairDispatchPolicy.Default.CallbackSla;
    public int MaxAttempts { get; set; } = RepairDispatchPolicy.Default.MaxAttempts;
    public TimeSpan DeviceFeedbackDeadline { get; set; } = RepairDispatchPolicy.Default.DeviceFeedbackDeadline;
    public int SuspensionBreachThreshold { get; set; } = RepairDispatchPolicy.Default.SuspensionBreachThreshold;
    public TimeSpan SuspensionWindow { get; set; } = RepairDispatchPolicy.Default.SuspensionWindow;
    /// <summary>The IANA zone on whose clock the jobs show their deadlines, beside UTC.</summary>
    public string BusinessTimeZoneId { get; set; } = "Asia/Shanghai";

    public QualityScoreSettings QualityScore { get; set; } = new();

    /// <summary>
    /// How long a callback or completion time is kept for the scorecard's medians, which therefore
    /// describe the last this-long of a provider's work (RepairDispatch__ProviderTimingsRetention=180.00:00:00).
    /// </summary>
    public TimeSpan ProviderTimingsRetention { get; set; } = TimeSpan.FromDays(180);
    public List<ProviderSeed> Providers { get; set; } = [];

    /// <summary>Attachment links one progress report may carry (RepairDispatch__MaxAttachmentLinks=10).</summary>
    public int MaxAttachmentLinks { get; set; } = 10;

    /// <summary>The vendor of the virtual numbers that let a provider call the buyer (RepairDispatch__VirtualNumbers__…).</summary>
    public VirtualNumberSettings VirtualNumbers { get; set; } = new();

    public sealed class VirtualNumberSettings
    {
        public const string Simulated = "Simulated";
        public const string Http = "Http";

        /// <summary><see cref="Simulated"/> (in the service's process, reaching no telephone: the demo's and tests') or <see cref="Http"/> (a vendor at <see cref="Url"/>).</summary>
        public string Provider { get; set; } = Simulated;

        /// <summary>The vendor's API root, for <see cref="Http"/>.</summary>
        public string? Url { get; set; }

        /// <summary>The bearer key the vendor issued, for <see cref="Http"/>; from the deployment's secret store, never from the repository.</summary>
        public string? ApiKey { get; set; }

        /// <summary>How long a call to the vendor may take; a provider asking for a contact waits at most this long.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>How often numbers whose attempt ended are released at the vendor.</summary>
        public TimeSpan ReleaseInterval { get; set; } = TimeSpan.FromSeconds(5);
    }

    /// <summary>Deliveries of job events to providers' HTTPS endpoints (RepairDispatch__Webhooks__AttemptTimeout=00:00:10, …).</summary>
    public Features.Webhooks.WebhookSettings Webhooks { get; set; } = new();

    /// <summary>Where and as whom each provider's own broker user is managed.</summary>
    public BrokerUserSettings BrokerUsers { get; set; } = new();

    /// <summary>RabbitMQ's management HTTP API (RepairDispatch__BrokerUsers__ManagementUrl=http://rabbitmq:15672/, …).</summary>
    public sealed class BrokerUserSettings
    {
        /// <summary>Default: port 15672 of PLATFORM_RABBITMQ_HOST.</summary>
        public Uri? ManagementUrl { get; set; }

        /// <summary>A user tagged administrator; default: PLATFORM_RABBITMQ_USER.</summary>
        public string? ManagementUser { get; set; }

        /// <summary>Default: PLATFORM_RABBITMQ_PASSWORD.</summary>
        public string? ManagementPassword { get; set; }

        /// <summary>A provider's broker user is this followed by its id; a report's sender is read back the same way.</summary>
        public string UserPrefix { get; set; } = "repair-provider-";

        /// <summary>How long one call to the management API may take; a provider's registration or password request waits at most this long for it.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    }

    public sealed class QualityScoreSettings
    {
        public double OnTimeCallback { get; set; } = QualityScoreWeights.Default.OnTimeCallback;
        public double Completion { get; set; } = QualityScoreWeights.Default.Completion;
        public double Breach { get; set; } = QualityScoreWeights.Default.Breach;
        public double Decline { get; set; } = QualityScoreWeights.Default.Decline;
        public double PriorWeight { get; set; } = QualityScoreWeights.Default.PriorWeight;
    }

    /// <summary>A provider registered at start unless it is already registered.</summary>
    public sealed class ProviderSeed
    {
        public string? Id { get; set; }
        public List<string> Regions { get; set; } = [];
        public List<string> Categories { get; set; } = [];
        public int Capacity { get; set; }

        /// <summary>
        /// The provider's broker password as RabbitMQ hashes it (salted SHA-256, base64: <c>rabbitmqctl hash_password</c>),
        /// so the clear password is never in the platform's configuration; without it the user has no password until an
        /// operator issues one.
        /// </summary>
        public string? BrokerPasswordHash { get; set; }
    }

    public RepairDispatchPolicy Policy => new(
        CallbackSla,
        MaxAttempts,
        DeviceFeedbackDeadline,
        SuspensionBreachThreshold,
        SuspensionWindow,
        new QualityScoreWeights(QualityScore.OnTimeCallback, QualityScore.Completion, QualityScore.Breach, QualityScore.Decline, QualityScore.PriorWeight));

    /// <summary>Binds and checks the section; a service with an invalid policy must not start, so this throws naming the setting.</summary>
    public static RepairDispatchSettings From(IConfiguration configuration)
    {
        RepairDispatchSettings settings;
        try
        {
            // Unknown keys fail too: a misspelt policy variable would otherwise leave the default in force unnoticed.
            settings = configuration.GetSection(Section).Get<RepairDispatchSettings>(o => o.ErrorOnUnknownConfiguration = true) ?? new();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"The {Section} configuration is invalid: {e.Message}", e);
        }

        var errors = new List<string>();
        void Require(bool ok, string key, object value, string rule)
        {
            if (!ok)
            {
                errors.Add($"{Section}:{key} must be {rule}, not '{value}'.");
            }
        }
        Require(settings.CallbackSla > TimeSpan.Zero, nameof(CallbackSla), settings.CallbackSla, "a positive duration (d.hh:mm:ss)");
        Require(settings.MaxAttempts >= 1, nameof(MaxAttempts), settings.MaxAttempts, "at least 1");
        Require(settings.DeviceFeedbackDeadline > TimeSpan.Zero, nameof(DeviceFeedbackDeadline), settings.DeviceFeedbackDeadline, "a positive duration (d.hh:mm:ss)");
        Require(settings.SuspensionBreachThreshold >= 1, nameof(SuspensionBreachThreshold), settings.SuspensionBreachThreshold, "at least 1");
        // A provider's state keeps only its recent breaches, which must cover the window.
        Require(settings.SuspensionWindow > TimeSpan.Zero && settings.SuspensionWindow <= Provider.Registered.BreachesKeptFor, nameof(SuspensionWindow),
            settings.SuspensionWindow, $"a positive duration (d.hh:mm:ss) of at most {Provider.Registered.BreachesKeptFor.TotalDays:0} days");
        Require(NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(settings.BusinessTimeZoneId) is not null, nameof(BusinessTimeZoneId),
            settings.BusinessTimeZoneId, "an IANA time zone such as Asia/Shanghai");
        var weights = settings.QualityScore;
        foreach (var (key, value) in new[]
                 {
                     (nameof(weights.OnTimeCallback), weights.OnTimeCallback), (nameof(weights.Completion), weights.Completion),
                     (nameof(weights.Breach), weights.Breach), (nameof(weights.Decline), weights.Decline),
                 })
        {
            Require(value >= 0 && double.IsFinite(value), $"QualityScore:{key}", value, "a finite number of at least 0");
        }
        // The prior keeps the score's denominator above zero for a provider with no record.
        Require(weights.PriorWeight > 0 && double.IsFinite(weights.PriorWeight), "QualityScore:PriorWeight", weights.PriorWeight, "a finite number above 0");

        Require(settings.MaxAttachmentLinks >= 0, nameof(MaxAttachmentLinks), settings.MaxAttachmentLinks, "at least 0");
        var numbers = settings.VirtualNumbers;
        Require(numbers.Provider is VirtualNumberSettings.Simulated or VirtualNumberSettings.Http, "VirtualNumbers:Provider", numbers.Provider,
            $"{VirtualNumberSettings.Simulated} or {VirtualNumberSettings.Http}");
        Require(numbers.Provider != VirtualNumberSettings.Http || (Uri.TryCreate(numbers.Url, UriKind.Absolute, out var url) && url.Scheme is "https" or "http"),
            "VirtualNumbers:Url", numbers.Url ?? "", "the vendor's absolute http(s) address when VirtualNumbers:Provider is Http");
        Require(numbers.Timeout > TimeSpan.Zero, "VirtualNumbers:Timeout", numbers.Timeout, "a positive duration (d.hh:mm:ss)");
        Require(numbers.ReleaseInterval > TimeSpan.Zero, "VirtualNumbers:ReleaseInterval", numbers.ReleaseInterval, "a positive duration (d.hh:mm:ss)");
        foreach (var (ok, key, value, rule) in settings.Webhooks.Check())
        {
            Require(ok, key, value, rule);
        }
        Require(settings.BrokerUsers.Timeout > TimeSpan.Zero, "BrokerUsers:Timeout", settings.BrokerUsers.Timeout, "a positive duration (hh:mm:ss)");
        Require(!string.IsNullOrWhiteSpace(settings.BrokerUsers.UserPrefix), "BrokerUsers:UserPrefix", settings.BrokerUsers.UserPrefix, "a non-empty prefix");
        Require(settings.BrokerUsers.ManagementUrl is null || settings.BrokerUsers.ManagementUrl.IsAbsoluteUri, "BrokerUsers:ManagementUrl",
            settings.BrokerUsers.ManagementUrl?.OriginalString ?? "", "an absolute URL such as http://rabbitmq:15672/");

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < settings.Providers.Count; i++)
        {
            var seed = settings.Providers[i];
            var prefix = $"Providers:{i}";
            Require(seed.Id is not null && ProviderIds.IsValid(seed.Id), $"{prefix}:Id", seed.Id ?? "", ProviderIds.Rule);
            Require(seed.Id is null || seen.Add(seed.Id), $"{prefix}:Id", seed.Id ?? "", "unique among the seeded providers");
            Require(seed.Regions.Count > 0 && seed.Regions.All(r => !string.IsNullOrWhiteSpace(r)), $"{prefix}:Regions", string.Join(",", seed.Regions), "one or more province codes");
            Require(seed.Categories.Count > 0 && seed.Categories.All(c => !string.IsNullOrWhiteSpace(c)), $"{prefix}:Categories", string.Join(",", seed.Categories), "one or more category codes");
            Require(seed.Capacity >= 1, $"{prefix}:Capacity", seed.Capacity, "at least 1");
        }

        return errors.Count == 0 ? settings : throw new InvalidOperationException(string.Join(" ", errors));
    }
}

public static partial class ProviderIds
{
    public const string Rule = "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";

    /// <summary>
    /// A provider id names its queue (repair-provider-{id}) and its stream, so it is kept to characters
    /// that are safe in both and in a URL path.
    /// </summary>
    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex Pattern();
}
