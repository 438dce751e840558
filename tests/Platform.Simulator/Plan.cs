using Platform.Contracts.Trade.V1;

namespace Platform.Simulator;

/// <summary>How the trade system's events for one order reach the platform.</summary>
public enum Delivery
{
    InOrder,

    /// <summary>Last event first: the buyer's confirmation arrives before the order it confirms.</summary>
    Reversed,

    /// <summary>Every event twice under one MessageId, then the placement and the confirmation re-sent under new ones.</summary>
    Duplicated,

    /// <summary>The buyer never confirms: the platform confirms automatically ten days after shipping.</summary>
    NeverConfirmed,

    /// <summary>
    /// An order that succeeded weeks or months ago, so its claims fall in later warranty periods. The carrier's
    /// notices arrive after the confirmation: sent first, a shipping time that old would have the automatic
    /// confirmation fall due at once and race the buyer's.
    /// </summary>
    History,
}

/// <summary>What the buyer, the merchant and the others do with an order once it has succeeded.</summary>
public enum Story
{
    Quiet,
    ReturnAccepted,
    ReturnAcceptedBySilence,
    RefusedThenMerchantAnswersCase,
    RefusedThenMerchantSilentInCase,
    WrongBuyerNamed,
    AccidentalDamageWithoutPlan,
    SeedsNeverSprouted,
    ExtendedWarrantyCancelled,
    BrandRepair,
    ExtendedWarrantyRepair,
}

public sealed record PlannedLine(string LineId, string Category, string Sku, string Title, string Brand, decimal UnitPrice,
    int NationalWarrantyMonths, ExtendedWarrantyPurchase? ExtendedWarranty);

/// <param name="Age">How long ago, on the business clock, the transaction succeeded: zero for an order confirmed now.</param>
public sealed record PlannedOrder(string OrderId, string BuyerId, string MerchantId, string Region, Story Story, Delivery Delivery,
    TimeSpan Age, IReadOnlyList<PlannedLine> Lines)
{
    public PlannedLine Line => Lines[0];

    public bool HasClaim => Story is not (Story.Quiet or Story.ExtendedWarrantyCancelled);

    public bool HasRepairJob => Story is Story.BrandRepair or Story.ExtendedWarrantyRepair;

    /// <summary>
    /// What the platform decides to pay back on the order's line: its price for a return taken back or a refund
    /// ruled by default, the plan's price for a plan cancelled before it starts.
    /// </summary>
    public decimal ExpectedRefund => Story switch
    {
        Story.ReturnAccepted or Story.ReturnAcceptedBySilence or Story.SeedsNeverSprouted or Story.RefusedThenMerchantSilentInCase => Line.UnitPrice,
        Story.ExtendedWarrantyCancelled => Line.ExtendedWarranty!.PricePaid,
        _ => 0,
    };

    /// <summary>No provider in Sichuan calls back: the arbitrator awards compensation against the platform.</summary>
    public bool HasCompensation => Story == Story.BrandRepair && Region == Regions.Sichuan;

    /// <summary>Where the claim ends, as the Warranty service reports it: the status and the resolution or rejection reason.</summary>
    public string? ExpectedClaimOutcome => Story switch
    {
        Story.ReturnAccepted or Story.ReturnAcceptedBySilence or Story.SeedsNeverSprouted => Outcomes.AcceptedByMerchant,
        Story.RefusedThenMerchantAnswersCase => Outcomes.RuledForRespondent,
        Story.RefusedThenMerchantSilentInCase => Outcomes.RuledForBuyer,
        Story.WrongBuyerNamed => Outcomes.NotBuyer,
        Story.AccidentalDamageWithoutPlan => Outcomes.AccidentalDamageNotCovered,
        // No provider in that region ever calls back: the platform takes the job, and the arbitrator awards compensation.
        Story.BrandRepair when Region == Regions.Sichuan => Outcomes.RuledForBuyer,
        Story.BrandRepair or Story.ExtendedWarrantyRepair => Outcomes.Repaired,
        _ => null,
    };
}

public static class Outcomes
{
    public const string AcceptedByMerchant = "Resolved: AcceptedByMerchant";
    public const string RuledForBuyer = "Resolved: RuledForBuyer";
    public const string RuledForRespondent = "Resolved: RuledForRespondent";
    public const string Repaired = "Resolved: Repaired";
    public const string NotBuyer = "Rejected: NotBuyer";
    public const string AccidentalDamageNotCovered = "Rejected: AccidentalDamageNotCovered";
}

/// <summary>Province codes; repair providers are chosen by the order's shipping region.</summary>
public static class Regions
{
    public const string Beijing = "110000";
    public const string Shanghai = "310000";
    public const string Zhejiang = "330000";
    public const string Guangdong = "440000";
    public const string Sichuan = "510000";
}

/// <summary>How a simulated repair provider treats the jobs dispatched to it.</summary>
public enum Conduct
{
    /// <summary>Accepts, calls the buyer back at once and reports the repair done, over HTTP.</summary>
    Prompt,

    /// <summary>As prompt, but reports by message to the reports queue, each after the previous one took effect.</summary>
    PromptByMessage,

    /// <summary>Calls the buyer only after the callback deadline has passed; finishes the job if it is still theirs.</summary>
    Late,

    /// <summary>Never calls.</summary>
    Silent,
}

public sealed record SimulatedProvider(string Id, string Region, Conduct Conduct);

/// <summary>The run's orders and providers, chosen from the seed; every expectation of the summary follows from it.</summary>
public sealed class Plan
{
    public static readonly string[] RepairCategories = ["phones", "computers", "home-appliances"];
    private static readonly string[] AllCategories = ["phones", "computers", "home-appliances", "clothing", "seeds", "live-animals"];
    private static readonly string[] QuietRegions = [Regions.Beijing, Regions.Shanghai, Regions.Zhejiang, Regions.Guangdong, Regions.Sichuan];
    private static readonly TimeSpan TwoMonths = TimeSpan.FromDays(60);

    /// <summary>
    /// One order for every story the platform must handle. Guangdong and Sichuan get one repair each, so their
    /// providers' records (one late call, two that never call) stay below the suspension threshold.
    /// </summary>
    private static readonly (Story Story, Delivery Delivery, string Region, string Category, TimeSpan Age)[] Core =
    [
        (Story.ReturnAccepted, Delivery.InOrder, Regions.Beijing, "clothing", TimeSpan.Zero),
        (Story.ReturnAcceptedBySilence, Delivery.Reversed, Regions.Zhejiang, "phones", TimeSpan.Zero),
        (Story.RefusedThenMerchantAnswersCase, Delivery.Duplicated, Regions.Shanghai, "home-appliances", TimeSpan.Zero),
        (Story.RefusedThenMerchantSilentInCase, Delivery.InOrder, Regions.Beijing, "clothing", TimeSpan.Zero),
        (Story.WrongBuyerNamed, Delivery.Reversed, Regions.Zhejiang, "computers", TimeSpan.Zero),
        (Story.AccidentalDamageWithoutPlan, Delivery.Duplicated, Regions.Shanghai, "phones", TimeSpan.Zero),
        // Past the 15-day entry of a category with no 三包 repair, within the 365 days a late-found defect allows.
        (Story.SeedsNeverSprouted, Delivery.History, Regions.Sichuan, "seeds", TimeSpan.FromDays(40)),
        (Story.ExtendedWarrantyCancelled, Delivery.NeverConfirmed, Regions.Beijing, "computers", TimeSpan.Zero),
        // Past the 15-day replacement window, inside the 12-month 三包 repair the brand answers for.
        (Story.BrandRepair, Delivery.History, Regions.Shanghai, "phones", TwoMonths),
        (Story.BrandRepair, Delivery.History, Regions.Guangdong, "home-appliances", TwoMonths),
        (Story.BrandRepair, Delivery.History, Regions.Sichuan, "computers", TwoMonths),
        // Past the 12-month national warranty, inside the extended plan that follows it.
        (Story.ExtendedWarrantyRepair, Delivery.History, Regions.Shanghai, "phones", TimeSpan.FromDays(400)),
    ];

    public static int MinimumOrders => Core.Length;

    private Plan(string runId, IReadOnlyList<PlannedOrder> orders, IReadOnlyList<SimulatedProvider> providers)
    {
        RunId = runId;
        Orders = orders;
        Providers = providers;
    }

    /// <summary>Names this run's orders, parties and providers, so nothing of an earlier run on the same servers is counted.</summary>
    public string RunId { get; }
    public IReadOnlyList<PlannedOrder> Orders { get; }
    public IReadOnlyList<SimulatedProvider> Providers { get; }

    public IEnumerable<PlannedOrder> Claims => Orders.Where(o => o.HasClaim);
    public int Count(Story story) => Orders.Count(o => o.Story == story);
    public int RepairsIn(string region) => Orders.Count(o => o.HasRepairJob && o.Region == region);

    public static Plan Create(int orders, int seed, string runId, Mix mix = Mix.Everyday)
    {
        if (orders < MinimumOrders)
        {
            throw new ArgumentOutOfRangeException(nameof(orders), orders, $"At least {MinimumOrders} orders are needed to play every story once.");
        }
        var random = new Random(seed);
        var planned = new List<PlannedOrder>();
        foreach (var (story, delivery, region, category, age) in Core)
        {
            planned.Add(Order(planned.Count + 1, runId, story, delivery, region, age, [Line(random, 1, category, story)]));
        }
        // The rest repeat the everyday stories: most orders need nothing after the sale.
        (Story, Delivery)[] fillers =
        [
            (Story.Quiet, Delivery.InOrder), (Story.Quiet, Delivery.NeverConfirmed), (Story.ReturnAccepted, Delivery.Duplicated),
            (Story.Quiet, Delivery.Reversed), (Story.BrandRepair, Delivery.History), (Story.Quiet, Delivery.InOrder),
        ];
        // Guangdong keeps its one order: its late caller's score falls with its first breach, so a second order
        // there would go to the prompt provider, and the breaches the summary counts on would not come.
        var everyStory = Core.Where(c => c.Region != Regions.Guangdong).ToArray();
        for (var i = 0; planned.Count < orders; i++)
        {
            if (mix == Mix.EveryStory && i % (everyStory.Length + fillers.Length) is var turn && turn < everyStory.Length)
            {
                var core = everyStory[turn];
                planned.Add(Order(planned.Count + 1, runId, core.Story, core.Delivery, core.Region, core.Age, [Line(random, 1, core.Category, core.Story)]));
                continue;
            }
            var (story, delivery) = fillers[mix == Mix.EveryStory ? i % (everyStory.Length + fillers.Length) - everyStory.Length : i % fillers.Length];
            var (region, category, age) = story switch
            {
                Story.BrandRepair => (Regions.Shanghai, Pick(random, RepairCategories), TwoMonths),
                Story.ReturnAccepted => (Pick(random, QuietRegions), Pick(random, AllCategories.Where(c => c is not ("seeds" or "live-animals")).ToArray()), TimeSpan.Zero),
                _ => (Pick(random, QuietRegions), Pick(random, AllCategories), TimeSpan.Zero),
            };
            List<PlannedLine> lines = [Line(random, 1, category, story)];
            if (story == Story.Quiet && random.Next(3) == 0)
            {
                lines.Add(Line(random, 2, Pick(random, AllCategories), story));
            }
            planned.Add(Order(planned.Count + 1, runId, story, delivery, region, age, lines));
        }

        var provider = (string name) => $"sim-{runId}-{name}";
        SimulatedProvider[] providers =
        [
            // Two, so that a callback a loaded machine delays past the deadline moves the job on rather than ending it.
            new(provider("sh-1"), Regions.Shanghai, Conduct.Prompt),
            new(provider("sh-2"), Regions.Shanghai, Conduct.PromptByMessage),
            // Equal scores and loads: the lower id is chosen first, so Guangdong's first job goes to the late caller.
            new(provider("gd-1"), Regions.Guangdong, Conduct.Late),
            new(provider("gd-2"), Regions.Guangdong, Conduct.Prompt),
            new(provider("sc-1"), Regions.Sichuan, Conduct.Silent),
            new(provider("sc-2"), Regions.Sichuan, Conduct.Silent),
        ];
        return new Plan(runId, planned, providers);
    }

    private static PlannedOrder Order(int number, string runId, Story story, Delivery delivery, string region, TimeSpan age, IReadOnlyList<PlannedLine> lines) =>
        new($"sim-{runId}-{number:000}", $"buyer-{runId}-{number:000}", $"merchant-{runId}-{1 + (number % 4)}", region, story, delivery, age, lines);

    private static PlannedLine Line(Random random, int number, string category, Story story)
    {
        var (title, brand, price) = category switch
        {
            "phones" => ("Phone 15, 256 GB", "Acme", 3999m + random.Next(0, 20) * 100),
            "computers" => ("Laptop 14\", 16 GB", "Orion", 5999m + random.Next(0, 20) * 100),
            "home-appliances" => ("Washing machine, 10 kg", "Haiwa", 2499m + random.Next(0, 10) * 100),
            "clothing" => ("Down jacket", "Northfield", 399m + random.Next(0, 10) * 20),
            "seeds" => ("Tomato seeds, 200 pcs", "GreenRow", 19.9m),
            _ => ("Laying hens, 3 pcs", "Hillside Farm", 159m),
        };
        var threeC = RepairCategories.Contains(category);
        ExtendedWarrantyPurchase? plan = story switch
        {
            Story.ExtendedWarrantyRepair => new() { PlanYears = 2, PricePaid = 299m, IncludesAccidentalDamage = true },
            Story.ExtendedWarrantyCancelled => new() { PlanYears = 1, PricePaid = 199m, IncludesAccidentalDamage = false },
            // Only accidental damage without a plan is rejected as not covered.
            Story.AccidentalDamageWithoutPlan => null,
            Story.Quiet when threeC && random.Next(2) == 0 =>
                new() { PlanYears = random.Next(1, 4), PricePaid = 99m * random.Next(1, 4), IncludesAccidentalDamage = random.Next(2) == 0 },
            _ => null,
        };
        return new PlannedLine($"L{number}", category, $"SKU-{category.ToUpperInvariant()}-{random.Next(100, 999)}", title, brand, price,
            threeC ? 12 : 0, plan);
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
