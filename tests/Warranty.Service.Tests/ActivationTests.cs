using System.Net;
using Platform.Contracts.Orders.V1;
using Platform.ServiceDefaults;
using Platform.Testing;
using Warranty.Service.Views;
using static Warranty.Service.Tests.Sample;
using Contract = Platform.Contracts.Warranty.V1;

namespace Warranty.Service.Tests;

public sealed class ActivationTests : WarrantyServiceTest
{
    protected override async Task Observe(BusProbe probe)
    {
        await probe.Observe<Contract.WarrantyActivated>();
        await probe.Observe<Contract.ClaimRejected>();
        await probe.Observe<Contract.ExtendedWarrantyCancelled>();
    }

    [Fact]
    public async Task The_seeds_worked_example_national_warranty_to_2024_03_08_then_one_year_extended_to_2025_03_08()
    {
        var (orderId, buyer) = (Id("order"), Id("buyer"));
        // Receipt confirmed 2023-03-08 20:00 in Shanghai, which is still 03-08 in UTC too; d0 is the local date.
        await probe.Publish(Order(orderId, buyer, Id("merchant"), At("2023-03-08T20:00:00+08:00"),
            Line("line-1", "phones", nationalMonths: 12, plan: Plan(1, 199m))));

        var activated = await probe.WaitFor<Contract.WarrantyActivated>(m => m.OrderId == orderId, Wait, "the seed order's warranty is activated");

        Assert.Equal((Day("2023-03-08"), "Asia/Shanghai"), (activated.CompletedOn, activated.TimeZone));
        var national = activated.Coverages.Single(c => c.Kind == Contract.CoverageKind.NationalJointWarranty);
        Assert.Equal((Day("2023-03-08"), Day("2024-03-08")), (national.Period.FirstDay, national.Period.LastDay));
        var extended = activated.Coverages.Single(c => c.Kind == Contract.CoverageKind.ExtendedWarranty);
        Assert.Equal(Contract.ResponsibleParty.ExtendedWarrantyProgramme, extended.AnsweredBy);
        Assert.Equal((Day("2024-03-09"), Day("2025-03-08")), (extended.Period.FirstDay, extended.Period.LastDay));
        Assert.Equal((At("2024-03-09T00:00:00+08:00"), At("2025-03-09T00:00:00+08:00")), (extended.Period.StartsAt, extended.Period.EndsBefore));
        Assert.Equal(
            [Contract.CoverageKind.StatutoryReturn, Contract.CoverageKind.StatutoryReplacement, Contract.CoverageKind.StatutoryRepair,
                Contract.CoverageKind.NationalJointWarranty, Contract.CoverageKind.ExtendedWarranty],
            activated.Coverages.Select(c => c.Kind));
        // Phones keep the entry 180 days; 售后保 holds it open while the 三包 repair period runs.
        Assert.Equal((Day("2023-03-08"), Day("2024-03-08"), true),
            (activated.AfterSalesEntry.FirstDay, activated.AfterSalesEntry.LastDay, activated.AfterSalesProtectionApplied));

        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        var view = await (await client.GetAsync($"/warranties/{orderId}/line-1")).Read<WarrantyView>();
        var shown = view.Coverages.Single(c => c.Kind == Contract.CoverageKind.ExtendedWarranty).Period;
        Assert.Equal("2024-03-09T00:00:00+08:00", shown.Start.ToString("yyyy-MM-ddTHH:mm:sszzz"));
        Assert.Equal("2025-03-08T23:59:59+08:00", shown.End.ToString("yyyy-MM-ddTHH:mm:sszzz"));
        Assert.Equal((199m, 1), (view.ExtendedWarranty!.PricePaid, view.ExtendedWarranty.PlanYears));
    }

    [Fact]
    public async Task A_claim_filed_over_http_against_the_worked_example_today_is_out_of_warranty_and_the_bus_says_the_same()
    {
        var (orderId, buyer) = (Id("order"), Id("buyer"));
        await Complete(probe, Order(orderId, buyer, Id("merchant"), At("2023-03-08T20:00:00+08:00"),
            Line("line-1", "phones", nationalMonths: 12, plan: Plan(1, 199m))));

        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        var response = await client.FileClaim(Claim(orderId, "line-1"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var claim = await response.Read<ClaimView>();
        var rejected = await probe.WaitFor<Contract.ClaimRejected>(m => m.ClaimId == claim.ClaimId, Wait, "the claim is rejected on the bus");
        // Every coverage ended by 2025-03-08: nothing a reopen changes, but an arbitrator may weigh it.
        Assert.Equal((Contract.ClaimRejectionReason.OutOfWarranty, false, true), (rejected.Reason, rejected.ReopenRequestMayHelp, rejected.AppealMayHelp));
        Assert.Equal((rejected.Reason, rejected.ReopenRequestMayHelp, rejected.AppealMayHelp),
            (claim.Rejection!.Reason, claim.Rejection.ReopenRequestMayHelp, claim.Rejection.AppealMayHelp));
        Assert.Equal(response.Headers.Location, new Uri($"/claims/{claim.ClaimId}", UriKind.Relative));
        Assert.Equal(("Product of line-1", "31", "The screen flickers and goes dark."), (rejected.Title, rejected.ShippingRegion, rejected.FaultDescription));
    }

    [Fact]
    public async Task A_redelivered_order_completed_activates_each_line_once()
    {
        var orderId = Id("order");
        var order = Order(orderId, Id("buyer"), Id("merchant"), DateTimeOffset.UtcNow.AddDays(-1), Line("line-1"), Line("line-2", "clothing", nationalMonths: 0));
        var messageId = Guid.NewGuid();
        await probe.Publish(order, messageId);
        await probe.WaitFor<Contract.WarrantyActivated>(m => m.OrderId == orderId && m.LineId == "line-2", Wait, "the order is activated");

        await probe.Publish(order, messageId);
        // A later order through the same queue is the witness that the redelivery was handled.
        await Complete(probe, Order(Id("order"), Id("buyer"), Id("merchant"), DateTimeOffset.UtcNow, Line("line-1")));

        Assert.Equal(2, probe.Received<Contract.WarrantyActivated>().Count(o => o.Message.OrderId == orderId));
        var database = await env.Database(WarrantyService.Name);
        Assert.Equal(1L, await database.Scalar<long>("select count(*) from mt_events where stream_id = $1", WarrantyFileStream.StreamId(orderId, "line-1")));
        Assert.Equal(1L, await database.Scalar<long>("select count(*) from inbox where message_id = $1", messageId));
    }

    [Fact]
    public async Task A_burst_of_orders_is_taken_in_batches_and_a_redelivery_or_a_second_copy_inside_one_still_activates_each_line_once()
    {
        List<OrderCompleted> Burst() => Enumerable.Range(1, 30)
            .Select(_ => Order(Id("order"), Id("buyer"), Id("merchant"), DateTimeOffset.UtcNow.AddDays(-1), Line("line-1")))
            .ToList();
        var first = Burst();
        var firstIds = first.Select(_ => Guid.NewGuid()).ToList();
        // Each order goes out in a trace of its own, as the Order service's would.
        var traces = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        await Task.WhenAll(first.Select(async (order, i) =>
        {
            using var trace = new System.Diagnostics.Activity("complete order").SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C);
            trace.ActivityTraceFlags = System.Diagnostics.ActivityTraceFlags.Recorded;
            trace.Start();
            traces[order.OrderId] = trace.TraceId.ToHexString();
            await probe.Publish(order, firstIds[i]);
        }));
        foreach (var order in first)
        {
            await probe.WaitFor<Contract.WarrantyActivated>(m => m.OrderId == order.OrderId, Wait, $"{order.OrderId} is activated");
        }
        // A batch stamps its messages with one time: fewer times than messages means batches formed.
        var database = await env.Database(WarrantyService.Name);
        var stamps = await database.Scalar<long>("select count(distinct processed_at) from inbox where message_id = any($1)", firstIds.ToArray());
        Assert.True(stamps < first.Count, $"30 orders published at once were consumed one at a time ({stamps} commit times)");
        // A batch must not put its orders' warranties in one order's trace.
        foreach (var order in first)
        {
            var traceParent = await database.Scalar<string>("select headers->>'traceparent' from mt_events where stream_id = $1", WarrantyFileStream.StreamId(order.OrderId, "line-1"));
            Assert.Equal(traces[order.OrderId], traceParent.Split('-')[1]);
        }

        // A message of the first burst delivered again, and one of its orders sent again under a new id, land among new orders.
        var second = Burst();
        var secondIds = second.Select(_ => Guid.NewGuid()).ToList();
        var copyId = Guid.NewGuid();
        await Task.WhenAll(second.Select((order, i) => probe.Publish(order, secondIds[i]))
            .Append(probe.Publish(first[3], firstIds[3]))
            .Append(probe.Publish(first[7], copyId)));
        foreach (var order in second)
        {
            await probe.WaitFor<Contract.WarrantyActivated>(m => m.OrderId == order.OrderId, Wait, $"{order.OrderId} is activated");
        }
        await Complete(probe, Order(Id("order"), Id("buyer"), Id("merchant"), DateTimeOffset.UtcNow, Line("line-1")));

        foreach (var order in first.Concat(second))
        {
            Assert.Equal(1L, await database.Scalar<long>("select count(*) from mt_events where stream_id = $1", WarrantyFileStream.StreamId(order.OrderId, "line-1")));
        }
        Assert.Equal(61L, await database.Scalar<long>("select count(*) from inbox where message_id = any($1)", firstIds.Concat(secondIds).Append(copyId).ToArray()));
    }

    [Fact]
    public async Task A_line_refunded_before_completion_gets_no_warranty_and_its_plan_is_refunded_in_full()
    {
        var (orderId, buyer) = (Id("order"), Id("buyer"));
        await probe.Publish(Order(orderId, buyer, Id("merchant"), DateTimeOffset.UtcNow.AddDays(-1),
            Line("line-kept"), Line("line-refunded", plan: Plan(2, 299m), refunded: true)));

        var cancelled = await probe.WaitFor<Contract.ExtendedWarrantyCancelled>(m => m.OrderId == orderId, Wait, "the refunded line's plan is cancelled");
        await probe.WaitFor<Contract.WarrantyActivated>(m => m.OrderId == orderId && m.LineId == "line-kept", Wait, "the other line is activated");

        Assert.Equal(("line-refunded", Contract.ExtendedWarrantyCancellationReason.LineRefunded, Contract.RefundBasis.FullForRefundedLine, 299m),
            (cancelled.LineId, cancelled.Reason, cancelled.RefundBasis, cancelled.RefundAmount));
        // Announced in the same unit of work as the other line, so it would have arrived with it.
        Assert.DoesNotContain(probe.Received<Contract.WarrantyActivated>(), o => o.Message.OrderId == orderId && o.Message.LineId == "line-refunded");
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        var claim = await (await client.FileClaim(Claim(orderId, "line-refunded"))).Read<ClaimView>();
        Assert.Equal(Contract.ClaimRejectionReason.LineRefunded, claim.Rejection!.Reason);
    }

    [Fact]
    public async Task A_line_refunded_after_completion_cancels_its_plan_with_a_full_refund_and_takes_no_more_claims()
    {
        var (orderId, buyer) = (Id("order"), Id("buyer"));
        await Complete(probe, Order(orderId, buyer, Id("merchant"), DateTimeOffset.UtcNow.AddDays(-20), Line("line-1", plan: Plan(1, 149.50m))));

        await probe.Publish(new OrderLineRefunded { OrderId = orderId, LineId = "line-1", BuyerId = buyer, RefundAmount = 3999m, RefundedAt = DateTimeOffset.UtcNow });

        var cancelled = await probe.WaitFor<Contract.ExtendedWarrantyCancelled>(m => m.OrderId == orderId, Wait, "the plan is cancelled");
        Assert.Equal((Contract.RefundBasis.FullForRefundedLine, 149.50m, 149.50m), (cancelled.RefundBasis, cancelled.PricePaid, cancelled.RefundAmount));
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        var claim = await (await client.FileClaim(Claim(orderId, "line-1"))).Read<ClaimView>();
        Assert.Equal((Contract.ClaimRejectionReason.LineRefunded, false), (claim.Rejection!.Reason, claim.Rejection.AppealMayHelp));
    }

    [Fact]
    public async Task An_order_line_with_a_four_year_plan_is_refused_and_kept_for_operators()
    {
        var orderId = Id("order");
        await probe.Publish(Order(orderId, Id("buyer"), Id("merchant"), DateTimeOffset.UtcNow, Line("line-1", plan: Plan(4, 500m)), Line("line-2")));
        // The good line is activated in the same unit of work: once it is announced, so would the bad one be.
        await probe.WaitFor<Contract.WarrantyActivated>(m => m.OrderId == orderId && m.LineId == "line-2", Wait, "the good line is activated");

        using var operatorClient = warranty.As(PlatformRoles.Operator, "sre-1");
        await Eventually.Until(async () => (await operatorClient.GetStringAsync("/operations/refusals")).Contains(orderId, StringComparison.Ordinal),
            Wait, "the refused order is listed for operators");
        var refusals = await operatorClient.GetStringAsync("/operations/refusals");
        Assert.Contains("ActivationRefused", refusals, StringComparison.Ordinal);
        Assert.Contains("an extended warranty of 4 years", refusals, StringComparison.Ordinal);
        Assert.DoesNotContain(probe.Received<Contract.WarrantyActivated>(), o => o.Message.OrderId == orderId && o.Message.LineId == "line-1");
    }
}
