using Gateway.KubeApiServer.Quantities;

namespace Gateway.Operator.Tests.ApiServer;

/// <summary>Quantities are stored as apimachinery's resource.Quantity writes them.</summary>
public sealed class QuantityTests
{
    [Theory]
    [InlineData("1024Mi", "1Gi")]
    [InlineData("1000m", "1")]
    [InlineData("0.5", "500m")]
    [InlineData("1536Mi", "1536Mi")]
    [InlineData("1.5Gi", "1536Mi")]
    [InlineData("2000Mi", "2000Mi")]
    [InlineData("100M", "100M")]
    [InlineData("1000", "1k")]
    [InlineData("1.5", "1500m")]
    [InlineData("0.5Gi", "512Mi")]
    [InlineData("1Ki", "1Ki")]
    [InlineData("0.5Ki", "512")]
    [InlineData("1.1Ki", "1126400m")]
    [InlineData("128974848", "128974848")]
    [InlineData("129e6", "129e6")]
    [InlineData("12e3", "12e3")]
    [InlineData("1e3", "1e3")]
    [InlineData("1E3", "1e3")]
    [InlineData("100m", "100m")]
    [InlineData("0.1", "100m")]
    [InlineData("1n", "1n")]
    [InlineData("0.0000000001", "1n")]
    [InlineData("5000000000k", "5T")]
    [InlineData("0", "0")]
    [InlineData("0Gi", "0")]
    [InlineData("-1500m", "-1500m")]
    [InlineData("+2k", "2k")]
    [InlineData("1E", "1E")]
    [InlineData("1000E", "1000E")]
    public void Canonical_form_is_the_one_apimachinery_writes(string written, string stored)
    {
        Assert.Equal(stored, Quantity.TryParse(written)!.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1Gb")]
    [InlineData("abc")]
    [InlineData("1.2.3")]
    [InlineData("1e")]
    [InlineData("1i")]
    [InlineData(".")]
    [InlineData("Gi")]
    public void Text_that_is_not_a_quantity_is_refused(string written)
    {
        Assert.Null(Quantity.TryParse(written));
    }

    [Theory]
    [InlineData("100u", "1m")]
    [InlineData("0.0001", "1m")]
    [InlineData("1500m", "1500m")]
    [InlineData("2Gi", "2Gi")]
    public void Resource_lists_round_up_to_millis(string written, string stored)
    {
        Assert.Equal(stored, Quantity.TryParse(written)!.RoundUp(-3).ToString());
    }

    [Fact]
    public void Values_compare_whatever_their_notation()
    {
        Assert.True(Quantity.TryParse("1Gi")!.ValueEquals(Quantity.TryParse("1024Mi")!));
        Assert.True(Quantity.TryParse("1")!.ValueEquals(Quantity.TryParse("1000m")!));
        Assert.False(Quantity.TryParse("1G")!.ValueEquals(Quantity.TryParse("1Gi")!));
    }
}
