using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Order.Domain;
using Order.Service.Tests.Support;
using Platform.Testing;
using Platform.ServiceDefaults;

namespace Order.Service.Tests;

/// <summary>GET /orders/{id}: the order's parties, customer service and operators see it; nobody else learns anything of it.</summary>
public sealed class OrderQueryTests : OrderServiceTest
{
    [Fact]
    public async Task The_buyer_the_merchant_and_customer_service_see_the_status_and_timeline_of_a_real_order()
    {
        var order = NewOrder();
        // Delivery reported before shipping: the timeline follows the trade system's times, not arrival.
        await Publish(order.Placed, order.Paid, order.Delivered, order.Shipped, order.Confirmed);
        await Completion(order.OrderId);

        foreach (var (role, subject) in new[]
        {
            (PlatformRoles.Buyer, order.BuyerId), (PlatformRoles.Merchant, order.MerchantId),
            (PlatformRoles.CustomerService, "cs-1"), (PlatformRoles.Operator, "operator-1"),
        })
        {
            var view = await ReadOrder(order.OrderId, role, subject);
            Assert.Equal((order.OrderId, OrderStatus.Completed, order.BuyerId, order.MerchantId), (view.OrderId, view.Status, view.BuyerId, view.MerchantId));
            Assert.Equal(
                [
                    (order.PlacedAt, OrderMilestone.Placed), (order.PaidAt, OrderMilestone.Paid), (order.ShippedAt, OrderMilestone.Shipped),
                    (order.DeliveredAt, OrderMilestone.Delivered), (order.ConfirmedAt, OrderMilestone.ReceiptConfirmed), (order.ConfirmedAt, OrderMilestone.Completed),
                ],
                view.Timeline.Select(entry => (entry.At, entry.Milestone)));
            Assert.Equal(["L1", "L2"], view.Lines.Select(line => line.LineId));
        }
    }

    [Fact]
    public async Task A_shipped_order_shows_when_it_will_be_confirmed_automatically()
    {
        var order = NewOrder();
        await Publish(order.Placed, order.Shipped);

        await WaitPlaced(order.OrderId);
        await Eventually.Until(async () => (await ReadOrder(order.OrderId)).Status == OrderStatus.Shipped, Patience, "the order is shipped");
        var view = await ReadOrder(order.OrderId, PlatformRoles.Buyer, order.BuyerId);
        Assert.Equal(order.ShippedAt + OrderPolicy.Default.AutoConfirmAfter, view.AutoConfirmAt);
        Assert.Null(view.Completion);
    }

    [Fact]
    public async Task Another_buyer_and_another_merchant_get_the_answer_of_an_absent_order()
    {
        var order = NewOrder();
        await Publish(order.Placed);
        await WaitPlaced(order.OrderId);
        var absentId = NewOrder().OrderId;
        var absent = await Problem(absentId, PlatformRoles.Buyer, "buyer-stranger");

        foreach (var (role, subject) in new[] { (PlatformRoles.Buyer, "buyer-stranger"), (PlatformRoles.Merchant, "merchant-stranger"), (PlatformRoles.Merchant, order.BuyerId) })
        {
            using var response = await GetOrder(order.OrderId, role, subject);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            // The trace id is random hex and says nothing of the order, but it held the price's digits once.
            var shown = JsonNode.Parse(body)!.AsObject();
            shown.Remove("traceId");
            foreach (var secret in new[] { order.BuyerId, order.MerchantId, TradeOrder.Region, "SKU-PHONE", "Phone X", "2999" })
            {
                Assert.DoesNotContain(secret, shown.ToJsonString(), StringComparison.Ordinal);
            }
            var problem = JsonDocument.Parse(body).RootElement;
            Assert.Equal(absent, Summary(problem, order.OrderId));
        }
    }

    [Fact]
    public async Task Without_a_token_the_answer_is_401()
    {
        var order = NewOrder();
        await Publish(order.Placed);
        await WaitPlaced(order.OrderId);

        using var response = await Service.Anonymous().GetAsync($"/orders/{order.OrderId}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(order.BuyerId, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_or_an_arbitrator_gets_403_with_the_reason()
    {
        var order = NewOrder();
        await Publish(order.Placed);
        await WaitPlaced(order.OrderId);

        foreach (var role in new[] { PlatformRoles.Provider, PlatformRoles.Arbitrator })
        {
            using var response = await GetOrder(order.OrderId, role, "someone");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("Only the order's buyer", body, StringComparison.Ordinal);
            Assert.DoesNotContain(order.BuyerId, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_blank_order_id_is_a_bad_request_naming_the_field()
    {
        using var response = await GetOrder(" ", PlatformRoles.Operator, "operator-1");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("id", out _));
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_endpoint_to_anyone()
    {
        // The document describes the API and holds no data; the reference page at /scalar reads it from a browser without a token.
        using var response = await Service.Anonymous().GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var get = document.GetProperty("paths").GetProperty("/orders/{id}").GetProperty("get");
        Assert.Equal("GetOrder", get.GetProperty("operationId").GetString());
        Assert.Equal(["200", "400", "401", "403", "404", "429", "503"], get.GetProperty("responses").EnumerateObject().Select(p => p.Name).Order());
    }

    private async Task<(int, string?, string?)> Problem(string orderId, string role, string subject)
    {
        using var response = await GetOrder(orderId, role, subject);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        return Summary(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement, orderId);
    }

    /// <summary>The problem as the caller sees it, with the id the caller asked for taken out.</summary>
    private static (int, string?, string?) Summary(JsonElement problem, string orderId) =>
        (problem.GetProperty("status").GetInt32(), problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString()?.Replace(orderId, "{id}", StringComparison.Ordinal));
}
