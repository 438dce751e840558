using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Repair.V1;
using Platform.ServiceDefaults;
using Platform.Testing;
using RepairDispatch.Domain;
using RepairDispatch.Service.Features.BuyerContact;
using RepairDispatch.Service.Features.JobReports;
using RepairDispatch.Service.Features.ProviderReports;
using RepairDispatch.Service.ReadModels;
using RepairDispatch.Service.RepairJobs;

namespace RepairDispatch.Service.Tests;

/// <summary>
/// The contact service against a virtual-number vendor over real HTTP (a simulated one this test runs), and the reason
/// codes of declines and progress reports.
/// </summary>
public sealed class BuyerContactTests : IAsyncLifetime
{
    private const string Phone = "+8613800138000";
    private const string Address = "Room 502, 18 Tianhe Road, Guangzhou";

    private readonly ConsumedMessages consumed = new();
    private readonly SimulatedVendor vendor = new();
    private TestEnvironment env = null!;
    private RunningService service = null!;
    private BusProbe probe = null!;

    public async Task InitializeAsync()
    {
        await vendor.Start();
        env = await TestEnvironment.Create();
        service = await Repair.Start(env, consumed,
            "--RepairDispatch:VirtualNumbers:Provider=Http", $"--RepairDispatch:VirtualNumbers:Url={vendor.Address}",
            "--RepairDispatch:VirtualNumbers:ReleaseInterval=00:00:00.200");
        probe = await BusProbe.Start(env);
    }

    public async Task DisposeAsync()
    {
        await probe.DisposeAsync();
        await service.DisposeAsync();
        await env.DisposeAsync();
        await vendor.DisposeAsync();
    }

    [Fact]
    public async Task The_provider_the_job_is_with_reaches_the_buyer_until_a_decline_moves_the_job_and_releases_the_number()
    {
        var region = Repair.Unique("gd");
        var p = Repair.Unique("p");
        var (first, second, stranger) = ($"{p}-a", $"{p}-b", $"{p}-c");
        await service.RegisterProvider(first, region);
        await service.RegisterProvider(second, region);
        await service.RegisterProvider(stranger, Repair.Unique("xz"));
        var claim = Repair.Claim(region) with { BuyerPhone = Phone, ServiceAddress = Address };
        await probe.Publish(claim);
        var jobId = NameBasedIds.JobForClaim(claim.ClaimId);
        using var firstClient = service.As(PlatformRoles.Provider, first);
        await WaitUntilHeld(firstClient, jobId, 1);

        var contact = await firstClient.Get<BuyerContactView>($"/jobs/{jobId}/contact");
        var binding = Assert.Single(vendor.Bound);
        Assert.Equal((jobId, 1, binding.Value.Number, Address), (contact.JobId, contact.Attempt, contact.VirtualNumber, contact.ServiceAddress));
        Assert.Equal(Phone, binding.Value.Phone);
        Assert.NotEqual(Phone, contact.VirtualNumber);
        Assert.Equal(contact.VirtualNumber, (await firstClient.Get<BuyerContactView>($"/jobs/{jobId}/contact")).VirtualNumber);
        Assert.Single(vendor.Bound);

        using (var other = await service.As(PlatformRoles.Provider, stranger).GetAsync($"/jobs/{jobId}/contact"))
        {
            var problem = await other.Problem(HttpStatusCode.Forbidden);
            Assert.DoesNotContain(Phone, problem.ToString());
            Assert.DoesNotContain(Address, problem.ToString());
        }

        using (var declined = await firstClient.Post($"/jobs/{jobId}/decline", new { reasonCode = "NoCapacity", reason = "No technician this week" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, declined.StatusCode);
        }
        using var secondClient = service.As(PlatformRoles.Provider, second);
        await WaitUntilHeld(secondClient, jobId, 2);

        using (var gone = await firstClient.GetAsync($"/jobs/{jobId}/contact"))
        {
            var problem = await gone.Problem(HttpStatusCode.Gone);
            Assert.Equal(nameof(RepairDispatchRefusalCode.ContactWithdrawn), problem.GetProperty("code").GetString());
            Assert.DoesNotContain(Address, problem.ToString());
        }
        await Eventually.Until(() => vendor.Released.Contains(binding.Key), TimeSpan.FromSeconds(30), "the first provider's virtual number is released at the vendor");
        var secondContact = await secondClient.Get<BuyerContactView>($"/jobs/{jobId}/contact");
        Assert.Equal((2, Address), (secondContact.Attempt, secondContact.ServiceAddress));
        Assert.NotEqual(contact.VirtualNumber, secondContact.VirtualNumber);

        using var op = service.As(PlatformRoles.Operator, "operator-1");
        var decline = Assert.Single(await op.Get<List<JobReportView>>($"/jobs/{jobId}/reports"));
        Assert.Equal((first, 1, JobReportKind.Decline, "NoCapacity", "No technician this week"),
            (decline.ProviderId, decline.Attempt, decline.Kind, decline.Code, decline.Note));
        Assert.Single(await firstClient.Get<List<JobReportView>>($"/jobs/{jobId}/reports"));
        Assert.Empty(await secondClient.Get<List<JobReportView>>($"/jobs/{jobId}/reports"));

        // What reached each provider, as the broker holds it: the job and where to ask for the contact, nothing of the buyer.
        foreach (var provider in new[] { first, second })
        {
            var bodies = await QueuedBodies($"repair-provider-{provider}");
            var body = Assert.Single(bodies);
            Assert.Contains($"\"buyerContactReference\":\"jobs/{jobId}/contact\"", body.Replace(" ", ""));
            foreach (var secret in new[] { claim.BuyerId, Phone, Phone[3..], Address })
            {
                Assert.DoesNotContain(secret, body);
            }
        }
    }

    [Fact]
    public async Task A_job_whose_claim_gave_no_contact_answers_neither_and_a_coded_decline_by_message_needs_no_note()
    {
        var (provider, claim, jobId) = await OneDispatchedJob();
        using var client = service.As(PlatformRoles.Provider, provider);

        var contact = await client.Get<BuyerContactView>($"/jobs/{jobId}/contact");
        Assert.Equal((1, null, null), (contact.Attempt, contact.VirtualNumber, contact.ServiceAddress));
        Assert.Empty(vendor.Bound);

        // A decline by message with a listed code needs no words, and keeps its code.
        var messageId = Guid.NewGuid();
        var reports = await probe.Bus.GetSendEndpoint(new Uri($"queue:{ProviderReportConsumer.Queue}"));
        await reports.Send(new JobDeclined
        {
            JobId = jobId, Attempt = 1, ProviderId = provider, OrderId = claim.OrderId, Reason = "",
            ReasonCode = Platform.Contracts.Repair.V1.DeclineReasonCode.BrandNotServiced, DeclinedAt = DateTimeOffset.UtcNow,
        }, Pipe.Execute<SendContext>(c => c.MessageId = messageId));
        await consumed.WaitFor<JobDeclined>(messageId);
        using var op = service.As(PlatformRoles.Operator, "operator-1");
        var decline = Assert.Single(await op.Get<List<JobReportView>>($"/jobs/{jobId}/reports"));
        Assert.Equal((JobReportKind.Decline, "BrandNotServiced", ""), (decline.Kind, decline.Code, decline.Note));
    }

    [Fact]
    public async Task A_report_with_a_code_off_the_list_is_refused_and_one_with_a_code_is_recorded_with_its_attachments()
    {
        var (provider, claim, jobId) = await OneDispatchedJob();
        using var client = service.As(PlatformRoles.Provider, provider);

        using (var unknown = await client.Post($"/jobs/{jobId}/decline", new { reasonCode = "TooFarAway", reason = "Far" }))
        {
            var problem = await unknown.Problem(HttpStatusCode.BadRequest);
            Assert.Equal(nameof(RepairDispatchRefusalCode.UnknownReasonCode), problem.GetProperty("code").GetString());
            Assert.Contains("OutOfServiceArea", problem.GetProperty("errors").GetProperty("reasonCode")[0].GetString());
        }
        using (var numeric = await client.Post($"/jobs/{jobId}/decline", new { reasonCode = "1" }))
        {
            await numeric.Problem(HttpStatusCode.BadRequest);
        }
        using (var wordless = await client.Post($"/jobs/{jobId}/decline", new { reasonCode = "Other" }))
        {
            Assert.True((await wordless.Problem(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("reason", out _));
        }
        // On the bus, a code given by number off the list is refused by the rules, with the same code.
        var message = new JobDeclined
        {
            JobId = jobId, Attempt = 1, ProviderId = provider, OrderId = claim.OrderId, Reason = "", ReasonCode = (Platform.Contracts.Repair.V1.DeclineReasonCode)42, DeclinedAt = DateTimeOffset.UtcNow,
        };
        var messageId = Guid.NewGuid();
        var reports = await probe.Bus.GetSendEndpoint(new Uri($"queue:{ProviderReportConsumer.Queue}"));
        await reports.Send(message, Pipe.Execute<SendContext>(c => c.MessageId = messageId));
        await consumed.WaitFor<JobDeclined>(messageId);
        using var op = service.As(PlatformRoles.Operator, "operator-1");
        var refusals = await op.Get<List<JsonElement>>("/operations/refusals");
        Assert.Contains(refusals, r => r.GetProperty("code").GetString() == nameof(RepairDispatchRefusalCode.UnknownReasonCode) && r.ToString().Contains(jobId.ToString()));
        Assert.Equal(1, (await client.Get<JobView>($"/jobs/{jobId}")).Attempt);

        using (var contacted = await client.Post($"/jobs/{jobId}/customer-contacted", new { bookedFor = DateTimeOffset.UtcNow.AddDays(1) }))
        {
            Assert.Equal(HttpStatusCode.NoContent, contacted.StatusCode);
        }
        using (var plain = await client.Post($"/jobs/{jobId}/progress", new { progressCode = "AwaitingParts", attachmentLinks = new[] { "http://photos.example/1.jpg" } }))
        {
            Assert.True((await plain.Problem(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("attachmentLinks", out _));
        }
        using (var progress = await client.Post($"/jobs/{jobId}/progress",
                   new { progressCode = "awaitingparts", attachmentLinks = new[] { "https://photos.example/board.jpg" } }))
        {
            Assert.Equal(HttpStatusCode.NoContent, progress.StatusCode);
        }
        var report = Assert.Single(await client.Get<List<JobReportView>>($"/jobs/{jobId}/reports"));
        Assert.Equal((JobReportKind.Progress, "AwaitingParts", "", "https://photos.example/board.jpg"),
            (report.Kind, report.Code, report.Note, Assert.Single(report.AttachmentLinks)));
    }

    /// <summary>A provider of its own, and a claim without contact whose job it holds.</summary>
    private async Task<(string Provider, Platform.Contracts.Warranty.V1.ClaimApproved Claim, Guid JobId)> OneDispatchedJob()
    {
        var region = Repair.Unique("sc");
        var provider = Repair.Unique("p");
        await service.RegisterProvider(provider, region);
        var claim = Repair.Claim(region);
        await probe.Publish(claim);
        var jobId = NameBasedIds.JobForClaim(claim.ClaimId);
        using var client = service.As(PlatformRoles.Provider, provider);
        await WaitUntilHeld(client, jobId, 1);
        return (provider, claim, jobId);
    }

    private static Task WaitUntilHeld(HttpClient provider, Guid jobId, int attempt) =>
        Eventually.Until(async () =>
        {
            using var response = await provider.GetAsync($"/jobs/{jobId}");
            return response.IsSuccessStatusCode && (await response.Content.ReadFromJsonAsync<JobView>(Repair.Json))!.Attempt == attempt;
        }, TimeSpan.FromSeconds(30), $"attempt {attempt} of job {jobId} reaches its provider");

    /// <summary>The messages waiting on a queue as the broker holds them, read through its management API and left there.</summary>
    private async Task<IReadOnlyList<string>> QueuedBodies(string queue)
    {
        using var management = TestVirtualHost.CreateManagementClient();
        using var response = await management.PostAsJsonAsync($"api/queues/{Uri.EscapeDataString(env.VirtualHost.Name)}/{queue}/get",
            new { count = 100, ackmode = "ack_requeue_true", encoding = "auto" });
        response.EnsureSuccessStatusCode();
        var messages = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. messages.EnumerateArray().Select(m => m.GetProperty("payload").GetString()!)];
    }

    /// <summary>A virtual-number vendor over HTTP, the shape HttpVirtualNumbers speaks, that records what it bound and released.</summary>
    private sealed class SimulatedVendor : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<string, (string Number, string Phone)> bound = new();
        private WebApplication app = null!;
        private int issued;

        public IReadOnlyDictionary<string, (string Number, string Phone)> Bound => bound;

        public ConcurrentBag<string> Released { get; } = [];

        public string Address { get; private set; } = "";

        public async Task Start()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
            app = builder.Build();
            app.MapPost("/bindings", (BindRequest request) =>
            {
                var binding = bound.GetOrAdd(request.Key, _ => ($"+86170{Interlocked.Increment(ref issued):D8}", request.Phone));
                return Results.Ok(new { bindingId = request.Key, number = binding.Number });
            });
            app.MapDelete("/bindings/{id}", (string id) =>
            {
                if (!bound.ContainsKey(id) || Released.Contains(id))
                {
                    return Results.NotFound();
                }
                Released.Add(id);
                return Results.NoContent();
            });
            await app.StartAsync();
            Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();

        private sealed record BindRequest(string Key, string Phone);
    }
}
