using Microsoft.Extensions.Configuration;

namespace Platform.Console.Tests;

public sealed class ConsoleSettingsTests
{
    private static ConsoleSettings From(params (string Key, string Value)[] settings) =>
        ConsoleSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());

    [Fact]
    public void A_session_lasts_8_hours_idle_and_a_call_15_seconds_unless_set_otherwise()
    {
        var defaults = From();
        Assert.Equal(TimeSpan.FromHours(8), defaults.SessionIdle);
        Assert.Equal(TimeSpan.FromSeconds(15), defaults.ApiTimeout);
        var set = From(("Console:SessionIdle", "00:30:00"), ("Console:ApiTimeoutSeconds", "40"));
        Assert.Equal(TimeSpan.FromMinutes(30), set.SessionIdle);
        Assert.Equal(TimeSpan.FromSeconds(40), set.ApiTimeout);
    }

    [Theory]
    [InlineData("Console:SessionIdle", "00:00:00", "Console__SessionIdle")]
    [InlineData("Console:SessionIdle", "eight hours", "Console__SessionIdle")]
    [InlineData("Console:ApiTimeoutSeconds", "0", "Console__ApiTimeoutSeconds")]
    [InlineData("Console:ApiTimeoutSeconds", "301", "Console__ApiTimeoutSeconds")]
    public void A_bad_value_stops_the_console_naming_the_setting(string key, string value, string named)
    {
        var e = Assert.Throws<InvalidOperationException>(() => From((key, value)));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }
}
