using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Platform.Contracts.Tests;

/// <summary>The conventions of contracts/README.md, checked on every public type.</summary>
public partial class ConventionTests
{
    private static readonly Type[] Scalars =
        [typeof(string), typeof(Guid), typeof(int), typeof(decimal), typeof(bool), typeof(DateTimeOffset), typeof(DateOnly), typeof(Uri)];

    // Ids the platform creates; every other id comes from the trade system or configuration and is a string.
    private static readonly string[] PlatformIds = ["ClaimId", "JobId", "CaseId", "RequestId", "ReopenRequestId"];

    private static readonly string[] TradeIds = ["OrderId", "LineId", "BuyerId", "MerchantId", "Sku"];

    [Fact]
    public void The_catalog_sees_every_context()
    {
        var contexts = ContractCatalog.Messages.Select(ContractCatalog.ContextOf).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(["Arbitration.V1", "Orders.V1", "Payments.V1", "Repair.V1", "Trade.V1", "Warranty.V1"], contexts);
    }

    [Fact]
    public void Every_public_type_lives_in_a_versioned_context_namespace()
    {
        var unversioned = ContractCatalog.PublicTypes.Where(t => !VersionedNamespace().IsMatch(t.Namespace ?? "")).Select(t => t.FullName);

        Assert.Empty(unversioned);
    }

    [Fact]
    public void Every_public_type_is_a_sealed_record_or_an_enum()
    {
        var others = ContractCatalog.PublicTypes.Where(t => !t.IsEnum && !(ContractCatalog.Records.Contains(t) && t.IsSealed)).Select(t => t.FullName);

        Assert.Empty(others);
    }

    [Fact]
    public void Records_hold_data_only()
    {
        string[] generated = ["ToString", "Equals", "GetHashCode", "<Clone>$"];
        var methods = ContractCatalog.Records
            .SelectMany(r => r.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => !m.IsSpecialName && !generated.Contains(m.Name))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}");

        Assert.Empty(methods);
    }

    [Fact]
    public void Properties_are_immutable()
    {
        var mutable = ContractCatalog.Records.SelectMany(ContractCatalog.Properties)
            .Where(p => p.SetMethod is { } setter && !setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)))
            .Select(Name);

        Assert.Empty(mutable);
    }

    [Fact]
    public void Properties_use_only_the_wire_types_of_the_conventions()
    {
        // Money is decimal, instants DateTimeOffset, local dates DateOnly: no DateTime, double or float.
        var offending = ContractCatalog.Records.SelectMany(ContractCatalog.Properties)
            .Where(p => !IsAllowed(p.PropertyType))
            .Select(p => $"{Name(p)}: {p.PropertyType}");

        Assert.Empty(offending);
    }

    [Fact]
    public void Ids_the_platform_creates_are_guids_and_trade_ids_are_strings()
    {
        var properties = ContractCatalog.Records.SelectMany(ContractCatalog.Properties).ToList();

        Assert.Empty(properties.Where(p => PlatformIds.Contains(p.Name) && (Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType) != typeof(Guid)).Select(Name));
        Assert.Empty(properties.Where(p => TradeIds.Contains(p.Name) && p.PropertyType != typeof(string)).Select(Name));
    }

    [Fact]
    public void Messages_carry_their_flow_ids()
    {
        // A provider's standing is not part of any order's flow.
        Type[] outsideOrderFlows = [typeof(Repair.V1.ProviderSuspended)];
        var missing = new List<string>();
        foreach (var message in ContractCatalog.Messages)
        {
            var names = ContractCatalog.Properties(message).Select(p => p.Name).ToHashSet();
            var context = ContractCatalog.ContextOf(message);
            var flowIds = new List<string>();
            if (!outsideOrderFlows.Contains(message))
            {
                flowIds.Add("OrderId");
            }
            if (context.StartsWith("Warranty.", StringComparison.Ordinal) && (message.Name.StartsWith("Claim", StringComparison.Ordinal) || message.Name.StartsWith("MerchantResponse", StringComparison.Ordinal)))
            {
                flowIds.Add("ClaimId");
            }
            if (context.StartsWith("Warranty.", StringComparison.Ordinal) && (message.Name.StartsWith("Entry", StringComparison.Ordinal) || message.Name.StartsWith("Reopen", StringComparison.Ordinal)))
            {
                flowIds.Add("RequestId");
            }
            if (context.StartsWith("Repair.", StringComparison.Ordinal) && !outsideOrderFlows.Contains(message))
            {
                flowIds.Add("JobId");
            }
            if (context.StartsWith("Arbitration.", StringComparison.Ordinal))
            {
                flowIds.Add("CaseId");
            }
            missing.AddRange(flowIds.Where(id => !names.Contains(id)).Select(id => $"{message.Name}.{id}"));
        }

        Assert.Empty(missing);
    }

    [Fact]
    public void Non_nullable_properties_are_required_and_nullable_ones_optional()
    {
        // A missing required field fails deserialisation instead of turning silently into a default
        // (an enum's first member, a zero amount); an optional one reads as null.
        var nullability = new NullabilityInfoContext();
        var wrong = ContractCatalog.Records.SelectMany(ContractCatalog.Properties)
            .Where(p => (nullability.Create(p).ReadState == NullabilityState.Nullable) == p.IsDefined(typeof(RequiredMemberAttribute)))
            .Select(Name);

        Assert.Empty(wrong);
    }

    [Fact]
    public void Every_enum_carries_its_own_string_converter()
    {
        // On the type, so that every serializer writes names, whatever options it was given.
        var without = ContractCatalog.Enums
            .Where(e => e.GetCustomAttribute<JsonConverterAttribute>()?.ConverterType != typeof(JsonStringEnumConverter<>).MakeGenericType(e))
            .Select(e => e.FullName);

        Assert.Empty(without);
    }

    private static bool IsAllowed(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            return IsAllowed(underlying.GetGenericArguments()[0]);
        }
        return Scalars.Contains(underlying) || ContractCatalog.PublicTypes.Contains(underlying);
    }

    private static string Name(PropertyInfo property) => $"{property.DeclaringType!.FullName}.{property.Name}";

    [GeneratedRegex(@"^Platform\.Contracts\.[A-Z][A-Za-z]+\.V[1-9][0-9]*$")]
    private static partial Regex VersionedNamespace();
}
