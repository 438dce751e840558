using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Platform.Domain;
using Platform.EventSourcing;
using Platform.EventSourcing.Pipeline;
using Platform.ServiceDefaults;
using Platform.Testing;
using Warranty.Domain;
using Warranty.Service.Views;
using Xunit.Abstractions;
using static Warranty.Service.Tests.Sample;
using Contract = Platform.Contracts.Warranty.V1;

namespace Warranty.Service.Tests;

/// <summary>A buyer who files again and again: the file stays fast to load and to show.</summary>
public sealed class FileGrowthTests(ITestOutputHelper output) : WarrantyServiceTest
{
    private const int RejectedClaims = 1000;
    private const int Rounds = 40;
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(10);

    protected override Task Observe(BusProbe probe) => probe.Observe<Contract.WarrantyActivated>();

    [Fact]
    public async Task A_file_with_1000_rejected_claims_loads_and_answers_GET_within_10_ms()
    {
        var (orderId, buyer) = (Id("order"), Id("buyer"));
        await Complete(probe, Order(orderId, buyer, Id("merchant"), DateTimeOffset.UtcNow.AddDays(-30), Line("line-1")));
        await FileOpenClaimAndRejectedOnes(orderId, buyer);
        var store = warranty.Services.GetRequiredService<EventStore>();
        using var client = warranty.As(PlatformRoles.Buyer, buyer);

        var file = Assert.IsType<WarrantyFile.Activated>(await WarrantyFileStream.ReadState(store, orderId, "line-1", CancellationToken.None));
        Assert.Equal((1, RejectedClaims), (file.Claims.Count, file.RefusedOutright.Count));
        var view = await (await client.GetAsync($"/warranties/{orderId}/line-1")).Read<WarrantyView>();
        Assert.Equal((ClaimStatus.InService, RejectedClaims), (Assert.Single(view.Claims).Status, view.ClaimsRefusedOutright));

        var load = await Times(() => WarrantyFileStream.ReadState(store, orderId, "line-1", CancellationToken.None));
        var get = await Times(async () => (await client.GetAsync($"/warranties/{orderId}/line-1")).EnsureSuccessStatusCode());
        output.WriteLine($"file of {RejectedClaims} rejected claims, fastest and median of {Rounds}: load {load.Fastest.TotalMilliseconds:0.00} and " +
            $"{load.Median.TotalMilliseconds:0.00} ms, GET {get.Fastest.TotalMilliseconds:0.00} and {get.Median.TotalMilliseconds:0.00} ms");
        Assert.True(load.Fastest < Limit, $"loading took {load.Fastest.TotalMilliseconds:0.00} ms at best");
        Assert.True(get.Fastest < Limit, $"GET took {get.Fastest.TotalMilliseconds:0.00} ms at best");
    }

    /// <summary>One approved claim left open, then a thousand more rejected as ClaimAlreadyOpen, decided as the service would.</summary>
    private async Task FileOpenClaimAndRejectedOnes(string orderId, string buyer)
    {
        var files = warranty.Services.GetRequiredService<WarrantyFileStream>();
        var policy = warranty.Services.GetRequiredService<WarrantyPolicy>();
        var store = warranty.Services.GetRequiredService<EventStore>();
        await using var session = await store.OpenSession(null, new MessageMetadata(null, null, null, null, null), CancellationToken.None);
        await new UnitOfWork(session).Handle(files.Aggregate, WarrantyFileStream.StreamId(orderId, "line-1"), loaded =>
        {
            var events = new List<WarrantyFileEvent>();
            var state = loaded.State;
            for (var i = 0; i <= RejectedClaims; i++)
            {
                var claim = new WarrantyFileCommand.FileClaim(Guid.NewGuid(), new Requester(buyer, ActingParty.Buyer, buyer), FaultKind.QualityFault,
                    "The screen flickers again.", Remedy.Repair, ["https://evidence.example/flicker.mp4"], DateTimeOffset.UtcNow);
                var decided = WarrantyFileDecider.Decide(claim, state, policy).Events;
                events.AddRange(decided);
                state = decided.Aggregate(state, WarrantyFile.Evolve);
            }
            return Decide<WarrantyFileEvent>.Accept(events);
        }, CancellationToken.None);
        Assert.Equal(CommitResult.Committed, await session.Commit(CancellationToken.None));
    }

    /// <remarks>
    /// Judged by the fastest round: on a machine shared with other tests a read of a few milliseconds is cut
    /// by the scheduler in most rounds (medians of 9-15 ms measured beside six busy loops, against 3-4 ms alone),
    /// while a file slowed by its claims is slow in every round.
    /// </remarks>
    private static async Task<(TimeSpan Fastest, TimeSpan Median)> Times(Func<Task> action)
    {
        for (var i = 0; i < 5; i++)
        {
            await action();
        }
        var times = new List<TimeSpan>(Rounds);
        for (var i = 0; i < Rounds; i++)
        {
            var watch = Stopwatch.StartNew();
            await action();
            times.Add(watch.Elapsed);
        }
        var ordered = times.Order().ToList();
        return (ordered[0], ordered[Rounds / 2]);
    }
}
