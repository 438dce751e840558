using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Platform.EventSourcing;
using Xunit;

namespace Platform.Testing;

/// <summary>
/// Holds every stored event type to the JSON shape it is stored in: a golden file per stored name,
/// planted into Marten's table as if an earlier release had written it, must read back through the
/// store and be written again as the same JSON. A renamed or retyped field fails here before it
/// orphans a stored event; change the shape on purpose with an upcast (MessageTypeRegistry.Upcast).
/// </summary>
public static class StoredEventShapes
{
    /// <summary>Set to 1 to write the golden file of a stored name that has none yet, from a sample instance.</summary>
    public const string WriteMissingVariable = "PLATFORM_WRITE_GOLDEN_EVENTS";

    private static readonly DateTimeOffset SampleInstant = new(2025, 3, 8, 9, 30, 0, TimeSpan.FromHours(8));
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <param name="eventTypes">The service's stored names, as its EventTypes registers them.</param>
    /// <param name="goldenFolder">A folder beside the calling test's source.</param>
    public static async Task Verify(Action<MessageTypeRegistry> eventTypes, string goldenFolder, [CallerFilePath] string caller = "")
    {
        var folder = Path.Combine(Path.GetDirectoryName(caller)!, goldenFolder);
        var types = new MessageTypeRegistry();
        eventTypes(types);
        await using var database = await TestDatabase.Create();
        using var store = new EventStore(database.DataSource, types, TimeProvider.System);
        var metadata = new MessageMetadata(null, null, null, null, null);
        var problems = new List<string>();

        foreach (var (name, type) in types.All.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var file = Path.Combine(folder, name + ".json");
            if (!File.Exists(file))
            {
                if (Environment.GetEnvironmentVariable(WriteMissingVariable) != "1")
                {
                    problems.Add($"{name}: no golden file {file} (run the test once with {WriteMissingVariable}=1 to write it from a sample)");
                    continue;
                }
                // The shape the platform has always stored: its one JSON shape (Json.Options), which
                // Marten's serializer is configured to keep.
                Directory.CreateDirectory(folder);
                var sample = JsonSerializer.SerializeToElement(Sample(type, name), type, Json.Options);
                await File.WriteAllTextAsync(file, JsonSerializer.Serialize(sample, Indented) + "\n");
            }
            var golden = await File.ReadAllTextAsync(file);

            // Stored by "an earlier release": the sample's row, its data replaced by the golden JSON.
            var stream = $"golden/{name}";
            await AppendAndReadData(store, database, stream, Sample(type, name));
            await database.Scalar<int>("update mt_events set data = $2::jsonb where stream_id = $1 returning 1", stream, golden);
            object read;
            try
            {
                read = Assert.Single(await store.ReadStream(stream, CancellationToken.None)).Data;
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
            {
                problems.Add($"{name}: the golden JSON no longer reads as {type.Name}: {e.Message}");
                continue;
            }
            Assert.IsType(type, read);
            var rewritten = await AppendAndReadData(store, database, $"again/{name}", read);
            if (!await database.Scalar<bool>("select $1::jsonb = $2::jsonb", golden, rewritten))
            {
                problems.Add($"{name}: stored as\n{golden}\nbut read and written again as\n{rewritten}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n\n", problems));

        async Task<string> AppendAndReadData(EventStore events, TestDatabase db, string streamId, object @event)
        {
            await using (var session = await events.OpenSession(null, metadata, CancellationToken.None))
            {
                session.Append(streamId, "golden", 0, [@event]);
                await session.Commit(CancellationToken.None);
            }
            return await db.Scalar<string>("select data::text from mt_events where stream_id = $1", streamId);
        }
    }

    /// <summary>An instance with every member set, so that every field shows in its golden file.</summary>
    public static object Sample(Type type, string seed) => Build(type, seed, depth: 0);

    private static object Build(Type type, string seed, int depth)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            return Build(underlying, seed, depth);
        }
        if (type == typeof(string))
        {
            return $"{seed}-text";
        }
        if (type == typeof(Guid))
        {
            return new Guid(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed))[..16]);
        }
        if (type == typeof(int) || type == typeof(long) || type == typeof(short))
        {
            return Convert.ChangeType(3, type, System.Globalization.CultureInfo.InvariantCulture);
        }
        if (type == typeof(decimal))
        {
            return 1999.5m;
        }
        if (type == typeof(double))
        {
            return 0.75;
        }
        if (type == typeof(bool))
        {
            return true;
        }
        if (type == typeof(DateTimeOffset))
        {
            return SampleInstant;
        }
        if (type == typeof(DateOnly))
        {
            return DateOnly.FromDateTime(SampleInstant.Date);
        }
        if (type == typeof(TimeSpan))
        {
            return TimeSpan.FromHours(24);
        }
        if (type.IsEnum)
        {
            var values = Enum.GetValues(type);
            return values.GetValue(values.Length - 1)!;
        }
        if (type.IsArray)
        {
            var array = Array.CreateInstance(type.GetElementType()!, 1);
            array.SetValue(Build(type.GetElementType()!, seed + "-0", depth + 1), 0);
            return array;
        }
        if (type.IsGenericType && type.GetGenericArguments().Length == 1 && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var element = type.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            list.Add(Build(element, seed + "-0", depth + 1));
            if (type.IsAssignableFrom(list.GetType()))
            {
                return list;
            }
            return Activator.CreateInstance(type, list)!;
        }
        if (type.IsAbstract)
        {
            var derived = type.GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => a.DerivedType).FirstOrDefault()
                ?? type.Assembly.GetTypes().FirstOrDefault(t => !t.IsAbstract && type.IsAssignableFrom(t))
                ?? throw new InvalidOperationException($"No concrete type of {type} to sample.");
            return Build(derived, seed, depth);
        }
        if (depth > 6)
        {
            throw new InvalidOperationException($"{type} nests too deeply to sample.");
        }
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select(p => Build(p.ParameterType, $"{seed}-{p.Name}", depth + 1)).ToArray();
        return constructor.Invoke(arguments);
    }
}
