using System.Diagnostics;
using Xunit;

namespace Platform.Testing;

public static class Eventually
{
    /// <summary>Polls until the condition holds; fails with the description when the deadline passes.</summary>
    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string description)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout)
            {
                Assert.Fail($"Not reached within {timeout}: {description}");
            }
            await Task.Delay(50);
        }
    }

    public static Task Until(Func<bool> condition, TimeSpan timeout, string description) =>
        Until(() => Task.FromResult(condition()), timeout, description);
}
