using System.Text.Json;
using Npgsql;
using Platform.ServiceDefaults;
using Platform.Simulator;

namespace Platform.Chaos;

/// <summary>
/// What must hold after a run, however its services, broker and database failed under it: read from the four
/// services' databases (Marten's mt_events and mt_streams, inbox), the broker's dead-letter queues, and the simulator's manifest
/// (its bad and repeated messages, and the figures it read back from the services' APIs). Run it once the
/// services have stopped, so nothing changes while it reads.
/// </summary>
/// <param name="businessNow">The services' clock when they stopped: a callback deadline before it has passed.</param>
/// <param name="settled">How long before <paramref name="businessNow"/> a due deadline must have been handled by.</param>
public sealed class InvariantChecker(ServiceDatabases databases, PlatformSettings broker, ChaosManifest manifest, DateTimeOffset businessNow, TimeSpan settled)
{
    private const string OrderCompleted = "order.order-completed";

    public async Task<IReadOnlyList<InvariantResult>> CheckAll(CancellationToken ct)
    {
        var deadLettered = await DeadLettered(ct);
        return
        [
            await CompletedOrdersHaveOneWarrantyPerLine(ct),
            await StreamsHaveNoGapOrDuplicate(ct),
            await ApprovedRepairClaimsHaveOneJobOrResolution(ct),
            await CallbackDeadlinesTookEffectOnce(ct),
            OnlyBadMessagesAreDeadLettered(deadLettered),
            EveryBadMessageIsDeadLettered(deadLettered),
            await NoConsumedMessageTookEffectTwice(ct),
            await RepeatedMessagesWereConsumedOnce(ct),
            await EachEffectIsRecordedOnce(ct),
            SimulatorFiguresHold(),
        ];
    }

    public async Task<InvariantResult> CompletedOrdersHaveOneWarrantyPerLine(CancellationToken ct)
    {
        var completedLines = new HashSet<(string Order, string Line)>();
        foreach (var data in await Column(databases.Order, $"select data from mt_events where type = '{OrderCompleted}'", r => r.GetString(0), ct))
        {
            using var completed = JsonDocument.Parse(data);
            var order = completed.RootElement.GetProperty("orderId").GetString()!;
            foreach (var line in completed.RootElement.GetProperty("lines").EnumerateArray())
            {
                completedLines.Add((order, line.GetProperty("line").GetProperty("lineId").GetString()!));
            }
        }
        var warranties = (await Column(databases.Warranty,
                "select data->>'orderId', data->>'lineId', count(*) from mt_events where type = 'warranty.warranty-activated' group by 1, 2",
                r => (Line: (r.GetString(0), r.GetString(1)), Count: r.GetInt64(2)), ct))
            .ToDictionary(w => w.Line, w => w.Count);

        var violations = new List<string>();
        foreach (var line in completedLines.Order())
        {
            var count = warranties.GetValueOrDefault(line);
            if (count != 1)
            {
                violations.Add($"order {line.Order} line {line.Line} completed with {count} warranties");
            }
        }
        violations.AddRange(warranties.Keys.Where(line => !completedLines.Contains(line)).Order()
            .Select(line => $"a warranty for order {line.Item1} line {line.Item2}, which never completed"));
        return new("every completed order has exactly one warranty per line", completedLines.Count, violations);
    }

    public async Task<InvariantResult> StreamsHaveNoGapOrDuplicate(CancellationToken ct)
    {
        const string Sql = """
            select coalesce(e.stream_id, s.id), e.events, e.versions, e.lowest, e.highest, s.version
            from (select stream_id, count(*) as events, count(distinct version) as versions, min(version) as lowest, max(version) as highest
                  from mt_events where type <> 'tombstone' group by stream_id) e
            full join (select id, version from mt_streams where id <> 'mt_tombstone') s on s.id = e.stream_id
            """;
        var streams = 0;
        var violations = new List<string>();
        foreach (var (service, source) in databases.All)
        {
            foreach (var (stream, events, versions, lowest, highest, recorded) in await Column(source, Sql,
                         r => (r.GetString(0), Long(r, 1), Long(r, 2), Long(r, 3), Long(r, 4), Long(r, 5)), ct))
            {
                streams++;
                if (events is null)
                {
                    violations.Add($"{service}: stream {stream} is at version {recorded} but has no events");
                }
                else if (recorded is null)
                {
                    violations.Add($"{service}: stream {stream} has {events} events but no streams row");
                }
                else if (versions != events)
                {
                    violations.Add($"{service}: stream {stream} holds {events} events under {versions} versions (a duplicate version)");
                }
                else if (lowest != 1 || highest != events)
                {
                    violations.Add($"{service}: stream {stream} has {events} events numbered {lowest} to {highest} (a gap)");
                }
                else if (recorded != highest)
                {
                    violations.Add($"{service}: stream {stream} is recorded at version {recorded}, its last event is {highest}");
                }
            }
        }
        return new("no stream has a gap or a duplicate version (all four databases)", streams, violations);
    }

    public async Task<InvariantResult> ApprovedRepairClaimsHaveOneJobOrResolution(CancellationToken ct)
    {
        var approved = await Column(databases.Warranty, """
            select data->>'claimId' from mt_events
            where type = 'warranty.claim-approved' and data->>'remedy' = 'Repair' and data->>'answerer' in ('Brand', 'ExtendedWarrantyProgramme')
            """, r => r.GetString(0), ct);
        var resolved = (await Column(databases.Warranty, "select data->>'claimId' from mt_events where type = 'warranty.claim-resolved'", r => r.GetString(0), ct))
            .ToHashSet(StringComparer.Ordinal);
        var jobs = (await Column(databases.RepairDispatch, """
                select data->'source'->>'id', data->>'jobId' from mt_events
                where type = 'repairdispatch.repair-job-opened' and data->'source'->>'kind' = 'ApprovedClaim'
                """, r => (Claim: r.GetString(0), Job: r.GetString(1)), ct))
            .ToLookup(j => j.Claim, j => j.Job, StringComparer.Ordinal);
        var completed = await JobsWith("repairdispatch.repair-job-completed", ct);
        var escalated = await JobsWith("repairdispatch.repair-job-escalated", ct);
        var cases = (await Column(databases.Arbitration, """
                select data->'origin'->>'jobId' from mt_events
                where type = 'arbitration.case-opened' and data->'origin'->>'$type' = 'RepairJobEscalated'
                """, r => r.GetString(0), ct))
            .ToHashSet(StringComparer.Ordinal);

        var violations = new List<string>();
        foreach (var claim in approved.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var its = jobs[claim].Distinct(StringComparer.Ordinal).ToList();
            var isResolved = resolved.Contains(claim);
            if (its.Count > 1)
            {
                violations.Add($"claim {claim} has {its.Count} repair jobs: {string.Join(", ", its)}");
            }
            else if (its.Count == 0)
            {
                if (!isResolved)
                {
                    violations.Add($"claim {claim} was approved for a repair but has neither a job nor a resolution");
                }
            }
            else if (completed.Contains(its[0]) && !isResolved)
            {
                violations.Add($"claim {claim}: its job {its[0]} was completed, but the claim is not resolved");
            }
            else if (escalated.Contains(its[0]) && !cases.Contains(its[0]))
            {
                violations.Add($"claim {claim}: its job {its[0]} was escalated, but no arbitration case was opened for it");
            }
            else if (!completed.Contains(its[0]) && !escalated.Contains(its[0]) && isResolved)
            {
                violations.Add($"claim {claim} is resolved while its job {its[0]} still runs");
            }
        }
        return new("every approved repair claim has exactly one live repair job or a resolution", approved.Count, violations);
    }

    public async Task<InvariantResult> CallbackDeadlinesTookEffectOnce(CancellationToken ct)
    {
        var events = await Column(databases.RepairDispatch, """
            select stream_id, version, type, data from mt_events
            where type in ('repairdispatch.repair-job-dispatched', 'repairdispatch.provider-callback-sla-breached', 'repairdispatch.customer-contacted',
                           'repairdispatch.repair-job-declined', 'repairdispatch.repair-job-escalated')
            order by stream_id, version
            """, r => (Stream: r.GetString(0), Version: r.GetInt64(1), Type: r.GetString(2), Data: JsonDocument.Parse(r.GetString(3)).RootElement.Clone()), ct);
        var againstProviders = (await Column(databases.RepairDispatch, """
                select data->>'jobId', (data->>'attempt')::int from mt_events where type = 'repairdispatch.provider-callback-breach-recorded'
                """, r => (Job: r.GetString(0), Attempt: r.GetInt32(1)), ct))
            .GroupBy(b => b).ToDictionary(g => g.Key, g => g.Count());
        var passed = businessNow - settled;

        var deadlines = 0;
        var violations = new List<string>();
        foreach (var job in events.GroupBy(e => e.Stream))
        {
            var of = job.ToList();
            int AttemptOf((string Stream, long Version, string Type, JsonElement Data) e) => e.Data.GetProperty("attempt").GetInt32();
            var dispatches = of.Where(e => e.Type == "repairdispatch.repair-job-dispatched").ToList();
            foreach (var dispatch in dispatches)
            {
                deadlines++;
                var jobId = dispatch.Data.GetProperty("jobId").GetString()!;
                var attempt = AttemptOf(dispatch);
                var deadline = dispatch.Data.GetProperty("callbackDeadlineAt").GetDateTimeOffset();
                var what = $"job {jobId} attempt {attempt} (deadline {deadline:O})";
                var breaches = of.Where(e => e.Type == "repairdispatch.provider-callback-sla-breached" && AttemptOf(e) == attempt).ToList();
                var contact = of.Where(e => e.Type == "repairdispatch.customer-contacted" && AttemptOf(e) == attempt).Select(e => (bool?)e.Data.GetProperty("onTime").GetBoolean()).FirstOrDefault();
                var declined = of.Any(e => e.Type == "repairdispatch.repair-job-declined" && AttemptOf(e) == attempt);
                var recorded = againstProviders.GetValueOrDefault((jobId, attempt));
                // What moves a job on from this attempt: the next attempt's dispatch, or an escalation after this many attempts.
                var movedOn = of.Count(e => (e.Type == "repairdispatch.repair-job-dispatched" && AttemptOf(e) == attempt + 1)
                    || (e.Type == "repairdispatch.repair-job-escalated" && e.Data.GetProperty("attemptsMade").GetInt32() == attempt));

                if (breaches.Count > 1)
                {
                    violations.Add($"{what}: breach recorded {breaches.Count} times");
                }
                if (recorded != breaches.Count)
                {
                    violations.Add($"{what}: {breaches.Count} breach(es) on the job, {recorded} against the provider");
                }
                if (breaches.Any(b => b.Data.GetProperty("recordedAt").GetDateTimeOffset() < deadline))
                {
                    violations.Add($"{what}: breach recorded before the deadline");
                }
                var expected = contact switch
                {
                    true => 0,
                    false => 1,
                    null when declined => 0,
                    null when deadline < passed => 1,
                    null => 0,
                };
                if (breaches.Count != expected && breaches.Count <= 1)
                {
                    violations.Add(contact is null && expected == 1
                        ? $"{what}: the deadline passed without a callback, and no breach was recorded"
                        : $"{what}: {breaches.Count} breach(es), where the callback ({contact switch { true => "on time", false => "late", null => "none" }}{(declined ? ", declined" : "")}) implies {expected}");
                }
                if (breaches.Count == 1 && contact is null && movedOn != 1)
                {
                    violations.Add($"{what}: the breach moved the job on {movedOn} times (a next dispatch or an escalation, once)");
                }
            }
            var numbers = dispatches.Select(AttemptOf).ToList();
            if (!numbers.SequenceEqual(Enumerable.Range(1, numbers.Count)))
            {
                violations.Add($"{job.Key}: dispatch attempts {string.Join(", ", numbers)}, not 1 to {numbers.Count} once each");
            }
        }
        return new("every callback deadline took effect exactly once (one breach where due, none twice, none missing)", deadlines, violations);
    }

    public InvariantResult OnlyBadMessagesAreDeadLettered(IReadOnlyList<FaultedMessage> deadLettered)
    {
        var bad = manifest.BadMessages.Select(b => b.MessageId.ToString()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var violations = deadLettered.Where(m => m.MessageId is null || !bad.Contains(m.MessageId))
            .Select(m => $"{m.Queue} holds {m.MessageType ?? "a message"} {m.MessageId}, not one sent bad on purpose: {(m.ExceptionType is null ? "" : m.ExceptionType + ": ")}{m.Reason}")
            .ToList();
        return new("no _error or _skipped queue holds anything but the deliberately bad messages", deadLettered.Count, violations);
    }

    public InvariantResult EveryBadMessageIsDeadLettered(IReadOnlyList<FaultedMessage> deadLettered)
    {
        var found = deadLettered.Where(m => m.MessageId is not null).ToLookup(m => m.MessageId!, StringComparer.OrdinalIgnoreCase);
        var violations = new List<string>();
        foreach (var bad in manifest.BadMessages)
        {
            var copies = found[bad.MessageId.ToString()].ToList();
            if (copies.Count != 1)
            {
                violations.Add($"bad message {bad.MessageId} ({bad.Kind}, to {bad.Queue}) is dead-lettered {copies.Count} times");
            }
            else if (string.IsNullOrWhiteSpace(copies[0].Reason))
            {
                violations.Add($"bad message {bad.MessageId} ({bad.Kind}) is in {copies[0].Queue} without a reason");
            }
        }
        return new("every deliberately bad message is dead-lettered once, with its reason", manifest.BadMessages.Count, violations);
    }

    public async Task<InvariantResult> NoConsumedMessageTookEffectTwice(CancellationToken ct)
    {
        const string Sql = """
            select headers->>'message-id', stream_id, count(distinct headers->>'unit-of-work') from mt_events
            where headers->>'message-id' is not null group by 1, 2
            """;
        var pairs = 0;
        var violations = new List<string>();
        foreach (var (service, source) in databases.All)
        {
            foreach (var (message, stream, transactions) in await Column(source, Sql, r => (r.GetString(0), r.GetString(1), r.GetInt64(2)), ct))
            {
                pairs++;
                if (transactions > 1)
                {
                    violations.Add($"{service}: message {message} changed stream {stream} in {transactions} transactions");
                }
            }
        }
        return new("no consumed message changed a stream twice (one transaction per message and stream)", pairs, violations);
    }

    public async Task<InvariantResult> RepeatedMessagesWereConsumedOnce(CancellationToken ct)
    {
        var ids = manifest.RepeatedMessages.Select(m => m.MessageId).Distinct().ToArray();
        var consumed = new Dictionary<Guid, List<string>>();
        var effects = new Dictionary<Guid, long>();
        foreach (var (service, source) in databases.All)
        {
            foreach (var (id, consumer) in await Column(source, "select message_id, consumer from inbox where message_id = any($1)",
                         r => (r.GetGuid(0), r.GetString(1)), ct, [ids]))
            {
                consumed.TryAdd(id, []);
                consumed[id].Add($"{service}/{consumer}");
            }
            foreach (var (id, transactions) in await Column(source, """
                         select (headers->>'message-id')::uuid, count(distinct headers->>'unit-of-work') from mt_events
                         where headers->>'message-id' = any($1) group by 1
                         """, r => (r.GetGuid(0), r.GetInt64(1)), ct, [ids.Select(i => i.ToString()).ToArray()]))
            {
                effects[id] = effects.GetValueOrDefault(id) + transactions;
            }
        }
        var violations = new List<string>();
        foreach (var repeated in manifest.RepeatedMessages)
        {
            if (!consumed.TryGetValue(repeated.MessageId, out var consumers))
            {
                violations.Add($"{repeated.MessageType} {repeated.MessageId} of {repeated.Subject}, sent twice, is in no service's inbox");
            }
            else if (effects.GetValueOrDefault(repeated.MessageId) > consumers.Count)
            {
                violations.Add($"{repeated.MessageType} {repeated.MessageId} of {repeated.Subject}, sent twice, was applied in {effects[repeated.MessageId]} transactions by {consumers.Count} consumer(s)");
            }
        }
        return new("every message delivered twice on purpose was consumed, and applied once per consumer", manifest.RepeatedMessages.Count, violations);
    }

    public async Task<InvariantResult> EachEffectIsRecordedOnce(CancellationToken ct)
    {
        var entities = 0;
        var violations = new List<string>();

        // Per stream: events that a stream may hold once at most, and those it must hold exactly once.
        async Task PerStream(string service, NpgsqlDataSource source, string streamPrefix, string[] atMostOnce, string[] exactlyOnce)
        {
            var counts = await Column(source, """
                select stream_id, type, count(*) from mt_events where stream_id like $1 || '%' group by 1, 2
                """, r => (Stream: r.GetString(0), Type: r.GetString(1), Count: r.GetInt64(2)), ct, streamPrefix);
            foreach (var stream in counts.GroupBy(c => c.Stream))
            {
                entities++;
                var of = stream.ToDictionary(c => c.Type, c => c.Count, StringComparer.Ordinal);
                violations.AddRange(atMostOnce.Where(t => of.GetValueOrDefault(t) > 1).Select(t => $"{service}: {stream.Key} holds {of[t]} {t}"));
                violations.AddRange(exactlyOnce.Where(t => of.GetValueOrDefault(t) != 1).Select(t => $"{service}: {stream.Key} holds {of.GetValueOrDefault(t)} {t}, not one"));
            }
        }

        // Per key inside the events (a claim in a warranty file, an attempt of a job, an arbitration case's origin).
        async Task PerKey(string service, NpgsqlDataSource source, string what, string keySql, string[] types, int atMost)
        {
            var counts = await Column(source, $"select {keySql}, type, count(*) from mt_events where type = any($1) group by 1, 2",
                r => (Key: r.GetString(0), Type: r.GetString(1), Count: r.GetInt64(2)), ct, [types]);
            foreach (var key in counts.GroupBy(c => c.Key))
            {
                entities++;
                var total = key.Sum(c => c.Count);
                if (total > atMost)
                {
                    violations.Add($"{service}: {what} {key.Key} holds {string.Join(" and ", key.Select(c => $"{c.Count} {c.Type}"))}");
                }
            }
        }

        string[] trade = ["order.order-placed", "order.order-paid", "order.order-shipped", "order.order-delivered", "order.order-receipt-confirmed", OrderCompleted];
        await PerStream("order", databases.Order, "order-", trade, []);
        await PerStream("warranty", databases.Warranty, "warranty-file/", ["warranty.warranty-activated", "warranty.extended-warranty-cancelled"], []);
        await PerStream("repairdispatch", databases.RepairDispatch, "repair-job-",
            ["repairdispatch.repair-job-completed", "repairdispatch.repair-job-escalated"], ["repairdispatch.repair-job-opened"]);
        await PerStream("arbitration", databases.Arbitration, "arbitration-case-", ["arbitration.case-ruled"], ["arbitration.case-opened"]);

        const string Claim = "data->>'claimId'";
        await PerKey("warranty", databases.Warranty, "claim", Claim, ["warranty.claim-approved", "warranty.claim-rejected"], 1);
        foreach (var step in new[] { "warranty.claim-awaiting-merchant", "warranty.claim-accepted-by-merchant", "warranty.claim-refused-by-merchant", "warranty.claim-escalated", "warranty.claim-resolved" })
        {
            await PerKey("warranty", databases.Warranty, "claim", Claim, [step], 1);
        }
        const string Attempt = "data->>'jobId' || ' attempt ' || (data->>'attempt')";
        await PerKey("repairdispatch", databases.RepairDispatch, "job", Attempt, ["repairdispatch.repair-job-accepted"], 1);
        await PerKey("repairdispatch", databases.RepairDispatch, "job", Attempt, ["repairdispatch.customer-contacted"], 1);
        await PerKey("arbitration", databases.Arbitration, "case origin",
            "(data->'origin'->>'$type') || ' ' || coalesce(data->'origin'->>'jobId', data->'origin'->>'claimId', data->'origin'->>'decisionId', data->>'caseId')",
            ["arbitration.case-opened"], 1);
        return new("each effect is recorded once (trade steps, warranties, claim steps, job steps, one case per origin)", entities, violations);
    }

    public InvariantResult SimulatorFiguresHold()
    {
        var violations = manifest.Checks.Where(c => !c.Holds).Select(c => $"{c.Figure.Trim()}: found {c.Actual}, expected {c.ExpectedText}")
            .Concat(manifest.Problems.Select(p => $"problem: {p}"))
            .ToList();
        return new("the simulator's figures, read back from the services' APIs, are what its scenario implies", manifest.Checks.Count, violations);
    }

    private async Task<HashSet<string>> JobsWith(string type, CancellationToken ct) =>
        (await Column(databases.RepairDispatch, "select data->>'jobId' from mt_events where type = $1", r => r.GetString(0), ct, type)).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Every message of the run's dead-letter queues, read and put back. Each queue is read to its end rather than
    /// to the count the management API gives, which lags the queue by its statistics interval.
    /// </summary>
    private async Task<IReadOnlyList<FaultedMessage>> DeadLettered(CancellationToken ct)
    {
        var queues = new ErrorQueues(broker, ChaosTarget.ManagementPort);
        var messages = new List<FaultedMessage>();
        foreach (var (queue, _) in await queues.List(ct))
        {
            messages.AddRange(await queues.Peek(queue, int.MaxValue, ct));
        }
        return messages;
    }

    private static long? Long(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetInt64(column);

    /// <summary>Reads every row; the parameters are $1, $2, … in order (an array is one parameter).</summary>
    private static async Task<List<T>> Column<T>(NpgsqlDataSource source, string sql, Func<NpgsqlDataReader, T> read, CancellationToken ct, params object[] parameters)
    {
        await using var command = source.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(read(reader));
        }
        return rows;
    }
}
