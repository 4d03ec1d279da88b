using Gateway.Proxy.Admin.Config;

namespace Gateway.Proxy.Tests.Admin;

public class AppliedDocumentTests
{
    private static readonly byte[] Document = AppliedDocument.Hash("""{"_info": {"select_tags": ["a"]}, "services": []}""");

    [Fact]
    public void A_document_is_applied_only_at_the_version_it_left()
    {
        var applied = new AppliedDocument();
        Assert.False(applied.IsApplied(Document, 7));

        applied.Remember(Document, 7);

        Assert.True(applied.IsApplied(Document, 7));
        Assert.False(applied.IsApplied(Document, 8));
    }

    [Fact]
    public void Another_document_is_not_the_applied_one()
    {
        var applied = new AppliedDocument();
        applied.Remember(Document, 7);

        var other = AppliedDocument.Hash("""{"_info": {"select_tags": ["b"]}, "services": []}""");
        Assert.False(applied.IsApplied(other, 7));
    }
}
