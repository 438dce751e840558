using Npgsql;

namespace Platform.EventSourcing;

/// <summary>
/// A fault of the database's reach (a restart, a failover, a pool exhausted), not of the message or
/// the request: the bus retries it with back-off and HTTP answers 503. Marten wraps the driver's
/// exceptions, so the whole chain is looked at.
/// </summary>
public static class DatabaseFaults
{
    public static bool IsTransient(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException { IsTransient: true } or TimeoutException)
            {
                return true;
            }
        }
        return false;
    }
}
