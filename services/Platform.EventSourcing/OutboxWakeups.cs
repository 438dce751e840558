using System.Collections.Concurrent;
using System.Collections.Immutable;
using Npgsql;

namespace Platform.EventSourcing;

/// <summary>
/// Wakes the relays of this process that read a database's outbox when a unit of work has committed rows
/// to it: the relay runs in the process that writes its rows, so no notification through PostgreSQL is needed.
/// </summary>
/// <remarks>
/// A commit that NOTIFYs takes a lock shared by the whole PostgreSQL server from before its commit record is
/// written until the commit has ended, so every notifying commit of every database waited on the others:
/// the unit of work measured 15-20 % slower with it (docs/benchmarks.md). Relays of other processes find
/// these rows at their idle poll; an operator's retry, run from another process, still notifies.
/// </remarks>
internal static class OutboxWakeups
{
    private static readonly ConcurrentDictionary<string, ImmutableList<Action>> Relays = new(StringComparer.Ordinal);

    /// <summary>The outbox a data source writes to: its server and database, whatever the pool's other settings.</summary>
    public static string Key(NpgsqlDataSource dataSource)
    {
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        return $"{settings.Host}:{settings.Port}/{settings.Database ?? settings.Username}";
    }

    public static IDisposable Register(string key, Action wake)
    {
        Relays.AddOrUpdate(key, _ => [wake], (_, wakes) => wakes.Add(wake));
        return new Registration(key, wake);
    }

    public static void Wake(string key)
    {
        if (Relays.TryGetValue(key, out var wakes))
        {
            foreach (var wake in wakes)
            {
                wake();
            }
        }
    }

    private sealed class Registration(string key, Action wake) : IDisposable
    {
        public void Dispose() => Relays.AddOrUpdate(key, _ => [], (_, wakes) => wakes.Remove(wake));
    }
}
