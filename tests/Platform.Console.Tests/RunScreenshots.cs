using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Platform.Testing;

namespace Platform.Console.Tests;

/// <summary>Runs only beside a `deploy/run.sh` whose console answers at PLATFORM_CONSOLE_SCREENSHOTS_URL.</summary>
public sealed class RunScreenshotFactAttribute : FactAttribute
{
    public const string UrlVariable = "PLATFORM_CONSOLE_SCREENSHOTS_URL";

    public RunScreenshotFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(UrlVariable) is null)
        {
            Skip = $"takes docs/console/*.png from a deploy/run.sh console: start the run, then set {UrlVariable}=http://127.0.0.1:5105";
        }
    }
}

/// <summary>
/// The screenshots in docs/console/, taken from the console of a `deploy/run.sh` while its simulator plays the
/// marketplace: each screen is saved once it shows what the run made (a waiting deadline, a provider with a
/// breach, a ruled case, a repair with its attempts), so a picture of an empty screen fails instead.
/// </summary>
public sealed partial class RunScreenshots
{
    private static readonly TimeSpan RunTime = TimeSpan.FromMinutes(4);
    private readonly string docs = Path.Combine(Root(), "docs", "console");

    [RunScreenshotFact]
    public async Task Each_screen_of_a_run_is_saved_under_docs_console()
    {
        Directory.CreateDirectory(docs);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PLATFORM_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox"],
        });

        var operatorPage = await SignIn(browser, "console-operator");
        await Shown(operatorPage, "/deadlines", p => p.GetByTestId("board-jobs").GetByTestId("waiting").CountAsync(), "a repair job waits for its callback");
        await Save(operatorPage, "deadlines");
        var job = await operatorPage.GetByTestId("board-jobs").GetByRole(AriaRole.Link).First.GetAttributeAsync("href");

        var service = await SignIn(browser, "console-customer-service");
        await service.GotoAsync(job!);
        await Assertions.Expect(service.GetByTestId("attempt").First).ToBeVisibleAsync();
        await service.GetByText("File a claim for buyer").ClickAsync();
        await Save(service, "timeline-repair");

        await Shown(operatorPage, "/providers", async p => (await p.GetByTestId("provider-breaches").AllInnerTextsAsync()).Count(t => t != "0"), "a provider was charged a breach");
        // The providers most in trouble come first; the rest of a long list adds nothing to the picture.
        await Save(operatorPage, "providers", fullPage: false);
        await Shown(operatorPage, "/operations", p => p.GetByTestId("lag").CountAsync(), "the services report their lags");
        await Save(operatorPage, "operations", fullPage: false);

        var run = RunId().Match(await File.ReadAllTextAsync(Path.Combine(Root(), "artifacts", "logs", "simulator.log"))).Groups[1].Value;
        var arbitrator = await SignIn(browser, "console-arbitrator");
        await Shown(arbitrator, $"/?partyKind=merchant&party=merchant-{run}-1",
            p => p.GetByTestId("search-results").GetByText("已裁决 · ruled").CountAsync(), "a case of the run's merchant is ruled");
        await Save(arbitrator, "search");
        await arbitrator.GetByTestId("search-results").Locator("tr", new() { HasText = "已裁决 · ruled" }).First.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(arbitrator.GetByTestId("ruling")).ToBeVisibleAsync();
        await Save(arbitrator, "timeline-case");
    }

    private static async Task<IPage> SignIn(IBrowser browser, string client)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Environment.GetEnvironmentVariable(RunScreenshotFactAttribute.UrlVariable),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Client id").FillAsync(client);
        await page.GetByLabel("Secret").FillAsync(Environment.GetEnvironmentVariable("PLATFORM_CONSOLE_SECRET") ?? "console-development-secret");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Opens the screen again until it shows what the run is expected to have made by now.</summary>
    private static Task Shown(IPage page, string path, Func<IPage, Task<int>> count, string description) =>
        Eventually.Until(async () =>
        {
            await page.GotoAsync(path);
            return await count(page) > 0;
        }, RunTime, description);

    private Task Save(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(docs, $"{name}.png"), FullPage = fullPage });

    private static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "Platform.sln")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException("Platform.sln not found above the test's directory.");
        }
        return directory.FullName;
    }

    [GeneratedRegex(@"Simulation run ([0-9a-f]+):")]
    private static partial Regex RunId();
}
