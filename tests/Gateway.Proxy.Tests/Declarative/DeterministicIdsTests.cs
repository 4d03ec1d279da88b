using Gateway.Proxy.Declarative;

namespace Gateway.Proxy.Tests.Declarative;

public class DeterministicIdsTests
{
    [Fact]
    public void NameBasedIdsFollowRfc4122Version5()
    {
        var dns = Guid.Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal(Guid.Parse("2ed6657d-e927-568b-95e1-2665a8aea6a2"), DeterministicIds.NameBased(dns, "www.example.com"));
    }

    [Fact]
    public void EntityIdsUseAPerKindNamespaceUnderKongsRoot()
    {
        Assert.Equal(Guid.Parse("2933fbcc-9d7c-54a7-a984-fe2bde836cea"), DeterministicIds.For("services", "foo"));
        Assert.NotEqual(DeterministicIds.For("services", "foo"), DeterministicIds.For("routes", "foo"));
    }
}
