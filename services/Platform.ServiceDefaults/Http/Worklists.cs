using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using NodaTime;
using Npgsql;

namespace Platform.ServiceDefaults.Http;

/// <summary>One page of a worklist; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// How many items a worklist answers at once: <c>PLATFORM_WORKLIST_PAGE_SIZE</c> when the caller names no
/// <c>limit</c>, and at most <c>PLATFORM_WORKLIST_MAX_PAGE_SIZE</c>, which bounds what one request can make the
/// database read.
/// </summary>
public sealed record WorklistPaging(int PageSize, int MaxPageSize)
{
    public const string PageSizeKey = "PLATFORM_WORKLIST_PAGE_SIZE";
    public const string MaxPageSizeKey = "PLATFORM_WORKLIST_MAX_PAGE_SIZE";

    public static readonly WorklistPaging Default = new(50, 500);

    /// <summary>Reads the two settings; a service must not start on values it cannot honour, so this throws naming them.</summary>
    public static WorklistPaging From(IConfiguration configuration)
    {
        var paging = new WorklistPaging(
            Settings.Positive(configuration, PageSizeKey, Default.PageSize),
            Settings.Positive(configuration, MaxPageSizeKey, Default.MaxPageSize));
        return paging.PageSize <= paging.MaxPageSize
            ? paging
            : throw new InvalidOperationException($"{PageSizeKey} ({paging.PageSize}) must not exceed {MaxPageSizeKey} ({paging.MaxPageSize}).");
    }

    /// <summary>The page size to use, or the 400 to answer for a limit out of range.</summary>
    public IResult? Size(int? limit, out int size)
    {
        size = limit ?? PageSize;
        return size >= 1 && size <= MaxPageSize ? null : Problems.Invalid("limit", $"limit must be from 1 to {MaxPageSize}.");
    }
}

/// <summary>
/// Keyset paging: a cursor is the sort key of the last item a page gave, and the next page starts strictly after it.
/// An item inserted meanwhile therefore never shifts the others (as an offset would, repeating or skipping one); it
/// shows up once if it sorts after the cursor and not at all in this pass if before. The cursor also carries the list
/// and filters it was made for, so that a cursor sent with other filters is refused rather than silently misread.
/// It is opaque to callers (base64url JSON) but not secret: it holds nothing the caller did not see, and every query
/// still applies the caller's own scope.
/// </summary>
public static class PageCursor
{
    public const string Field = "cursor";

    /// <summary>The list and filters a cursor belongs to, unambiguous whatever the filters' text.</summary>
    public static string Scope(params string?[] parts) => JsonSerializer.Serialize(parts);

    public static string Encode(string scope, IReadOnlyList<string> keys) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes<string[]>([scope, .. keys]));

    /// <summary>The keys of a cursor made for <paramref name="scope"/>; null when it is not one.</summary>
    public static string[]? Decode(string cursor, string scope, int keyCount)
    {
        try
        {
            var parts = JsonSerializer.Deserialize<string[]>(Base64Url.DecodeFromChars(cursor));
            return parts is not null && parts.Length == keyCount + 1 && parts[0] == scope && parts.All(p => p is not null) ? parts[1..] : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The sort key to start after: null with no cursor; false when the cursor is not one made for
    /// <paramref name="scope"/> or its keys do not parse (<paramref name="parse"/> answers null).
    /// </summary>
    public static bool TryRead(string? cursor, string scope, int keyCount, Func<string[], object[]?> parse, out object[]? after)
    {
        after = null;
        return cursor is null || (Decode(cursor, scope, keyCount) is { } keys && (after = parse(keys)) is not null);
    }

    public static IResult Invalid() =>
        Problems.Invalid(Field, "cursor is not one this list gave with these filters; start again without it, or send the filters it was given with.");

    /// <summary>
    /// The page from rows read with a limit one above <paramref name="size"/>: the extra row only says that there is
    /// another page, whose cursor is the key of the last row shown.
    /// </summary>
    public static Page<TView> Page<TRow, TView>(IReadOnlyList<TRow> rows, int size, string scope, Func<TRow, IReadOnlyList<string>> key, Func<TRow, TView> view)
    {
        var shown = rows.Take(size).ToList();
        var next = rows.Count > size ? Encode(scope, key(shown[^1])) : null;
        return new Page<TView>([.. shown.Select(view)], next);
    }

    public static string Key(DateTimeOffset instant) => instant.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static string Key(Guid id) => id.ToString("D");

    public static bool TryInstant(string key, out DateTimeOffset instant) =>
        DateTimeOffset.TryParseExact(key, "O", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant);
}

/// <summary>
/// A worklist's select with only the filters the request names, so each query is planned for its own index rather
/// than one plan full of "or $1 is null". Conditions name their values {0}, {1}, … and become $n parameters.
/// </summary>
public sealed class WorklistQuery(string select)
{
    private readonly List<string> conditions = [];
    private readonly List<object> values = [];

    public WorklistQuery Where(string condition, params object[] args)
    {
        // PostgreSQL text cannot hold NUL: such a filter matches nothing stored, and sent on it would fail as a 500.
        if (args.Any(a => a is string text && text.Contains('\0', StringComparison.Ordinal)))
        {
            throw new BadHttpRequestException("A filter or cursor holds the NUL character, which no stored text has.", StatusCodes.Status400BadRequest);
        }
        conditions.Add(string.Format(CultureInfo.InvariantCulture, condition, [.. args.Select((_, i) => (object)$"${values.Count + i + 1}")]));
        values.AddRange(args);
        return this;
    }

    public WorklistQuery WhereIf(bool when, string condition, params object[] args) => when ? Where(condition, args) : this;

    /// <summary>The command for one page: a row more than <paramref name="size"/>, to know whether another page follows.</summary>
    public NpgsqlCommand Command(NpgsqlDataSource dataSource, string orderBy, int size)
    {
        var where = conditions.Count == 0 ? "" : $" where {string.Join(" and ", conditions)}";
        var command = dataSource.CreateCommand($"{select}{where} order by {orderBy} limit {size + 1}");
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return command;
    }
}

/// <summary>
/// An instant as a worklist shows a deadline: in UTC, and on the business time zone's clock with its offset, so a
/// merchant in Shanghai and a program in UTC read the same moment without converting.
/// </summary>
public sealed record ZonedInstant(DateTimeOffset Utc, DateTimeOffset Local, string TimeZone)
{
    public static ZonedInstant Of(DateTimeOffset instant, string timeZoneId) =>
        new(instant.ToUniversalTime(), Instant.FromDateTimeOffset(instant).InZone(DateTimeZoneProviders.Tzdb[timeZoneId]).ToDateTimeOffset(), timeZoneId);

    public static ZonedInstant? Of(DateTimeOffset? instant, string timeZoneId) => instant is { } at ? Of(at, timeZoneId) : null;

    /// <summary>The zone id of a setting, refused at start when the embedded IANA database does not know it.</summary>
    public static string RequireZone(string? timeZoneId, string setting) =>
        timeZoneId is not null && DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZoneId) is not null
            ? timeZoneId
            : throw new InvalidOperationException($"{setting} must be an IANA time zone such as Asia/Shanghai, not '{timeZoneId}'.");
}
