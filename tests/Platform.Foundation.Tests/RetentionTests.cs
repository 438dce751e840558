using Microsoft.Extensions.Logging.Abstractions;
using Platform.EventSourcing;
using Platform.ServiceDefaults.Http;
using Platform.Testing;

namespace Platform.Foundation.Tests;

public sealed class RetentionTests
{
    [Fact]
    public async Task Pruning_removes_the_rows_older_than_each_window_and_only_those()
    {
        await using var database = await TestDatabase.Create();
        await Migrator.Apply(database.DataSource, IdempotencyMiddleware.Migrations, CancellationToken.None);
        var options = new RetentionOptions { InboxWindow = TimeSpan.FromDays(14), RefusalWindow = TimeSpan.FromDays(30), ChunkSize = 2 };
        options.Tables.Add(IdempotencyMiddleware.Retained(TimeSpan.FromDays(7)));
        // Five rows each side of every window, around it by an hour; a chunk of 2 makes the prune loop.
        await using (var seed = database.DataSource.CreateCommand("""
            insert into inbox (message_id, consumer, processed_at)
                select gen_random_uuid(), 'c', now() - interval '14 days' + o * interval '1 hour' from generate_series(1, 5), unnest(array[-1, 1]) o;
            insert into refusals (message_id, consumer, message_type, code, reason, refused_at)
                select gen_random_uuid(), 'c', 't', 'X', 'r', now() - interval '30 days' + o * interval '1 hour' from generate_series(1, 5), unnest(array[-1, 1]) o;
            insert into idempotency_records (caller, key, request_hash, status, body, recorded_at)
                select 'c', gen_random_uuid()::text, '\x00', 200, '\x00', now() - interval '7 days' + o * interval '1 hour' from generate_series(1, 5), unnest(array[-1, 1]) o;
            """))
        {
            await seed.ExecuteNonQueryAsync();
        }

        var deleted = await Retention.Prune(database.DataSource, options, CancellationToken.None);

        Assert.Equal(new Dictionary<string, long> { ["inbox"] = 5, ["refusals"] = 5, ["idempotency_records"] = 5 }, deleted);
        Assert.Equal(0L, await database.Scalar<long>("select count(*) from inbox where processed_at < now() - interval '14 days'"));
        Assert.Equal(5L, await database.Scalar<long>("select count(*) from inbox"));
        Assert.Equal(0L, await database.Scalar<long>("select count(*) from refusals where refused_at < now() - interval '30 days'"));
        Assert.Equal(5L, await database.Scalar<long>("select count(*) from refusals"));
        Assert.Equal(0L, await database.Scalar<long>("select count(*) from idempotency_records where recorded_at < now() - interval '7 days'"));
        Assert.Equal(5L, await database.Scalar<long>("select count(*) from idempotency_records"));
    }

    [Fact]
    public void A_window_shorter_than_a_day_is_refused()
    {
        var options = new RetentionOptions { InboxWindow = TimeSpan.FromMinutes(10) };
        var error = Assert.Throws<InvalidOperationException>(() => new Retention(null!, options, NullLogger<Retention>.Instance));
        Assert.Contains("inbox", error.Message, StringComparison.Ordinal);
    }
}
