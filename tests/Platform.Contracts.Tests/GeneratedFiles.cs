using System.Text.Encodings.Web;
using System.Text.Json;

namespace Platform.Contracts.Tests;

/// <summary>
/// What the files generated from the contracts (schemas, example messages, the AsyncAPI document)
/// share: one way to regenerate them, one file format, and the check that the committed copy is what
/// the code generates now.
/// </summary>
internal static class GeneratedFiles
{
    public const string UpdateVariable = "UPDATE_CONTRACT_SCHEMAS";

    public static readonly string HowToRegenerate =
        $"Regenerate with `{UpdateVariable}=1 dotnet test tests/Platform.Contracts.Tests` and review the diff: "
        + "inside a version only additive changes are allowed (contracts/README.md).";

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    public static readonly JsonSerializerOptions FileFormat = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        // The messages and their descriptions quote Chinese terms (三包); keep them readable in the files.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Compares <paramref name="generated"/> with the committed file; when updating, writes it instead.
    /// Returns why the committed file is wrong, or null when it is right (or has just been rewritten).
    /// </summary>
    public static string? Check(string path, string generated)
    {
        var committed = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : null;
        if (committed == generated)
        {
            return null;
        }
        if (Updating)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
            return null;
        }
        return $"{Path.GetRelativePath(RepositoryPaths.Root, path)} ({(committed is null ? "missing" : "differs")})";
    }

    /// <summary>
    /// Files under <paramref name="directory"/> matching <paramref name="pattern"/> that the code no longer
    /// generates (relative to the directory); when updating, they are deleted and none is returned.
    /// </summary>
    public static IReadOnlyList<string> Orphans(string directory, string pattern, IEnumerable<string> expected)
    {
        var generated = expected.ToHashSet(StringComparer.Ordinal);
        var orphans = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, pattern, SearchOption.AllDirectories)
                .Where(file => !generated.Contains(Path.GetRelativePath(directory, file)))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        if (Updating)
        {
            orphans.ForEach(File.Delete);
            return [];
        }
        return [.. orphans.Select(file => Path.GetRelativePath(directory, file))];
    }
}
