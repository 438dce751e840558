using System.Text;
using Xunit.Abstractions;

namespace Platform.EndToEnd.Tests;

/// <summary>A TextWriter onto the test's output, line by line, so a run's live progress shows with the test's result.</summary>
public sealed class TestOutputWriter(ITestOutputHelper output) : TextWriter
{
    private readonly StringBuilder line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            output.WriteLine(line.ToString().TrimEnd('\r'));
            line.Clear();
        }
        else
        {
            line.Append(value);
        }
    }
}
