namespace Gateway.Operator.Tests.EndToEnd;

/// <summary>
/// Measured figures (timings, memory): printed to the test output and appended to a file that
/// tests/operator-figures.sh prints. They are reported, not asserted.
/// </summary>
static class Figures
{
    public static string FilePath => Path.Combine(Path.GetTempPath(), "tollgate-operator-figures.txt");

    public static void Record(string what, TimeSpan elapsed) => Record(what, $"{elapsed.TotalMilliseconds:F0} ms");

    public static void Record(string what, string value)
    {
        var line = $"{what}: {value}";
        Console.WriteLine("FIGURE " + line);
        lock (FilePath)
            File.AppendAllText(FilePath, line + Environment.NewLine);
    }
}
