using Gateway.Adversarial.Runs;
using Xunit.Abstractions;

namespace Gateway.Adversarial.Tests;

/// <summary>Where a run's summary goes: the test's output, and the console of whoever runs the tests.</summary>
public static class HarnessOutput
{
    public static void Write(ITestOutputHelper output, HarnessResult result)
    {
        output.WriteLine(result.Report());
        Console.WriteLine(result.Summary);
    }
}
