using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit.Serialization;

namespace Platform.Contracts.Tests;

public class SerializationTests
{
    public static TheoryData<string> Messages => [.. ContractCatalog.Messages.Select(m => m.FullName!)];

    public static TheoryData<string> Enums => [.. ContractCatalog.Enums.Select(e => e.FullName!)];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Round_trips_with_every_field(string messageName)
    {
        var type = ContractCatalog.Assembly.GetType(messageName)!;
        var sample = Samples.Create(type);

        var json = JsonSerializer.Serialize(sample, type, ContractJson.Options);
        AssertEveryPropertyWritten(type, JsonNode.Parse(json)!, type.Name);
        var back = JsonSerializer.Deserialize(json, type, ContractJson.Options)!;

        Assert.Equal(json, JsonSerializer.Serialize(back, type, ContractJson.Options));
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void MassTransit_writes_and_reads_the_format_the_schemas_describe(string messageName)
    {
        var type = ContractCatalog.Assembly.GetType(messageName)!;
        var sample = Samples.Create(type);
        var ours = JsonSerializer.Serialize(sample, type, ContractJson.Options);

        var theirs = JsonSerializer.Serialize(sample, type, SystemTextJsonMessageSerializer.Options);
        var readByThem = JsonSerializer.Deserialize(ours, type, SystemTextJsonMessageSerializer.Options)!;

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ours), JsonNode.Parse(theirs)), $"MassTransit writes {type.Name} differently:\n{theirs}\nthan the schema format:\n{ours}");
        Assert.Equal(ours, JsonSerializer.Serialize(readByThem, type, ContractJson.Options));
    }

    [Fact]
    public void A_message_missing_a_required_field_is_refused()
    {
        const string json = """{"orderId":"o-1"}""";

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Trade.V1.OrderShipped>(json, ContractJson.Options));
    }

    [Fact]
    public void Fields_other_platforms_add_later_are_ignored()
    {
        var json = """{"orderId":"o-1","shippedAt":"2024-03-01T02:00:00+00:00","carrier":"sf-express"}""";

        var message = JsonSerializer.Deserialize<Trade.V1.OrderShipped>(json, ContractJson.Options)!;

        Assert.Equal("o-1", message.OrderId);
    }

    [Theory]
    [MemberData(nameof(Enums))]
    public void Enums_are_written_and_read_by_name_whatever_the_options(string enumName)
    {
        var type = ContractCatalog.Assembly.GetType(enumName)!;
        // No converter registered: the names must come from the enum itself.
        JsonSerializerOptions[] optionSets = [ContractJson.Options, new JsonSerializerOptions(), SystemTextJsonMessageSerializer.Options];

        foreach (var options in optionSets)
        {
            foreach (var value in Enum.GetValues(type))
            {
                var json = JsonSerializer.Serialize(value, type, options);

                Assert.Equal($"\"{Enum.GetName(type, value)}\"", json);
                Assert.Equal(value, JsonSerializer.Deserialize(json, type, options));
            }
        }
    }

    [Fact]
    public void Wire_names_are_camel_case_and_local_dates_plain_dates()
    {
        var period = new Warranty.V1.CalendarPeriod
        {
            StartsAt = new DateTimeOffset(2024, 3, 8, 16, 0, 0, TimeSpan.Zero),
            EndsBefore = new DateTimeOffset(2025, 3, 8, 16, 0, 0, TimeSpan.Zero),
            FirstDay = new DateOnly(2024, 3, 9),
            LastDay = new DateOnly(2025, 3, 8),
        };

        var json = JsonSerializer.Serialize(period, ContractJson.Options);

        Assert.Equal("""{"startsAt":"2024-03-08T16:00:00+00:00","endsBefore":"2025-03-08T16:00:00+00:00","firstDay":"2024-03-09","lastDay":"2025-03-08"}""", json);
    }

    private static void AssertEveryPropertyWritten(Type type, JsonNode node, string path)
    {
        foreach (var property in ContractCatalog.Properties(type))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var value = node[name];
            Assert.True(value is not null, $"{path}.{name} was not written");
            var elementType = ContractCatalog.ElementType(property.PropertyType);
            if (!ContractCatalog.Records.Contains(elementType))
            {
                continue;
            }
            foreach (var item in value is JsonArray array ? array.ToList() : [value])
            {
                AssertEveryPropertyWritten(elementType, item!, $"{path}.{name}");
            }
        }
    }
}
