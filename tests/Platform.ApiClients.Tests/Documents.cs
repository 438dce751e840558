using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.ApiClients.Tests;

/// <summary>
/// The services' OpenAPI documents as committed in docs/integrating/openapi, where integrating teams read them
/// and from which this project's clients are generated at build time.
/// </summary>
internal static class Documents
{
    public const string UpdateVariable = "UPDATE_OPENAPI_DOCUMENTS";

    public static readonly string HowToRegenerate =
        $"Regenerate with `{UpdateVariable}=1 dotnet test tests/Platform.ApiClients.Tests --filter DocumentTests`, review the diff, and rebuild: "
        + "the clients are generated from the committed documents.";

    public static readonly string[] Services = ["order", "warranty", "repairdispatch", "arbitration"];

    public static string Directory { get; } = Path.Combine(FindRoot(), "docs", "integrating", "openapi");

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    public static string PathOf(string service) => Path.Combine(Directory, $"{service}.json");

    public static JsonObject Committed(string service) => JsonNode.Parse(File.ReadAllText(PathOf(service)))!.AsObject();

    private static readonly JsonSerializerOptions FileFormat = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The document as it is committed: indented, LF, a newline at the end.</summary>
    public static string Format(JsonNode document) => document.ToJsonString(FileFormat) + "\n";

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Platform.sln")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No Platform.sln above {AppContext.BaseDirectory}.");
    }
}
