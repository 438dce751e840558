using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Identity;
using Platform.Testing;

namespace Platform.Foundation.Tests;

public sealed class ServiceDefaultsTests : IAsyncLifetime
{
    private TestDatabase database = null!;
    private TestVirtualHost virtualHost = null!;
    private TestIssuer issuer = null!;
    private WebApplication app = null!;
    private HttpClient client = null!;

    /// <summary>The first request to /held runs until this is set; the ones after answer at once.</summary>
    private readonly TaskCompletionSource held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int heldCalls;

    /// <summary>How often /kept/{id} has been decided, by id.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> keptAttempts = new(StringComparer.Ordinal);

    /// <summary>How many requests for /kept/{id}?together=true have arrived, by id.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> keptArrivals = new(StringComparer.Ordinal);

    /// <summary>The rows under a request's Idempotency-Key that its unit of work saw while it decided, by key.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> keyRowsWhileDeciding = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        database = await TestDatabase.Create(migrate: false);
        virtualHost = await TestVirtualHost.Create();
        issuer = await TestIssuer.Shared;
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        foreach (var (key, value) in issuer.ServiceEnvironment)
        {
            builder.Configuration[key] = value;
        }
        builder.Configuration["PLATFORM_AUTH_AUDIENCE"] = Audience;
        builder.Configuration["PLATFORM_RATE_LIMIT_PERMITS"] = RateLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Configuration["PLATFORM_RATE_LIMIT_WINDOW_SECONDS"] = "60";
        builder.Configuration[IdempotencySettings.WaitKey] = "1";
        builder.Configuration[IdempotencySettings.LeaseKey] = "3";
        builder.Configuration["PLATFORM_RABBITMQ_VHOST"] = virtualHost.Name;
        builder.Configuration[DeadLetterLimits.MaxSampleKey] = "3";
        builder.Configuration[DeadLetterLimits.MaxMoveKey] = "2";
        builder.Configuration[TransientRetry.LimitKey] = "2";
        builder.Configuration[TransientRetry.MinIntervalKey] = "2000";
        builder.Configuration[TransientRetry.MaxIntervalKey] = "2000";
        builder.Configuration[PlatformSettings.PgMaxPoolSizeKey] = PoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Configuration[RefusalListing.MaxLimitKey] = "3";
        builder.Configuration[PlatformSettings.MaxRequestBytesKey] = MaxRequestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.AddPlatformDefaults(new PlatformServiceOptions
        {
            ServiceName = "defaults-test",
            Database = database.Name,
            ConfigureConsumers = x => x.AddConsumer<AlwaysFails>(),
        });
        // Without a relay, an outbox row put in by a test stays: the lag check is what is under test.
        builder.Services.Remove(builder.Services.Single(d => d.ImplementationType == typeof(Platform.EventSourcing.OutboxRelay)));
        app = builder.Build();
        app.UsePlatformDefaults();
        app.MapGet("/whoami", (HttpContext context) => context.GetCaller());
        app.MapGet("/merchants-only", (HttpContext context) =>
            context.GetCaller().Is(PlatformRoles.Merchant) ? Results.Ok() : Results.Problem(statusCode: 403, detail: "Only merchants may call this."));
        app.MapPost("/echo", (EchoRequest request) => Results.Ok(request));
        app.MapPost("/held", async () =>
        {
            if (Interlocked.Increment(ref heldCalls) == 1)
            {
                await held.Task;
            }
            return Results.Ok();
        });
        // A unit of work that takes a row of kept_rows; its first decision takes ?taken instead, a row another took first.
        // A later decision that finds its row taken turns the request down, as a decider does a command already carried
        // out. With ?together=true the first two requests for an id wait for each other (up to 10 s) before they decide.
        app.MapPost("/kept/{id}", async (string id, string? taken, bool? together, HttpContext http, RequestPipeline pipeline, CancellationToken ct) =>
        {
            if (together == true)
            {
                keptArrivals.AddOrUpdate(id, 1, (_, n) => n + 1);
                var until = DateTime.UtcNow.AddSeconds(10);
                while (keptArrivals[id] < 2 && DateTime.UtcNow < until)
                {
                    await Task.Delay(20, ct);
                }
            }
            var key = http.Request.Headers[IdempotencyMiddleware.Header].ToString();
            return await pipeline.Run("kept-test", async (work, ct) =>
            {
                var attempt = keptAttempts.AddOrUpdate(id, 1, (_, n) => n + 1);
                keyRowsWhileDeciding[key] = await Count(work.Session, "select count(*)::int from idempotency_records where key = $1", key, ct);
                if (attempt > 1 && await Count(work.Session, "select count(*)::int from kept_rows where id = $1", id, ct) > 0)
                {
                    return Results.Conflict(new { row = id, attempt });
                }
                var row = attempt == 1 && taken is not null ? taken : id;
                work.Session.Take("kept_rows", row, "insert into kept_rows (id) values (?)", row);
                return Results.Created($"/kept/{row}", new { row, attempt });
            }, ct);
        }).AnswerKeptByUnitOfWork();
        // Marked as acting only through its unit of work, yet it says it acts after it: a mistake the pipeline refuses.
        app.MapPost("/kept-then-acts/{id}", (string id, RequestPipeline pipeline, CancellationToken ct) =>
            pipeline.Run("kept-then-acts-test", (work, _) =>
            {
                work.Session.Take("kept_rows", id, "insert into kept_rows (id) values (?)", id);
                return Task.FromResult(Results.Ok());
            }, ct, finalAnswer: false)).AnswerKeptByUnitOfWork();
        app.MapGet("/database-away", async (Npgsql.NpgsqlDataSource dataSource) =>
        {
            // Asks for longer than the command may take: what a saturated or unreachable database looks like to a caller.
            await using var command = dataSource.CreateCommand("select pg_sleep(5)");
            command.CommandTimeout = 1;
            await command.ExecuteNonQueryAsync();
            return Results.Ok();
        });
        await using (var table = database.DataSource.CreateCommand("create table if not exists kept_rows (id text primary key)"))
        {
            await table.ExecuteNonQueryAsync();
        }
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        client = new HttpClient(new IdempotencyKeys { InnerHandler = new HttpClientHandler() }) { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        held.TrySetResult();
        client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        await database.DisposeAsync();
        await virtualHost.DisposeAsync();
    }

    /// <summary>The test host answers for one of the platform's audiences: the issuer issues tokens for those only.</summary>
    private const string Audience = "order";

    /// <summary>
    /// Requests one caller may make a minute here: each test calls as parties of its own, and callers
    /// without an accepted token share one partition (the address), which the revocation test polls.
    /// </summary>
    private const int RateLimit = 100;

    /// <summary>Connections the host's pool opens at most: enough for the other tests here, few enough to take them all.</summary>
    private const int PoolSize = 5;

    /// <summary>The largest request body the host reads here, far below the default so a test can send more.</summary>
    private const int MaxRequestBytes = 4096;

    private Task<string> Token(string role, string party) => issuer.Client.TokenFor(role, party, Audience);

    private HttpRequestMessage Get(string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return request;
    }

    [Theory]
    [InlineData("{\"count\": ", "could not be read")]
    [InlineData("{\"count\": \"seven\"}", "$.count")]
    public async Task A_body_the_framework_cannot_read_answers_400_with_what_could_not_be_read(string body, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/echo") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Token(PlatformRoles.Buyer, "b-echo"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, MaxRequestBytes)]
    // Kestrel counts a chunked body's framing (each chunk's size line) toward the limit.
    [InlineData(true, MaxRequestBytes - 64)]
    public async Task A_body_over_the_configured_size_answers_413_and_one_within_it_is_read(bool chunked, int accepted)
    {
        var token = await Token(PlatformRoles.Buyer, $"b-size-{chunked}");
        async Task<HttpResponseMessage> Post(int bytes)
        {
            var body = "{\"count\": 7" + new string(' ', bytes - 12) + "}";
            var request = new HttpRequestMessage(HttpMethod.Post, "/echo") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            // Without a length up front, the limit is met while the body is read, not from its header.
            request.Headers.TransferEncodingChunked = chunked;
            return await client.SendAsync(request);
        }

        using var within = await Post(accepted);
        using var over = await Post(MaxRequestBytes + 1);

        Assert.Equal(HttpStatusCode.OK, within.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.StatusCode);
        Assert.Equal("application/problem+json", over.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_database_that_does_not_answer_in_time_makes_a_503_with_retry_after_not_a_500()
    {
        using var response = await client.SendAsync(Get("/database-away", await Token(PlatformRoles.Buyer, "b-database")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task An_endpoint_without_credentials_answers_401()
    {
        using var response = await client.SendAsync(Get("/whoami", null));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_token_from_the_issuer_names_the_caller()
    {
        using var response = await client.SendAsync(Get("/whoami", await Token(PlatformRoles.Buyer, "buyer-7")));
        response.EnsureSuccessStatusCode();
        var caller = JsonSerializer.Deserialize<Caller>(await response.Content.ReadAsStringAsync(), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        Assert.Equal(new Caller(PlatformRoles.Buyer, "buyer-7"), caller);
    }

    [Fact]
    public void A_service_keeps_no_data_protection_key_ring_since_it_issues_no_cookie()
    {
        // Its key ring is made at start-up: XML and a key file under the home directory, written unencrypted.
        Assert.Null(app.Services.GetService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>());
        Assert.DoesNotContain(app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(),
            service => service.GetType().Namespace!.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_for_another_service_one_signed_by_an_unknown_key_and_garbage_are_refused_with_401()
    {
        var good = await Token(PlatformRoles.Operator, "op-refused");
        using (var accepted = await client.SendAsync(Get("/whoami", good)))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }
        var refused = new Dictionary<string, string>
        {
            ["for another service"] = await issuer.Client.TokenFor(PlatformRoles.Operator, "op-refused", "warranty"),
            ["signed by an unknown key"] = issuer.SignedByUnknownKey(Audience, PlatformRoles.Operator, "op-refused"),
            ["the right token with its signature cut"] = good[..good.LastIndexOf('.')] + ".",
            ["garbage"] = "not-a-token",
        };
        foreach (var (what, token) in refused)
        {
            using var response = await client.SendAsync(Get("/whoami", token));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"a token {what}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_token_is_taken_until_it_expires_and_refused_with_401_after()
    {
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        await issuer.Client.Register("short-lived", new ClientRegistration(secret, PlatformRoles.Merchant, "m-short", [Audience], TimeSpan.FromSeconds(3)));
        var token = await issuer.Client.RequestToken("short-lived", secret, Audience);

        using (var fresh = await client.SendAsync(Get("/whoami", token.AccessToken)))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }
        // The services allow a second of clock skew (TestIssuer), so the token is refused a second after it expires. Its
        // expiry is the one it carries: the client's estimate counts from when it asked, and under load the issuer
        // signed it later than that.
        var expires = new JsonWebToken(token.AccessToken).ValidTo;
        await Eventually.Until(() => DateTime.UtcNow > expires + TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(20), "the token's lifetime passes");
        using var expired = await client.SendAsync(Get("/whoami", token.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task Removing_a_client_revokes_its_unexpired_tokens_and_no_other_clients()
    {
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        await issuer.Client.Register("to-revoke", new ClientRegistration(secret, PlatformRoles.Merchant, "m-revoked", [Audience]));
        var revoked = (await issuer.Client.RequestToken("to-revoke", secret, Audience)).AccessToken;
        var other = await Token(PlatformRoles.Merchant, "m-kept");
        using (var before = await client.SendAsync(Get("/whoami", revoked)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await issuer.Client.Remove("to-revoke");

        await Eventually.Until(async () =>
        {
            using var response = await client.SendAsync(Get("/whoami", revoked));
            return response.StatusCode == HttpStatusCode.Unauthorized;
        }, TimeSpan.FromSeconds(20), "the revoked client's token is refused before it expires");
        using var kept = await client.SendAsync(Get("/whoami", other));
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => issuer.Client.RequestToken("to-revoke", secret, Audience));
    }

    [Fact]
    public async Task A_burst_over_the_callers_limit_gets_429_with_retry_after_while_calls_under_it_and_other_callers_succeed()
    {
        var burst = await Token(PlatformRoles.Buyer, "b-burst");
        for (var i = 0; i < RateLimit; i++)
        {
            using var under = await client.SendAsync(Get("/whoami", burst));
            Assert.True(under.StatusCode == HttpStatusCode.OK, $"call {i + 1} of {RateLimit}: {(int)under.StatusCode}");
        }

        using var over = await client.SendAsync(Get("/whoami", burst));
        using var another = await client.SendAsync(Get("/whoami", await Token(PlatformRoles.Buyer, "b-calm")));

        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.InRange(over.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, another.StatusCode);
    }

    [Fact]
    public async Task A_caller_in_the_wrong_role_gets_a_problem_with_the_reason()
    {
        using var response = await client.SendAsync(Get("/merchants-only", await Token(PlatformRoles.Buyer, "b-wrong-role")));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Only merchants", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_is_the_database_alone_and_the_report_adds_the_bus_and_the_outbox()
    {
        using var live = await client.GetAsync(Extensions.LivePath);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        await Eventually.Until(async () =>
        {
            using var ready = await client.GetAsync(Extensions.ReadyPath);
            return ready.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30), "the service is ready");
        Assert.Equal([PlatformHealth.DatabaseCheck], await CheckNames(Extensions.ReadyPath));
        Assert.Equal([PlatformHealth.BusCheck, PlatformHealth.DatabaseCheck, PlatformHealth.OutboxCheck], (await CheckNames(PlatformHealth.ReportPath)).Order());
    }

    [Fact]
    public async Task A_due_message_waiting_longer_than_the_bound_degrades_the_report_and_its_gauge_and_readiness_stays_up()
    {
        await using (var command = database.DataSource.CreateCommand(
            "insert into outbox (id, due_at, scheduled, message_type, body, headers, created_at) values ($1, now() - interval '5 minutes', false, 'unknown-type', '{}', '{}', now())"))
        {
            command.Parameters.Add(new() { Value = Guid.NewGuid() });
            await command.ExecuteNonQueryAsync();
        }

        using (var ready = await client.GetAsync(Extensions.ReadyPath))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        using var report = await client.GetAsync(PlatformHealth.ReportPath);
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        var body = JsonDocument.Parse(await report.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Degraded", body.GetProperty("status").GetString());
        var outbox = body.GetProperty("checks").GetProperty(PlatformHealth.OutboxCheck);
        Assert.Equal("Degraded", outbox.GetProperty("status").GetString());
        Assert.StartsWith("outbox lag 30", outbox.GetProperty("description").GetString(), StringComparison.Ordinal);

        // The same lag as a gauge, from the checks the publisher runs on its own timer.
        var lag = 0.0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        var meters = app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == PlatformHealth.OutboxLagName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => lag = value);
        listener.Start();
        await Eventually.Until(() =>
        {
            listener.RecordObservableInstruments();
            return lag >= 300;
        }, TimeSpan.FromSeconds(30), "the outbox lag gauge shows the row's five minutes");
    }

    /// <summary>A POST as a caller sends it: the caller's token and an Idempotency-Key.</summary>
    private static HttpRequestMessage Post(string path, string token, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add(IdempotencyMiddleware.Header, key);
        return request;
    }

    private static HttpRequestMessage Held(string token, string key) => Post("/held", token, key);

    /// <summary>Sends a first request to /held under a new key and waits until it is running.</summary>
    private async Task<(string Token, string Key, Task<HttpResponseMessage> First)> HoldAKey(string party)
    {
        var token = await Token(PlatformRoles.Buyer, party);
        var key = Guid.NewGuid().ToString();
        var first = client.SendAsync(Held(token, key));
        await Eventually.Until(() => Volatile.Read(ref heldCalls) == 1, TimeSpan.FromSeconds(10), "the first request is running");
        return (token, key, first);
    }

    /// <summary>The host waits 1 s for a first answer (the default 20 s would take this test past its bound).</summary>
    [Fact]
    public async Task A_second_request_under_a_key_in_hand_waits_the_configured_time_and_is_told_to_come_back()
    {
        var (token, key, first) = await HoldAKey("b-idempotency-wait");

        var waited = System.Diagnostics.Stopwatch.StartNew();
        using var second = await client.SendAsync(Held(token, key));
        waited.Stop();

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains(IdempotencyMiddleware.InProgressCode, await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.InRange(waited.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        held.SetResult();
        using var answered = await first;
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(1, heldCalls);
    }

    private static async Task<int> Count(Platform.EventSourcing.Session session, string sql, string value, CancellationToken ct)
    {
        await using var command = new Npgsql.NpgsqlCommand(sql, session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = value });
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }

    private async Task<HttpResponseMessage> Kept(string token, string key, string id, string? taken = null, bool together = false)
    {
        using var request = Post(taken is not null ? $"/kept/{id}?taken={taken}" : together ? $"/kept/{id}?together=true" : $"/kept/{id}",
            token, key);
        return await client.SendAsync(request);
    }

    /// <summary>
    /// What a request did and what it answered commit together: a process that stops right after the commit leaves an
    /// answer to replay, not a claim that a retry must wait out and run again. PostgreSQL's xmin names the transaction
    /// that wrote a row.
    /// </summary>
    [Fact]
    public async Task A_requests_answer_under_its_key_commits_in_the_requests_own_unit_of_work()
    {
        var token = await Token(PlatformRoles.Buyer, "b-idempotency-kept");
        var key = Guid.NewGuid().ToString();
        var id = Guid.NewGuid().ToString();

        using var answered = await Kept(token, key, id);

        Assert.Equal(HttpStatusCode.Created, answered.StatusCode);
        Assert.Equal(201, await database.Scalar<int>("select status from idempotency_records where key = $1", key));
        var written = await database.Scalar<string>("select xmin::text from kept_rows where id = $1", id);
        Assert.Equal(written, await database.Scalar<string>("select xmin::text from idempotency_records where key = $1", key));
    }

    /// <summary>
    /// An endpoint that acts only through its unit of work (<see cref="IdempotencyMiddleware.KeptByUnitOfWork"/>) takes its
    /// key with that commit: nothing is written under the key before, which is one transaction fewer a request.
    /// </summary>
    [Fact]
    public async Task An_endpoint_that_acts_only_through_its_unit_of_work_takes_its_key_with_that_commit_and_not_before()
    {
        var token = await Token(PlatformRoles.Buyer, "b-idempotency-taken-late");
        var key = Guid.NewGuid().ToString();

        using var answered = await Kept(token, key, Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.Created, answered.StatusCode);
        Assert.Equal(0, keyRowsWhileDeciding[key]);
        Assert.Equal(201, await database.Scalar<int>("select status from idempotency_records where key = $1", key));
    }

    /// <summary>
    /// Two requests under one key at once both decide; the second to commit finds the key taken, rolls back what it did and
    /// answers what the first answered, so the work is done once and both callers get one answer.
    /// </summary>
    [Fact]
    public async Task Two_requests_under_one_key_at_once_do_the_work_once_and_both_answer_what_the_first_to_commit_answered()
    {
        var token = await Token(PlatformRoles.Buyer, "b-idempotency-together");
        var key = Guid.NewGuid().ToString();
        var id = Guid.NewGuid().ToString();

        var both = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            using var response = await Kept(token, key, id, together: true);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(), response.Headers.Location);
        }));

        Assert.Equal(HttpStatusCode.Created, both[0].StatusCode);
        Assert.Equal(both[0], both[1]);
        // Both decided (the second again if it decided before the first committed); only the first committed.
        Assert.True(keptAttempts[id] >= 2, $"decided {keptAttempts[id]} times: each request at least once");
        Assert.Equal(1, await database.Scalar<int>("select count(*)::int from kept_rows where id = $1", id));
    }

    /// <summary>An endpoint whose key is taken by its commit cannot act after that commit: the key would guard nothing then.</summary>
    [Fact]
    public async Task An_endpoint_marked_as_acting_only_through_its_unit_of_work_that_acts_after_it_fails_before_it_writes()
    {
        var token = await Token(PlatformRoles.Buyer, "b-idempotency-misused");
        var id = Guid.NewGuid().ToString();
        using var request = Post($"/kept-then-acts/{id}", token, Guid.NewGuid().ToString());

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(0, await database.Scalar<int>("select count(*)::int from kept_rows where id = $1", id));
    }

    /// <summary>The first decision loses its race at the commit; the answer is the second decision's alone, and so is its replay.</summary>
    [Fact]
    public async Task A_request_decided_again_after_a_lost_race_answers_and_keeps_its_last_decision_only()
    {
        var token = await Token(PlatformRoles.Buyer, "b-idempotency-race");
        var key = Guid.NewGuid().ToString();
        var id = Guid.NewGuid().ToString();
        var taken = Guid.NewGuid().ToString();
        await database.Scalar<int>("with inserted as (insert into kept_rows (id) values ($1) returning 1) select count(*)::int from inserted", taken);

        using var answered = await Kept(token, key, id, taken);
        using var replayed = await Kept(token, key, id, taken);

        Assert.Equal(HttpStatusCode.Created, answered.StatusCode);
        var body = await answered.Content.ReadAsStringAsync();
        using (var json = System.Text.Json.JsonDocument.Parse(body))
        {
            Assert.Equal(id, json.RootElement.GetProperty("row").GetString());
            Assert.Equal(2, json.RootElement.GetProperty("attempt").GetInt32());
        }
        Assert.Equal($"/kept/{id}", answered.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Created, replayed.StatusCode);
        Assert.Equal(body, await replayed.Content.ReadAsStringAsync());
        Assert.Equal(answered.Headers.Location, replayed.Headers.Location);
        Assert.Equal(answered.Content.Headers.ContentType, replayed.Content.Headers.ContentType);
        // The replay decided a third time, found the key taken at its commit and rolled back: the row is written once.
        Assert.Equal(3, keptAttempts[id]);
        Assert.Equal(1, await database.Scalar<int>("select count(*)::int from kept_rows where id = $1", id));
    }

    /// <summary>The host's claims last 3 s (the default 60 s would outlast the deadline): a retry after that runs the request.</summary>
    [Fact]
    public async Task A_claim_held_past_the_configured_lease_is_taken_over_by_a_retry()
    {
        var (token, key, first) = await HoldAKey("b-idempotency-lease");

        await Eventually.Until(async () =>
        {
            using var retry = await client.SendAsync(Held(token, key));
            return retry.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(20), "a retry after the lease runs the request");

        Assert.Equal(2, heldCalls);
        held.SetResult();
        using var answered = await first;
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    /// <summary>The host lists at most 3 dead letters a queue and moves back at most 2 (the defaults, 50 and 1000, would take all 3 each time).</summary>
    [Fact]
    public async Task Dead_letters_are_listed_and_moved_back_no_more_than_the_configured_limits_allow()
    {
        var token = await Token(PlatformRoles.Operator, "ops-dead-letters");
        var bus = app.Services.GetRequiredService<MassTransit.IBus>();
        var queue = Assert.Single(app.Services.GetRequiredService<EndpointDefaults>().Queues) + "_error";
        for (var i = 0; i < 4; i++)
        {
            await bus.Publish(new Platform.TestHost.Messages.TestMessage(Guid.NewGuid(), i));
        }
        // MassTransit declares the _error queue with the first message it moves there: until then it is not listed.
        async Task<JsonElement?> Listed(string query)
        {
            using var response = await client.SendAsync(Get($"{DeadLetterEndpoints.Path}{query}", token));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray()
                .Where(q => q.GetProperty("queue").GetString() == queue).Cast<JsonElement?>().SingleOrDefault();
        }
        await Eventually.Until(async () => (await Listed("?sample=0"))?.GetProperty("messages").GetInt64() == 4, TimeSpan.FromSeconds(30), "the four messages are dead-lettered");

        using (var overSample = await client.SendAsync(Get($"{DeadLetterEndpoints.Path}?sample=4", token)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, overSample.StatusCode);
            Assert.Contains("sample must be 0 to 3", await overSample.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(3, (await Listed(""))?.GetProperty("sample").GetArrayLength());

        using (var overMax = new HttpRequestMessage(HttpMethod.Post, $"{DeadLetterEndpoints.Path}/{queue}/move?max=3"))
        {
            overMax.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var refused = await client.SendAsync(overMax);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("max must be 1 to 2", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using var move = new HttpRequestMessage(HttpMethod.Post, $"{DeadLetterEndpoints.Path}/{queue}/move");
        move.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var moved = await client.SendAsync(move);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(2, JsonDocument.Parse(await moved.Content.ReadAsStringAsync()).RootElement.GetProperty("moved").GetInt32());
    }

    /// <summary>
    /// The host retries a transient fault twice, 2 s apart; MassTransit varies each interval by up to a quarter, so at
    /// least 1.5 s (by default: five times, the first two 0.3 to 1.2 s apart).
    /// </summary>
    [Fact]
    public async Task A_transient_database_fault_is_retried_as_often_and_as_slowly_as_configured_then_dead_lettered()
    {
        var runId = Guid.NewGuid();
        var queue = Assert.Single(app.Services.GetRequiredService<EndpointDefaults>().Queues) + "_error";
        var queues = new ErrorQueues(app.Services.GetRequiredService<PlatformSettings>());
        await app.Services.GetRequiredService<MassTransit.IBus>().Publish(new Platform.TestHost.Messages.TestMessage(runId, 1));

        await Eventually.Until(async () => (await queues.Depths([queue], CancellationToken.None)).SingleOrDefault().Messages == 1,
            TimeSpan.FromSeconds(30), "the message is dead-lettered after its retries");

        var tries = AlwaysFails.Tries[runId].ToArray();
        Assert.Equal(3, tries.Length);
        Assert.All(tries.Zip(tries.Skip(1), System.Diagnostics.Stopwatch.GetElapsedTime), gap => Assert.True(gap >= TimeSpan.FromMilliseconds(1400), $"{gap} between tries"));
    }

    /// <summary>With the host's pool of 5 taken, a sixth open waits for one to come back (by default, 50, it would open at once).</summary>
    [Fact]
    public async Task The_pool_opens_no_more_connections_than_configured_and_the_next_one_waits_for_a_connection_returned()
    {
        var dataSource = app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        var taken = new List<Npgsql.NpgsqlConnection>();
        try
        {
            for (var i = 0; i < PoolSize; i++)
            {
                taken.Add(await dataSource.OpenConnectionAsync());
            }
            using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dataSource.OpenConnectionAsync(patience.Token).AsTask());
            }
            var waiting = dataSource.OpenConnectionAsync().AsTask();
            Assert.False(waiting.IsCompleted);
            await taken[0].DisposeAsync();
            taken.Add(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        }
        finally
        {
            foreach (var connection in taken)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>The host lists at most 3 refusals (by default 1000, and 100 without a limit, would list all 4).</summary>
    [Fact]
    public async Task Refusals_are_listed_no_more_than_the_configured_maximum_and_a_larger_limit_is_answered_400()
    {
        await using (var insert = database.DataSource.CreateCommand(
            "insert into refusals (message_type, code, reason, refused_at) select 'test.refused', 'Test', 'refusal ' || n, now() from generate_series(1, 4) n"))
        {
            await insert.ExecuteNonQueryAsync();
        }
        var token = await Token(PlatformRoles.Operator, "ops-refusals");

        foreach (var limit in new[] { "4", "0" })
        {
            using var refused = await client.SendAsync(Get($"/operations/refusals?limit={limit}", token));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("limit must be from 1 to 3", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        foreach (var query in new[] { "?limit=3", "" })
        {
            using var listed = await client.SendAsync(Get($"/operations/refusals{query}", token));
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
            Assert.Equal(3, JsonDocument.Parse(await listed.Content.ReadAsStringAsync()).RootElement.GetArrayLength());
        }
    }

    private async Task<List<string>> CheckNames(string path)
    {
        using var response = await client.GetAsync(path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").EnumerateObject().Select(p => p.Name).ToList();
    }
}

public sealed record EchoRequest(int Count);

/// <summary>
/// The test host's one consumer: every message meets what looks like a database that does not answer, is retried
/// as a transient fault, and then goes to its _error queue. When each try began is kept by the message's run id
/// (on the monotonic clock: the wall clock may be adjusted meanwhile).
/// </summary>
public sealed class AlwaysFails : MassTransit.IConsumer<Platform.TestHost.Messages.TestMessage>
{
    public static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, System.Collections.Concurrent.ConcurrentQueue<long>> Tries = new();

    public Task Consume(MassTransit.ConsumeContext<Platform.TestHost.Messages.TestMessage> context)
    {
        Tries.GetOrAdd(context.Message.RunId, _ => new()).Enqueue(System.Diagnostics.Stopwatch.GetTimestamp());
        throw new TimeoutException("the database did not answer in time");
    }
}
