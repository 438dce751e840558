using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Platform.Contracts.Orders.V1;
using Platform.Testing;
using Contract = Platform.Contracts.Warranty.V1;

namespace Warranty.Service.Tests;

/// <summary>Orders, ids and HTTP reading shared by the test classes; every test makes its own ids.</summary>
internal static class Sample
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };


    public static string Id(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public static DateTimeOffset At(string instant) => DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture);

    public static DateOnly Day(string date) => DateOnly.Parse(date, CultureInfo.InvariantCulture);

    /// <summary>Shanghai has kept UTC+8 all year since 1991.</summary>
    public static DateOnly ShanghaiDate(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(TimeSpan.FromHours(8)).DateTime);

    public static CompletedOrderLine Line(
        string lineId,
        string category = "phones",
        int nationalMonths = 12,
        int merchantMonths = 0,
        ExtendedWarrantyPurchase? plan = null,
        bool refunded = false) => new()
    {
        LineId = lineId,
        Sku = $"sku-{lineId}",
        Title = $"Product of {lineId}",
        Category = category,
        Brand = "Huawei",
        UnitPrice = 3999m,
        Quantity = 1,
        ManufacturerWarrantyMonths = nationalMonths,
        MerchantWarrantyMonths = merchantMonths,
        ExtendedWarranty = plan,
        Refunded = refunded,
    };

    public static ExtendedWarrantyPurchase Plan(int years, decimal price) => new() { PlanYears = years, PricePaid = price, IncludesAccidentalDamage = false };

    public static OrderCompleted Order(string orderId, string buyerId, string merchantId, DateTimeOffset completedAt, params CompletedOrderLine[] lines) => new()
    {
        OrderId = orderId,
        BuyerId = buyerId,
        MerchantId = merchantId,
        ShippingRegion = "31",
        Lines = lines,
        CompletedAt = completedAt,
        ConfirmedBy = ReceiptConfirmedBy.Buyer,
    };

    /// <summary>Publishes the order and waits until the Warranty service announces every line that is not refunded.</summary>
    public static async Task Complete(BusProbe probe, OrderCompleted order)
    {
        await probe.Publish(order);
        foreach (var line in order.Lines.Where(l => !l.Refunded))
        {
            await probe.WaitFor<Contract.WarrantyActivated>(m => m.OrderId == order.OrderId && m.LineId == line.LineId, Wait,
                $"warranty activated for {order.OrderId}/{line.LineId}");
        }
    }

    public static object Claim(string orderId, string lineId, string fault = "QualityFault", string remedy = "Repair", string? buyerId = null) => new
    {
        orderId,
        lineId,
        buyerId,
        fault,
        faultDescription = "The screen flickers and goes dark.",
        remedyAsked = remedy,
        evidenceLinks = new[] { "https://evidence.example/flicker.mp4" },
    };

    public static async Task<HttpResponseMessage> FileClaim(this HttpClient client, object claim, Guid? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/claims") { Content = JsonContent.Create(claim) };
        if (key is { } id)
        {
            request.Headers.Add("Idempotency-Key", id.ToString());
        }
        return await client.SendAsync(request);
    }

    public static async Task<T> Read<T>(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    public static async Task<JsonElement> Problem(this HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
