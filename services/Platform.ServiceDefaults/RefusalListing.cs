using Microsoft.Extensions.Configuration;
using Platform.ServiceDefaults.Http;

namespace Platform.ServiceDefaults;

/// <summary>
/// How many refused messages <c>GET /operations/refusals</c> answers: 100 without a <c>limit</c> (or the maximum if
/// lower), and at most <c>PLATFORM_REFUSALS_MAX_LIMIT</c>; each is sent with the message as it came, so the maximum
/// bounds what one request makes the database read and the service send. A <c>limit</c> outside it is answered 400,
/// as a worklist's is.
/// </summary>
public sealed record RefusalListing(WorklistPaging Paging)
{
    public const string MaxLimitKey = "PLATFORM_REFUSALS_MAX_LIMIT";

    public static readonly RefusalListing Default = new(new WorklistPaging(100, 1000));

    public static RefusalListing From(IConfiguration configuration)
    {
        var max = Settings.Positive(configuration, MaxLimitKey, Default.Paging.MaxPageSize);
        return new(new WorklistPaging(Math.Min(Default.Paging.PageSize, max), max));
    }
}
