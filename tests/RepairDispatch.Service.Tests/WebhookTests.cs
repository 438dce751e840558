using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using Platform.Testing;
using RepairDispatch.Service.Features.Webhooks;

namespace RepairDispatch.Service.Tests;

/// <summary>
/// Providers' webhooks against real HTTPS receivers, on a compressed clock (24 business hours in about 4.3 s) so
/// that callback deadlines pass, jobs move on and end within a test. Two attempts per job: the first provider
/// loses the job to the second, whose breach escalates it.
/// </summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    private readonly ConsumedMessages consumed = new();
    private TestEnvironment env = null!;
    private RunningService service = null!;
    private BusProbe probe = null!;
    private ReceiverCertificate certificate = null!;
    private WebhookReceiver first = null!;
    private WebhookReceiver second = null!;

    public async Task InitializeAsync()
    {
        certificate = await ReceiverCertificate.Create();
        // Each test its own receivers: the class's tests share the service, not what an endpoint received.
        first = await WebhookReceiver.Start(certificate.Certificate);
        second = await WebhookReceiver.Start(certificate.Certificate);
        env = await TestEnvironment.Create(clockSpeed: 20_000);
        service = await Repair.Start(env, consumed,
            "--RepairDispatch:MaxAttempts=2",
            // The receivers listen on loopback, which no webhook reaches unless its network is allowed.
            "--RepairDispatch:Webhooks:AllowedNetworks:0=127.0.0.0/8",
            $"--RepairDispatch:Webhooks:TrustedCertificateFiles:0={certificate.File}",
            "--RepairDispatch:Webhooks:RetryDelay=00:00:00.200",
            "--RepairDispatch:Webhooks:MaxRetryDelay=00:00:01",
            "--RepairDispatch:Webhooks:PollInterval=00:00:00.200",
            $"--RepairDispatch:Webhooks:AttemptTimeout={AttemptTimeout}",
            // Small, so that a hanging endpoint could take every slot if nothing kept it to its share.
            "--RepairDispatch:Webhooks:Concurrency=5",
            "--RepairDispatch:Webhooks:ConcurrencyPerProvider=2");
        probe = await BusProbe.Start(env);
    }

    public async Task DisposeAsync()
    {
        await probe.DisposeAsync();
        await service.DisposeAsync();
        await env.DisposeAsync();
        await first.DisposeAsync();
        await second.DisposeAsync();
        certificate.Dispose();
    }

    [Fact]
    public async Task Each_provider_gets_its_jobs_events_signed_and_a_replayed_old_delivery_fails_the_guides_recipe()
    {
        var region = Repair.Unique("wh");
        // Selection takes the lowest id among equals: "pa-…" first, then "pb-…".
        var (a, b) = (Repair.Unique("pa"), Repair.Unique("pb"));
        await service.RegisterProvider(a, region);
        await service.RegisterProvider(b, region);
        first.Secret = await Register(a, first);
        second.Secret = await Register(b, second);

        var claim = Repair.Claim(region);
        await probe.Publish(claim);
        var job = RepairJobs.NameBasedIds.JobForClaim(claim.ClaimId);

        await Eventually.Until(() => Types(first, job).SequenceEqual([WebhookEvents.Dispatched, WebhookEvents.RedispatchedAwayType]), Wait,
            "the first provider hears of the job and of its loss");
        await Eventually.Until(() => Types(second, job).SequenceEqual([WebhookEvents.Dispatched, WebhookEvents.Cancelled]), Wait,
            "the second provider hears of the job and of its end");
        Assert.All(first.All.Concat(second.All), r => Assert.True(r.Verified, $"delivery {r.Id} fails the recipe"));
        var dispatched = first.Verified.First(r => r.Type == WebhookEvents.Dispatched).Json;
        Assert.Equal((a, 1, claim.OrderId), (dispatched.GetProperty("providerId").GetString(), dispatched.GetProperty("attempt").GetInt32(),
            dispatched.GetProperty("data").GetProperty("orderId").GetString()));
        var cancelled = second.Verified.Single(r => r.Type == WebhookEvents.Cancelled).Json;
        Assert.Equal("MaxAttemptsReached", cancelled.GetProperty("data").GetProperty("reason").GetString());
        // Signed with the first provider's secret: the second's does not verify it.
        var sample = first.Verified[0];
        Assert.False(PlatformWebhook.Verify(second.Secret, sample.Timestamp, sample.Signature, sample.Body, DateTimeOffset.UtcNow, WebhookReceiver.Tolerance));

        // The same request, sent again later than the receiver's tolerance: refused; at once it would still pass.
        Assert.Equal(HttpStatusCode.OK, await first.Replay(sample));
        first.ClockSkew = WebhookReceiver.Tolerance + TimeSpan.FromSeconds(2);
        Assert.Equal(HttpStatusCode.Unauthorized, await first.Replay(sample));
        first.ClockSkew = TimeSpan.Zero;

        // The guide's other recipes, run as written, on the same delivery.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.Equal("True", await GuidePython(sample, first.Secret, now));
        Assert.Equal("False", await GuidePython(sample, first.Secret, now + (long)WebhookReceiver.Tolerance.TotalSeconds + 2));
        Assert.Equal(sample.Signature, await GuideOpenssl(sample, first.Secret));

        using var provider = service.As(PlatformRoles.Provider, a);
        var log = await provider.Get<Page<WebhookDeliveryView>>($"/providers/{a}/webhook/deliveries");
        Assert.Equal([WebhookEvents.RedispatchedAwayType, WebhookEvents.Dispatched], log.Items.Select(d => d.Type));
        Assert.All(log.Items, d => Assert.Equal((DeliveryStatus.Delivered, 1, 200), (d.Status, d.Attempts, d.LastStatusCode)));
    }

    [Fact]
    public async Task An_endpoint_that_was_down_gets_every_delivery_exactly_once_when_it_returns_and_can_ask_for_one_again()
    {
        var region = Repair.Unique("wh");
        var provider = Repair.Unique("pd");
        await service.RegisterProvider(provider, region);
        first.Secret = await Register(provider, first);
        await first.Down();
        using var attempts = AttemptsCounted(provider);

        // Alone in its province, each job ends escalated when its deadline passes: two events per job.
        var claims = new[] { Repair.Claim(region), Repair.Claim(region) };
        foreach (var claim in claims)
        {
            await probe.Publish(claim);
        }
        using var client = service.As(PlatformRoles.Provider, provider);
        await Eventually.Until(async () =>
            {
                var log = await client.Get<Page<WebhookDeliveryView>>($"/providers/{provider}/webhook/deliveries");
                return log.Items.Count == 4 && log.Items.All(d => d is { Status: DeliveryStatus.Pending, Attempts: >= 2, LastStatusCode: null, LastError: not null });
            }, Wait, "every delivery failed twice or more while the endpoint is down");

        await first.Up();
        IReadOnlyList<WebhookDeliveryView> delivered = [];
        await Eventually.Until(async () =>
            {
                delivered = (await client.Get<Page<WebhookDeliveryView>>($"/providers/{provider}/webhook/deliveries")).Items;
                return delivered.All(d => d.Status == DeliveryStatus.Delivered);
            }, Wait, "every delivery is delivered once the endpoint is back");

        var jobs = claims.Select(c => RepairJobs.NameBasedIds.JobForClaim(c.ClaimId)).ToHashSet();
        Assert.Equal(jobs.SelectMany(_ => new[] { WebhookEvents.Dispatched, WebhookEvents.Cancelled }).Order(),
            delivered.Select(d => d.Type).Order());
        Assert.All(first.All, r => Assert.True(r.Verified));
        Assert.Equal(delivered.Select(d => d.Id.ToString()).Order(), first.All.Select(r => r.Id).Order());

        var detail = await client.Get<WebhookDeliveryDetail>($"/providers/{provider}/webhook/deliveries/{delivered[0].Id}");
        Assert.True(detail.Attempts.Count >= 3, $"{detail.Attempts.Count} attempts");
        Assert.All(detail.Attempts.SkipLast(1), t => Assert.True(t.StatusCode is null && t.Error is not null, $"{t.StatusCode} {t.Error}"));
        Assert.Equal(200, detail.Attempts[^1].StatusCode);
        Assert.Equal(delivered[0].Id, detail.Body.GetProperty("id").GetGuid());

        // Asked for again: the same id once more, and only that one.
        using var redeliver = await client.Post($"/providers/{provider}/webhook/deliveries/{delivered[0].Id}/redeliver");
        Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        await Eventually.Until(() => first.All.Count(r => r.Id == delivered[0].Id.ToString()) == 2, Wait, "the redelivery arrives");
        await Eventually.Until(async () => (await client.Get<WebhookDeliveryDetail>($"/providers/{provider}/webhook/deliveries/{delivered[0].Id}"))
            .Delivery.Status == DeliveryStatus.Delivered, Wait, "the redelivery is recorded");
        Assert.Equal(delivered.Count + 1, first.All.Count);

        // The metric counts every attempt the log records, by its outcome.
        var logged = (await client.Get<Page<WebhookDeliveryView>>($"/providers/{provider}/webhook/deliveries")).Items.Sum(d => d.Attempts);
        await Eventually.Until(() => attempts.Counts() == (first.All.Count, logged - first.All.Count), Wait,
            $"{first.All.Count} delivered and {logged - first.All.Count} failed attempts counted");
    }

    [Fact]
    public async Task An_endpoint_that_hangs_holds_up_no_other_providers_deliveries()
    {
        var (hanging, prompt) = (Repair.Unique("wh"), Repair.Unique("wh"));
        var (stuck, fine) = (Repair.Unique("ph"), Repair.Unique("pf"));
        await service.RegisterProvider(stuck, hanging, capacity: 10);
        await service.RegisterProvider(fine, prompt);
        // Accepts connections and never answers: each attempt waits out the whole timeout.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            await Register(stuck, new Uri($"https://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/hooks"));
            second.Secret = await Register(fine, second);
            for (var i = 0; i < 6; i++)
            {
                await probe.Publish(Repair.Claim(hanging));
            }
            using var op = service.As(PlatformRoles.Operator, "operator-1");
            await Eventually.Until(async () => (await op.Get<Page<WebhookDeliveryView>>($"/providers/{stuck}/webhook/deliveries")).Items.Count >= 6,
                Wait, "six deliveries wait for the hanging endpoint");

            var claim = Repair.Claim(prompt);
            var started = Stopwatch.StartNew();
            await probe.Publish(claim);
            var job = RepairJobs.NameBasedIds.JobForClaim(claim.ClaimId);
            await Eventually.Until(() => Types(second, job).Contains(WebhookEvents.Dispatched), Wait, "the other provider's dispatch arrives");
            Assert.True(started.Elapsed < AttemptTimeout / 2, $"the other provider waited {started.Elapsed} behind the hanging endpoint");
            var stuckLog = await op.Get<Page<WebhookDeliveryView>>($"/providers/{stuck}/webhook/deliveries");
            Assert.All(stuckLog.Items, d => Assert.Equal((DeliveryStatus.Pending, 0), (d.Status, d.Attempts)));

            // Each attempt ends at the timeout, as a failure with no status code, and is tried again.
            await Eventually.Until(async () => (await op.Get<Page<WebhookDeliveryView>>($"/providers/{stuck}/webhook/deliveries")).Items
                .Count(d => d is { Status: DeliveryStatus.Pending, Attempts: >= 1, LastStatusCode: null } && d.LastError == $"No answer within {AttemptTimeout}.") >= 2,
                AttemptTimeout + Wait, "the hanging endpoint's attempts time out");
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public async Task Only_the_provider_itself_or_an_operator_touches_its_webhook()
    {
        var region = Repair.Unique("wh");
        var (owner, other) = (Repair.Unique("po"), Repair.Unique("px"));
        await service.RegisterProvider(owner, region);
        await service.RegisterProvider(other, region);
        await Register(owner, first);
        var path = $"/providers/{owner}/webhook";

        using var intruder = service.As(PlatformRoles.Provider, other);
        using (var put = await intruder.PutAsJsonAsync(path, new { url = "https://attacker.example/hooks" }))
        {
            await put.Problem(HttpStatusCode.Forbidden);
        }
        foreach (var read in new[] { path, $"{path}/deliveries", $"{path}/deliveries/{Guid.NewGuid()}" })
        {
            using var answer = await intruder.GetAsync(read);
            await answer.Problem(HttpStatusCode.Forbidden);
        }
        using (var rotate = await intruder.Post($"{path}/secret"))
        {
            await rotate.Problem(HttpStatusCode.Forbidden);
        }
        using (var redeliver = await intruder.Post($"{path}/deliveries/{Guid.NewGuid()}/redeliver"))
        {
            await redeliver.Problem(HttpStatusCode.Forbidden);
        }
        using (var remove = await intruder.DeleteAsync(path))
        {
            await remove.Problem(HttpStatusCode.Forbidden);
        }
        using var buyer = service.As(PlatformRoles.Buyer, owner);
        using (var asBuyer = await buyer.GetAsync($"{path}/deliveries"))
        {
            await asBuyer.Problem(HttpStatusCode.Forbidden);
        }
        using var anonymous = service.Anonymous();
        using (var unauthenticated = await anonymous.GetAsync($"{path}/deliveries"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        }

        using var self = service.As(PlatformRoles.Provider, owner);
        using (var plain = await self.PutAsJsonAsync(path, new { url = "http://127.0.0.1:9/hooks" }))
        {
            Assert.Contains("https", (await plain.Problem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("url")[0].GetString());
        }
        var registered = await self.Get<WebhookRegistrationView>(path);
        Assert.Equal((first.Url.ToString(), null), (registered.Url, registered.Secret));

        // Rotation answers a new secret, once; an operator may act for the provider.
        using var op = service.As(PlatformRoles.Operator, "operator-1");
        var rotated = await (await op.Post($"{path}/secret")).Read<WebhookRegistrationView>();
        Assert.StartsWith("whsec_", rotated.Secret);
        Assert.Null((await self.Get<WebhookRegistrationView>(path)).Secret);
        // A secret is shown once: no idempotency record keeps an answer that carried one.
        var database = await env.Database(Repair.Service);
        Assert.Equal(0L, await database.Scalar<long>("select count(*) from idempotency_records where position($1 in convert_from(body, 'UTF8')) > 0",
            rotated.Secret!));
        using var removed = await self.DeleteAsync(path);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        using var gone = await self.GetAsync(path);
        await gone.Problem(HttpStatusCode.NotFound);
    }

    private static string GuideBlock(string language)
    {
        var guide = File.ReadAllText(Path.Combine(WebhookGuideTests.RepositoryRoot(), "docs", "integrating", "webhooks.md"));
        var start = guide.IndexOf($"```{language}\n", StringComparison.Ordinal) + language.Length + 4;
        return guide[start..guide.IndexOf("```", start, StringComparison.Ordinal)];
    }

    /// <summary>The guide's Python function on a delivery, checked at <paramref name="now"/> (Unix seconds) with the guide's 300 s tolerance.</summary>
    private static Task<string> GuidePython(WebhookReceiver.Received delivery, string secret, long now) =>
        Run("python3", GuideBlock("python") + """

            import os, sys
            print(verify(os.environ["SECRET"], os.environ["TIMESTAMP"], os.environ["SIGNATURE"], open("body.json", "rb").read(), now=int(os.environ["NOW"])))
            """, delivery, secret, ("NOW", now.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static Task<string> GuideOpenssl(WebhookReceiver.Received delivery, string secret) => Run("sh", GuideBlock("sh"), delivery, secret);

    /// <summary>Runs a script in a directory holding the delivery's body as body.json, with its headers and the secret as variables.</summary>
    private static async Task<string> Run(string program, string script, WebhookReceiver.Received delivery, string secret, params (string Name, string Value)[] more)
    {
        var directory = Directory.CreateTempSubdirectory("webhook-recipe-");
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(directory.FullName, "body.json"), delivery.Body);
            var start = new ProcessStartInfo(program) { WorkingDirectory = directory.FullName, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-");
            foreach (var (name, value) in new[] { ("SECRET", secret), ("secret", secret), ("TIMESTAMP", delivery.Timestamp!), ("timestamp", delivery.Timestamp!), ("SIGNATURE", delivery.Signature!) }.Concat(more))
            {
                start.Environment[name] = value;
            }
            using var process = Process.Start(start)!;
            await process.StandardInput.WriteAsync(script);
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(process.ExitCode == 0, $"{program} exited {process.ExitCode}: {await errors}");
            return (await output).Trim();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The webhook attempts to one provider that the service's metric counts, delivered and failed.</summary>
    private sealed class AttemptCounter(MeterListener listener, ConcurrentDictionary<string, long> counted) : IDisposable
    {
        public (long Delivered, long Failed) Counts() => (counted.GetValueOrDefault("delivered"), counted.GetValueOrDefault("failed"));

        public void Dispose() => listener.Dispose();
    }

    private AttemptCounter AttemptsCounted(string providerId)
    {
        var counted = new ConcurrentDictionary<string, long>();
        var meter = service.Services.GetRequiredService<RepairDispatchMetrics>().Meter;
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == meter && instrument.Name == RepairDispatchMetrics.WebhookAttemptsName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var all = tags.ToArray();
            if (all.Any(t => t is { Key: "provider", Value: string p } && p == providerId))
            {
                counted.AddOrUpdate((string)all.Single(t => t.Key == "outcome").Value!, value, (_, sum) => sum + value);
            }
        });
        listener.Start();
        return new AttemptCounter(listener, counted);
    }

    private static string[] Types(WebhookReceiver receiver, Guid job) =>
        [.. receiver.Verified.Where(r => r.JobId == job).OrderBy(r => r.Json.GetProperty("attempt").GetInt32()).ThenBy(r => r.Type == WebhookEvents.Dispatched ? 0 : 1)
            .Select(r => r.Type)];

    /// <summary>Registers the receiver's URL as the provider itself and answers the secret, shown this once.</summary>
    private Task<string> Register(string providerId, WebhookReceiver receiver) => Register(providerId, receiver.Url);

    private async Task<string> Register(string providerId, Uri url)
    {
        using var client = service.As(PlatformRoles.Provider, providerId);
        using var response = await client.PutAsJsonAsync($"/providers/{providerId}/webhook", new { url });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var view = await response.Read<WebhookRegistrationView>();
        Assert.StartsWith("whsec_", view.Secret);
        return view.Secret!;
    }
}

/// <summary>The parts of webhooks that need no service: which URLs are endpoints, and the guide's recipe kept in step with the receiver's.</summary>
public sealed class WebhookGuideTests
{
    [Theory]
    [InlineData("https://hooks.example/repairs", false, true)]
    [InlineData("https://203.0.114.7:8443/hooks?provider=7", false, true)]
    [InlineData("http://hooks.example/repairs", false, false)]
    [InlineData("http://hooks.example:8080/hooks", true, true)]
    [InlineData("ftp://hooks.example/repairs", true, false)]
    [InlineData("https://user:secret@hooks.example/repairs", false, false)]
    [InlineData("https://hooks.example/repairs#top", false, false)]
    [InlineData("/hooks", false, false)]
    [InlineData("https://hooks.example/a\u0000b", false, false)]
    [InlineData("", false, false)]
    public void Only_an_https_url_is_an_endpoint_unless_http_is_allowed_for_development(string url, bool allowHttp, bool accepted) =>
        Assert.Equal(accepted, WebhookRegistrationEndpoints.UrlProblem(url, allowHttp, new WebhookAddresses([])) is null);

    [Theory]
    [InlineData("https://127.0.0.1:8443/hooks", null, false)]
    [InlineData("https://2130706433/hooks", null, false)]
    [InlineData("https://169.254.169.254/latest/meta-data", null, false)]
    [InlineData("https://10.20.30.40/hooks", null, false)]
    [InlineData("https://172.31.255.1/hooks", null, false)]
    [InlineData("https://192.168.1.1/hooks", null, false)]
    [InlineData("https://100.64.0.1/hooks", null, false)]
    [InlineData("https://0.0.0.0/hooks", null, false)]
    [InlineData("https://[::1]/hooks", null, false)]
    [InlineData("https://[::ffff:10.0.0.1]/hooks", null, false)]
    [InlineData("https://[fd00::1]/hooks", null, false)]
    [InlineData("https://[fe80::1]/hooks", null, false)]
    [InlineData("https://8.8.8.8/hooks", null, true)]
    [InlineData("https://[2606:4700::1111]/hooks", null, true)]
    [InlineData("https://127.0.0.1:8443/hooks", "127.0.0.0/8", true)]
    [InlineData("https://10.20.30.40/hooks", "10.20.0.0/16", true)]
    [InlineData("https://10.21.30.40/hooks", "10.20.0.0/16", false)]
    public void An_address_in_the_url_must_be_public_unless_its_network_is_allowed(string url, string? allowedNetwork, bool accepted) =>
        Assert.Equal(accepted, WebhookRegistrationEndpoints.UrlProblem(url, allowHttp: false,
            WebhookAddresses.From(new WebhookSettings { AllowedNetworks = allowedNetwork is null ? [] : [allowedNetwork] })) is null);

    [Fact]
    public void The_receivers_recipe_is_the_guides_word_for_word()
    {
        var guide = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "integrating", "webhooks.md"));
        var start = guide.IndexOf("public static class PlatformWebhook", StringComparison.Ordinal);
        var recipe = guide[start..guide.IndexOf("```", start, StringComparison.Ordinal)].Trim();
        var source = File.ReadAllText(Path.Combine(RepositoryRoot(), "tests", "RepairDispatch.Service.Tests", "WebhookReceiver.cs"));
        var from = source.IndexOf("// BEGIN GUIDE RECIPE", StringComparison.Ordinal) + "// BEGIN GUIDE RECIPE".Length;
        Assert.Equal(recipe, source[from..source.IndexOf("// END GUIDE RECIPE", StringComparison.Ordinal)].Trim());
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "Platform.sln")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException("The repository root is not above the test's directory.");
        }
        return directory.FullName;
    }
}
