using System.Globalization;

namespace Platform.Chaos;

/// <summary>One invariant as checked: how many things it was checked on, and each that broke it.</summary>
public sealed record InvariantResult(string Name, int Checked, IReadOnlyList<string> Violations)
{
    public bool Holds => Violations.Count == 0;
}

public static class InvariantReport
{
    private const int ViolationsShown = 10;

    public static void Print(IReadOnlyList<InvariantResult> results, TextWriter writer)
    {
        var width = results.Max(r => r.Name.Length);
        writer.WriteLine($"  {"invariant".PadRight(width)} {"checked",8} {"violations",10}");
        foreach (var result in results)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {result.Name.PadRight(width)} {result.Checked,8} {result.Violations.Count,10}"));
        }
        foreach (var result in results.Where(r => !r.Holds))
        {
            writer.WriteLine($"{result.Name}:");
            foreach (var violation in result.Violations.Take(ViolationsShown))
            {
                writer.WriteLine($"  - {violation}");
            }
            if (result.Violations.Count > ViolationsShown)
            {
                writer.WriteLine($"  … and {result.Violations.Count - ViolationsShown} more");
            }
        }
        var broken = results.Count(r => !r.Holds);
        writer.WriteLine(broken == 0
            ? $"All {results.Count} invariants hold: {results.Sum(r => r.Checked)} checks, 0 violations."
            : $"{broken} of {results.Count} invariants are broken: {results.Sum(r => r.Violations.Count)} violations.");
    }
}
