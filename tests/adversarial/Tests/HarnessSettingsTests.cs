namespace Gateway.Adversarial.Tests;

/// <summary>The environment variables that size a run and pick its requests.</summary>
public sealed class HarnessSettingsTests
{
    private static HarnessSettings Parse(params (string Name, string Value)[] variables) =>
        HarnessSettings.Parse(name => variables.FirstOrDefault(v => v.Name == name).Value);

    [Fact]
    public void Without_variables_a_small_run_with_the_default_seed()
    {
        var settings = Parse();
        Assert.Equal(new HarnessSettings(HarnessSettings.DefaultSeed, HarnessSettings.SmallCount, null), settings);
        Assert.Equal(HarnessSettings.SmallCount, settings.CaseIndexes(settings.Count).Count);
    }

    [Fact]
    public void The_full_run_and_an_explicit_count()
    {
        Assert.Equal(HarnessSettings.FullCount, Parse(("ADVERSARIAL_FULL", "1")).Count);
        Assert.Equal(42, Parse(("ADVERSARIAL_FULL", "1"), ("ADVERSARIAL_COUNT", "42")).Count);
        Assert.Equal(7, Parse(("ADVERSARIAL_SEED", "7")).Seed);
    }

    [Fact]
    public void One_case_can_be_replayed()
    {
        var settings = Parse(("ADVERSARIAL_CASE", "1682"));
        Assert.Equal([1682], settings.CaseIndexes(settings.Count));
    }

    [Theory]
    [InlineData("ADVERSARIAL_COUNT", "many")]
    [InlineData("ADVERSARIAL_COUNT", "0")]
    [InlineData("ADVERSARIAL_SEED", "1.5")]
    [InlineData("ADVERSARIAL_CASE", "-1")]
    public void A_bad_value_names_its_variable(string name, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => Parse((name, value)));
        Assert.Contains(name, error.Message);
    }
}
