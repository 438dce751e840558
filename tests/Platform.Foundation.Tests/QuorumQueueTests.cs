using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.ServiceDefaults;
using Platform.Testing;
using Platform.TestHost.Messages;

namespace Platform.Foundation.Tests;

public sealed class QuorumQueueTests
{
    [Theory]
    [InlineData("true", "quorum")]
    [InlineData(null, "classic")]
    public async Task The_quorum_setting_decides_the_type_of_every_queue_a_service_declares(string? setting, string expectedType)
    {
        await using var database = await TestDatabase.Create();
        await using var virtualHost = await TestVirtualHost.Create();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["PLATFORM_RABBITMQ_VHOST"] = virtualHost.Name;
        builder.Configuration["PLATFORM_RABBITMQ_QUORUM_QUEUES"] = setting;
        builder.AddPlatformDefaults(new PlatformServiceOptions
        {
            ServiceName = "quorum-test",
            Database = database.Name,
            ConfigureConsumers = x => x.AddConsumer<ApplyingConsumer>(),
            ConfigureBus = (context, cfg) => cfg.ReceiveEndpoint("quorum-test-by-hand", e =>
            {
                context.GetRequiredService<EndpointDefaults>().Apply(e);
                e.Handler<TestMessage>(_ => Task.CompletedTask);
            }),
        });
        builder.Services.AddSingleton(new Deliveries { RunId = Guid.NewGuid() });
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            using var management = TestVirtualHost.CreateManagementClient();
            foreach (var name in new[] { "quorum-test-applying", "quorum-test-by-hand" })
            {
                var queue = await management.GetFromJsonAsync<JsonElement>($"api/queues/{virtualHost.Name}/{name}");
                Assert.Equal(expectedType, queue.GetProperty("type").GetString());
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
