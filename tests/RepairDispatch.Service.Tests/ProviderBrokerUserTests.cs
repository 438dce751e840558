using System.Net;
using System.Text;
using System.Text.Json;
using Platform.Contracts.Repair.V1;
using Platform.ServiceDefaults;
using Platform.Testing;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using RepairDispatch.Domain;
using RepairDispatch.Service.Features.ProviderReports;
using RepairDispatch.Service.ReadModels;
using RepairDispatch.Service.RepairJobs;

namespace RepairDispatch.Service.Tests;

/// <summary>
/// Each provider on the broker as its own user: what its permissions let it read and write, as a raw AMQP
/// client and as a MassTransit one; whose report the service believes; and the user going with the provider.
/// </summary>
public sealed class ProviderBrokerUserTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private const ushort AccessRefused = 403;
    private const ushort PreconditionFailed = 406;

    private readonly ConsumedMessages consumed = new();
    private TestEnvironment env = null!;
    private RunningService service = null!;
    private BusProbe probe = null!;
    private Store store = null!;

    public async Task InitializeAsync()
    {
        env = await TestEnvironment.Create();
        service = await Repair.Start(env, consumed);
        probe = await BusProbe.Start(env);
        store = await Store.Of(env);
    }

    public async Task DisposeAsync()
    {
        await probe.DisposeAsync();
        await service.DisposeAsync();
        await env.DisposeAsync();
    }

    [Fact]
    public async Task A_raw_AMQP_provider_reads_only_its_own_queue_and_writes_only_its_reports()
    {
        var p = Repair.Unique("p");
        var (regionA, regionB) = (Repair.Unique("ah"), Repair.Unique("fj"));
        var a = await service.RegisterProvider($"{p}-a", regionA);
        var b = await service.RegisterProvider($"{p}-b", regionB);

        // B reads its own queue, never A's.
        await using (var connection = await Connect(b))
        {
            await using (var own = await connection.CreateChannelAsync())
            {
                await own.BasicConsumeAsync(b.Queue, autoAck: false, new AsyncEventingBasicConsumer(own));
            }
            await Refused(connection, AccessRefused, channel => channel.BasicConsumeAsync(a.Queue, autoAck: false, new AsyncEventingBasicConsumer(channel)));
            await Refused(connection, AccessRefused, channel => channel.BasicGetAsync(a.Queue, autoAck: false));
            await Refused(connection, AccessRefused, channel => channel.QueuePurgeAsync(a.Queue));
            await Refused(connection, AccessRefused, channel => channel.QueueDeleteAsync(ProviderReportConsumer.Queue));
            // Nowhere but its reports: not A's, not the reports queue's exchange itself, not a type exchange such as
            // the verified completions Warranty resolves claims from, not the default exchange.
            foreach (var exchange in new[] { a.ReportsExchange, ProviderReportConsumer.Queue, "Platform.Contracts.Repair.V1:RepairJobCompleted", "" })
            {
                await Refused(connection, AccessRefused, channel => Publish(channel, exchange, b.User, routingKey: exchange == "" ? a.Queue : ""));
            }
            // And never under another user's name: the broker checks user_id against the connection.
            await Refused(connection, PreconditionFailed, channel => Publish(channel, b.ReportsExchange, a.User));
        }

        // A's own report, sent raw with A's user, is taken as A's.
        await using var queue = await ProviderQueue.Listen(probe, a.ProviderId);
        var claim = Repair.Claim(regionA);
        await probe.Publish(claim);
        var job = await queue.WaitFor(d => d.ClaimId == claim.ClaimId, "A's job reaches A");
        await using (var connection = await Connect(a))
        await using (var channel = await Confirmed(connection))
        {
            await Publish(channel, a.ReportsExchange, a.User, Envelope(new JobAccepted
            {
                JobId = job.JobId, Attempt = 1, ProviderId = a.ProviderId, OrderId = job.OrderId, AcceptedAt = DateTimeOffset.UtcNow,
            }));
        }
        using var asA = service.As(PlatformRoles.Provider, a.ProviderId);
        await Eventually.Until(async () => (await asA.Get<JobView>($"/jobs/{job.JobId}")).Accepted, Wait, "A's raw report is applied");
    }

    [Fact]
    public async Task A_report_for_As_job_sent_with_Bs_credentials_changes_nothing_is_kept_and_answered_to_B()
    {
        var p = Repair.Unique("p");
        var (regionA, regionB) = (Repair.Unique("hb"), Repair.Unique("hn"));
        var loginA = await service.RegisterProvider($"{p}-a", regionA);
        var loginB = await service.RegisterProvider($"{p}-b", regionB);
        await using var a = await ProviderBus.Start(env, loginA, q => q.Take<RepairJobDispatched>().Take<ReportRefused>());
        await using var b = await ProviderBus.Start(env, loginB, q => q.Take<RepairJobDispatched>().Take<ReportRefused>());
        var claim = Repair.Claim(regionA);
        await probe.Publish(claim);
        var job = await a.WaitFor<RepairJobDispatched>(d => d.ClaimId == claim.ClaimId, "A's job reaches A");
        var stream = RepairJobStream.StreamId(job.JobId);
        var before = await store.EventCount(stream);

        // B names A in the body: the body is not believed.
        var posingAsA = Guid.NewGuid();
        await b.Report(new JobAccepted { JobId = job.JobId, Attempt = 1, ProviderId = loginA.ProviderId, OrderId = job.OrderId, AcceptedAt = DateTimeOffset.UtcNow }, posingAsA);
        var answer = await b.WaitFor<ReportRefused>(r => r.ReportMessageId == posingAsA, "B is answered on its own queue");
        Assert.Equal((nameof(RepairDispatchRefusalCode.ReportForAnotherProvider), nameof(JobAccepted), job.JobId, job.OrderId, loginB.ProviderId),
            (answer.Code, answer.ReportType, answer.JobId, answer.OrderId, answer.ProviderId));

        // B names itself, on A's job: not its job.
        var asItself = Guid.NewGuid();
        await b.Report(new CustomerContacted
        {
            JobId = job.JobId, Attempt = 1, ProviderId = loginB.ProviderId, OrderId = job.OrderId,
            ContactedAt = DateTimeOffset.UtcNow, ServiceMode = ServiceMode.OnSite, BookedFor = DateTimeOffset.UtcNow.AddDays(1),
        }, asItself);
        Assert.Equal(nameof(RepairDispatchRefusalCode.NotYourJob),
            (await b.WaitFor<ReportRefused>(r => r.ReportMessageId == asItself, "B is answered again")).Code);

        // Sent with the platform's own user: no provider's, and no answer, there being no queue to answer on.
        var unidentified = Guid.NewGuid();
        var reports = await probe.Bus.GetSendEndpoint(new Uri($"exchange:{ProviderReportConsumer.Queue}"));
        await reports.Send(new JobAccepted { JobId = job.JobId, Attempt = 1, ProviderId = loginA.ProviderId, OrderId = job.OrderId, AcceptedAt = DateTimeOffset.UtcNow },
            context => context.MessageId = unidentified);
        var notAProvider = Guid.NewGuid();
        await reports.Send(new JobAccepted { JobId = job.JobId, Attempt = 1, ProviderId = loginA.ProviderId, OrderId = job.OrderId, AcceptedAt = DateTimeOffset.UtcNow },
            context =>
            {
                context.MessageId = notAProvider;
                Assert.True(context.TryGetPayload<RabbitMqSendContext>(out var rabbit));
                rabbit.BasicProperties.UserId = TestDatabase.Settings.RabbitUser;
            });

        await consumed.WaitFor<JobAccepted>(notAProvider);
        await consumed.WaitFor<JobAccepted>(unidentified);
        using var op = service.As(PlatformRoles.Operator, "operator-1");
        var refusals = await op.Get<List<JsonElement>>("/operations/refusals");
        string? CodeOf(Guid messageId) => refusals.SingleOrDefault(r => r.GetProperty("messageId").GetGuid() == messageId) is { ValueKind: JsonValueKind.Object } r
            ? r.GetProperty("code").GetString() : null;
        Assert.Equal(
            [nameof(RepairDispatchRefusalCode.ReportForAnotherProvider), nameof(RepairDispatchRefusalCode.NotYourJob),
                nameof(RepairDispatchRefusalCode.ReportSenderUnidentified), nameof(RepairDispatchRefusalCode.ReportSenderNotAProvider)],
            new[] { posingAsA, asItself, unidentified, notAProvider }.Select(CodeOf));
        Assert.Equal(2, b.Received<ReportRefused>().Count);
        Assert.Empty(a.Received<ReportRefused>());

        // Nothing happened to the job but the record of B's try on it; then A's own report, with A's user, is taken.
        Assert.Equal(before + 1, await store.EventCount(stream));
        using var asA = service.As(PlatformRoles.Provider, loginA.ProviderId);
        var unchanged = await asA.Get<JobView>($"/jobs/{job.JobId}");
        Assert.Equal((false, (DateTimeOffset?)null), (unchanged.Accepted, unchanged.BookedFor));
        await a.Report(new JobAccepted { JobId = job.JobId, Attempt = 1, ProviderId = loginA.ProviderId, OrderId = job.OrderId, AcceptedAt = DateTimeOffset.UtcNow });
        await Eventually.Until(async () => (await asA.Get<JobView>($"/jobs/{job.JobId}")).Accepted, Wait, "A's own report is applied");
    }

    [Fact]
    public async Task A_removed_provider_loses_its_broker_user_and_cannot_connect()
    {
        var login = await service.RegisterProvider(Repair.Unique("p"), Repair.Unique("xz"));
        var connected = await Connect(login);
        using var op = service.As(PlatformRoles.Operator, "operator-1");
        using (var removed = await op.DeleteAsync($"/providers/{login.ProviderId}"))
        {
            Assert.Equal(ProviderStatus.Suspended, (await removed.Read<ProviderView>()).Status);
        }

        using var management = TestVirtualHost.CreateManagementClient();
        using (var user = await management.GetAsync($"api/users/{Uri.EscapeDataString(login.User)}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, user.StatusCode);
        }
        await Eventually.Until(() => !connected.IsOpen, Wait, "the removed provider's open connection is closed");
        await connected.DisposeAsync();
        await Assert.ThrowsAsync<BrokerUnreachableException>(() => Connect(login));
    }

    [Fact]
    public async Task A_provider_rotates_its_password_and_only_the_new_one_connects()
    {
        var login = await service.RegisterProvider(Repair.Unique("p"), Repair.Unique("qh"));
        using var itself = service.As(PlatformRoles.Provider, login.ProviderId);
        using var other = service.As(PlatformRoles.Provider, "another-provider");
        using (var notYours = await other.Post($"/providers/{login.ProviderId}/broker-credentials"))
        {
            await notYours.Problem(HttpStatusCode.NotFound);
        }
        using var issued = await itself.Post($"/providers/{login.ProviderId}/broker-credentials", idempotencyKey: "rotate-1");
        var credentials = await issued.Read<RepairDispatch.Service.Providers.BrokerCredentials>();
        Assert.Equal(login.User, credentials.User);
        Assert.NotEqual(login.Password, credentials.Password);

        await Assert.ThrowsAsync<BrokerUnreachableException>(() => Connect(login));
        await using var connection = await Connect(login with { Password = credentials.Password! });
        Assert.True(connection.IsOpen);

        // The password is shown once and kept nowhere: the same request again issues another, and the
        // service's idempotency records hold neither.
        using var again = await itself.Post($"/providers/{login.ProviderId}/broker-credentials", idempotencyKey: "rotate-1");
        Assert.NotEqual(credentials.Password, (await again.Read<RepairDispatch.Service.Providers.BrokerCredentials>()).Password);
        var database = await env.Database(Repair.Service);
        Assert.Equal(0L, await database.Scalar<long>("select count(*) from idempotency_records where position($1 in convert_from(body, 'UTF8')) > 0",
            credentials.Password!));
    }

    private Task<IConnection> Connect(ProviderLogin login)
    {
        var settings = TestDatabase.Settings;
        return new ConnectionFactory
        {
            HostName = settings.RabbitHost, Port = settings.RabbitPort, VirtualHost = env.VirtualHost.Name, UserName = login.User, Password = login.Password,
            AutomaticRecoveryEnabled = false,
        }.CreateConnectionAsync();
    }

    private static Task<IChannel> Confirmed(IConnection connection) =>
        connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));

    /// <summary>The broker closes the channel with <paramref name="code"/>: 403 for a resource not permitted, 406 for a forged user_id.</summary>
    private static async Task Refused(IConnection connection, ushort code, Func<IChannel, Task> act)
    {
        await using var channel = await Confirmed(connection);
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => act(channel));
        await Eventually.Until(() => !channel.IsOpen, TimeSpan.FromSeconds(10), "the broker closes the channel");
        Assert.True(channel.CloseReason?.ReplyCode == code, $"expected {code}, got {channel.CloseReason}: {refused.Message}");
    }

    private static async Task Publish(IChannel channel, string exchange, string userId, byte[]? body = null, string routingKey = "") =>
        await channel.BasicPublishAsync(exchange, routingKey, mandatory: false,
            new BasicProperties { UserId = userId, MessageId = Guid.NewGuid().ToString(), ContentType = "application/vnd.masstransit+json", Persistent = true },
            body ?? "{}"u8.ToArray());

    /// <summary>A report as a non-.NET provider writes it: MassTransit's JSON envelope around the contract's record.</summary>
    private static byte[] Envelope<T>(T message) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        messageId = Guid.NewGuid(),
        messageType = new[] { $"urn:message:{typeof(T).Namespace}:{typeof(T).Name}" },
        message,
    }, Repair.Json));
}
